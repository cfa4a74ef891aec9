package dev.tapegrad.autodiff.kernel;

/**
 * Adam's update of one parameter as one pass over FLOAT32 arrays, split across cores (the formula is
 * {@code AdamUpdate}'s, in the op layer). Each coefficient is rounded to float once, and each element goes
 * through the float operations of the composite of whole-tensor operations in their order (a product and a
 * sum are two roundings, never a fused multiply-add), so the two agree bit for bit.
 */
public final class AdamKernelsF32 {
    private AdamKernelsF32() {}

    /** Elements per task below which one thread does the work. */
    private static final int GRAIN = 1024;

    /**
     * The new value {@code pOut} and moments {@code mOut}, {@code vOut} (and {@code vMaxOut} for AMSGrad, else
     * {@code vMax} and {@code vMaxOut} are null) from the value {@code p}, gradient {@code g} and moments; all
     * arrays have one length.
     */
    public static void step(AdamCoefficients c, float[] p, float[] g, float[] m, float[] v, float[] vMax,
                            float[] pOut, float[] mOut, float[] vOut, float[] vMaxOut) {
        boolean decoupled = c.decoupled(), coupled = c.coupled(), amsgrad = vMax != null;
        float decay = (float) c.decay(), l2 = (float) c.l2(), b1 = (float) c.beta1(), c1 = (float) c.oneMinusBeta1();
        float b2 = (float) c.beta2(), c2 = (float) c.oneMinusBeta2(), bc1 = (float) c.correction1(), bc2 = (float) c.correction2();
        float eps = (float) c.eps(), negativeLr = (float) c.negativeLr();
        Parallel.range(p.length, GRAIN, 16L * p.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                float pi = p[i], gi = g[i];
                if (coupled) gi = gi + l2 * pi;
                if (decoupled) pi = pi * decay;
                float mi = m[i] * b1 + c1 * gi, vi = v[i] * b2 + c2 * (gi * gi);
                mOut[i] = mi;
                vOut[i] = vi;
                if (amsgrad) vMaxOut[i] = vi = Math.max(vMax[i], vi);
                pOut[i] = pi + negativeLr * (mi / bc1 / ((float) Math.sqrt(vi / bc2) + eps));
            }
        });
    }
}
