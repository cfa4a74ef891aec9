package dev.tapegrad.autodiff.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The sums of {@code NormKernelsF32.sums} over one block of a channel on the Vector API: the centred values summed
 * in vector lanes (two accumulators per sum), then the lanes and the remainder added in order in double. The
 * order depends only on the block's length, so results do not depend on the thread count. In FLOAT32 the centre
 * is rounded to float first; the sums then differ from the exactly centred ones by {@code count (p - (float) p)}
 * terms, far below float resolution of the values being summed.
 */
final class VectorNormF32 {
    private VectorNormF32() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Lanes per vector: the length of the scratch {@code lanes} arrays. */
    static final int W = S.length();

    /** {@code Σ (a[k] - p)} over {@code [o, o + len)}; {@code lanes} is scratch of {@link #W} values. */
    static double sum(float[] a, int o, int len, float p, float[] lanes) {
        FloatVector pv = FloatVector.broadcast(S, p), s0 = FloatVector.zero(S), s1 = s0;
        int k = 0;
        for (; k + 2 * W <= len; k += 2 * W) {
            s0 = s0.add(FloatVector.fromArray(S, a, o + k).sub(pv));
            s1 = s1.add(FloatVector.fromArray(S, a, o + k + W).sub(pv));
        }
        if (k + W <= len) {
            s0 = s0.add(FloatVector.fromArray(S, a, o + k).sub(pv));
            k += W;
        }
        double s = lanes(s0.add(s1), lanes);
        for (; k < len; k++) s += a[o + k] - p;
        return s;
    }

    /** {@code sumA[ch] += Σ (a[k] - p)} and {@code sumAB[ch] += Σ (a[k] - p) (b[k] - q)} over {@code [o, o + len)}. */
    static void sums(float[] a, float p, float[] b, float q, int o, int len, float[] lanes, double[] sumA, double[] sumAB, int ch) {
        FloatVector pv = FloatVector.broadcast(S, p), qv = FloatVector.broadcast(S, q), s0 = FloatVector.zero(S), s1 = s0, t0 = s0, t1 = s0;
        int k = 0;
        for (; k + 2 * W <= len; k += 2 * W) {
            FloatVector u0 = FloatVector.fromArray(S, a, o + k).sub(pv), u1 = FloatVector.fromArray(S, a, o + k + W).sub(pv);
            s0 = s0.add(u0);
            s1 = s1.add(u1);
            t0 = u0.fma(FloatVector.fromArray(S, b, o + k).sub(qv), t0);
            t1 = u1.fma(FloatVector.fromArray(S, b, o + k + W).sub(qv), t1);
        }
        if (k + W <= len) {
            FloatVector u0 = FloatVector.fromArray(S, a, o + k).sub(pv);
            s0 = s0.add(u0);
            t0 = u0.fma(FloatVector.fromArray(S, b, o + k).sub(qv), t0);
            k += W;
        }
        double s = lanes(s0.add(s1), lanes), t = lanes(t0.add(t1), lanes);
        for (; k < len; k++) {
            double u = a[o + k] - p;
            s += u;
            t += u * (b[o + k] - q);
        }
        sumA[ch] += s;
        sumAB[ch] += t;
    }

    /** The lanes of {@code v} added in lane order, in double (the Vector API's own reduction order differs once compiled). */
    private static double lanes(FloatVector v, float[] lanes) {
        v.intoArray(lanes, 0);
        double s = 0;
        for (int i = 0; i < W; i++) s += lanes[i];
        return s;
    }
}
