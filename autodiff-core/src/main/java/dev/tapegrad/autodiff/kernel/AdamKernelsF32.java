package dev.tapegrad.autodiff.kernel;

/**
 * Adam's update of one parameter as one pass over FLOAT32 arrays, split across cores, on the Vector API when
 * {@link Settings#VECTOR} ({@code VectorAdamF32}), else plain loops; the formula is {@code AdamUpdate}'s, in the
 * op layer. Each coefficient is rounded to float once, and each element goes through the float operations of the
 * composite of whole-tensor operations in their order (a product and a sum are two roundings, never a fused
 * multiply-add), so the two agree bit for bit.
 */
public final class AdamKernelsF32 {
    private AdamKernelsF32() {}

    /** Elements per task below which one thread does the work. */
    private static final int GRAIN = 1024;

    /** The coefficients rounded to float, as a tensor operation rounds its scalar operand. */
    static final class Rounded {
        final boolean decoupled, coupled;
        final float decay, l2, b1, c1, b2, c2, bc1, bc2, eps, negativeLr;

        Rounded(AdamCoefficients c) {
            decoupled = c.decoupled();
            coupled = c.coupled();
            decay = (float) c.decay();
            l2 = (float) c.l2();
            b1 = (float) c.beta1();
            c1 = (float) c.oneMinusBeta1();
            b2 = (float) c.beta2();
            c2 = (float) c.oneMinusBeta2();
            bc1 = (float) c.correction1();
            bc2 = (float) c.correction2();
            eps = (float) c.eps();
            negativeLr = (float) c.negativeLr();
        }
    }

    /**
     * The new value {@code pOut} and moments {@code mOut}, {@code vOut} (and {@code vMaxOut} for AMSGrad, else
     * {@code vMax} and {@code vMaxOut} are null) from the value {@code p}, gradient {@code g} and moments; all
     * arrays have one length.
     */
    public static void step(AdamCoefficients c, float[] p, float[] g, float[] m, float[] v, float[] vMax,
                            float[] pOut, float[] mOut, float[] vOut, float[] vMaxOut) {
        Rounded k = new Rounded(c);
        Parallel.range(p.length, GRAIN, 16L * p.length, (from, to) -> {
            if (Settings.VECTOR) VectorAdamF32.step(k, p, g, m, v, vMax, pOut, mOut, vOut, vMaxOut, from, to);
            else scalar(k, p, g, m, v, vMax, pOut, mOut, vOut, vMaxOut, from, to);
        });
    }

    /** {@link #step} over {@code [from, to)}, one element at a time (also the vector kernel's remainder). */
    static void scalar(Rounded k, float[] p, float[] g, float[] m, float[] v, float[] vMax,
                       float[] pOut, float[] mOut, float[] vOut, float[] vMaxOut, int from, int to) {
        for (int i = from; i < to; i++) {
            float pi = p[i], gi = g[i];
            if (k.coupled) gi = gi + k.l2 * pi;
            if (k.decoupled) pi = pi * k.decay;
            float mi = m[i] * k.b1 + k.c1 * gi, vi = v[i] * k.b2 + k.c2 * (gi * gi);
            mOut[i] = mi;
            vOut[i] = vi;
            if (vMax != null) vMaxOut[i] = vi = Math.max(vMax[i], vi);
            pOut[i] = pi + k.negativeLr * (mi / k.bc1 / ((float) Math.sqrt(vi / k.bc2) + k.eps));
        }
    }
}
