package dev.tapegrad.autodiff.kernel;

/**
 * Per-channel kernels of batch normalisation on arrays laid out as {@code [n, c, inner]} (channel axis 1): channel
 * {@code ch}'s values are the {@code n} contiguous blocks at {@code (i c + ch) inner}. The channels are split across
 * threads and each channel's sums run in one fixed order (block by block, four partial sums within a block), so
 * the results do not depend on the thread count. Sums are accumulated in double; with the Vector API and blocks of
 * at least 16 values, each block's sum runs in vector lanes first ({@code VectorNormF32}).
 */
public final class NormKernelsF32 {
    private NormKernelsF32() {}

    /**
     * {@code sumA[ch] = Σ (a - ca[ch])} and, when {@code b} is not null, {@code sumAB[ch] = Σ (a - ca[ch]) (b - cb[ch])}
     * over channel {@code ch}'s values; the centres are subtracted in double.
     */
    public static void sums(float[] a, double[] ca, float[] b, double[] cb, int n, int c, int inner, double[] sumA, double[] sumAB) {
        Parallel.range(c, 1, (long) n * c * inner, (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                sumA[ch] = 0;
                if (b != null) sumAB[ch] = 0;
            }
            boolean vector = Settings.VECTOR && inner >= 16;
            float[] lanes = vector ? new float[VectorNormF32.W] : null;
            for (int i = 0; i < n; i++)
                for (int ch = from; ch < to; ch++) {
                    int o = (i * c + ch) * inner;
                    double p = ca[ch];
                    if (vector) {
                        if (b == null) sumA[ch] += VectorNormF32.sum(a, o, inner, (float) p, lanes);
                        else VectorNormF32.sums(a, (float) p, b, (float) cb[ch], o, inner, lanes, sumA, sumAB, ch);
                    } else if (b == null) {
                        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                        int k = 0;
                        for (; k + 3 < inner; k += 4) {
                            s0 += a[o + k] - p;
                            s1 += a[o + k + 1] - p;
                            s2 += a[o + k + 2] - p;
                            s3 += a[o + k + 3] - p;
                        }
                        for (; k < inner; k++) s0 += a[o + k] - p;
                        sumA[ch] += (s0 + s1) + (s2 + s3);
                    } else {
                        double q = cb[ch], s0 = 0, s1 = 0, t0 = 0, t1 = 0;
                        int k = 0;
                        for (; k + 1 < inner; k += 2) {
                            double u0 = a[o + k] - p, u1 = a[o + k + 1] - p;
                            s0 += u0;
                            s1 += u1;
                            t0 += u0 * (b[o + k] - q);
                            t1 += u1 * (b[o + k + 1] - q);
                        }
                        if (k < inner) {
                            double u = a[o + k] - p;
                            s0 += u;
                            t0 += u * (b[o + k] - q);
                        }
                        sumA[ch] += s0 + s1;
                        sumAB[ch] += t0 + t1;
                    }
                }
        });
    }

    /**
     * {@code out = (a - pa[ch]) qa[ch] + t[ch]}, plus {@code (b - pb[ch]) qb[ch]} when {@code b} is not null, for
     * each value of channel {@code ch}: batch norm's affine output and its input gradient, one pass each. Computed
     * in double and rounded once: the input gradient is a difference of terms that cancel (exactly, for two values
     * per channel), so float arithmetic would leave the rounding errors of the terms in the result.
     */
    public static void combine(float[] a, double[] pa, double[] qa, float[] b, double[] pb, double[] qb, double[] t,
                               int n, int c, int inner, float[] out) {
        Parallel.range(c, 1, (long) n * c * inner, (from, to) -> {
            for (int i = 0; i < n; i++)
                for (int ch = from; ch < to; ch++) {
                    int o = (i * c + ch) * inner, e = o + inner;
                    double ca = pa[ch], q = qa[ch], s = t[ch];
                    if (b == null) {
                        for (int k = o; k < e; k++) out[k] = (float) ((a[k] - ca) * q + s);
                    } else {
                        double cb = pb[ch], qq = qb[ch];
                        for (int k = o; k < e; k++) out[k] = (float) ((a[k] - ca) * q + (b[k] - cb) * qq + s);
                    }
                }
        });
    }
}
