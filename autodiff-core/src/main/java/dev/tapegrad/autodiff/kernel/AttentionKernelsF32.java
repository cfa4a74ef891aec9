package dev.tapegrad.autodiff.kernel;

/**
 * Scaled dot-product attention over {@code count} independent products (the batch and head axes flattened), one
 * product at a time, products split across cores. For product {@code t}, with {@code q [L, d]}, {@code k [S, d]},
 * {@code v [S, dv]} at offsets {@code t L d}, {@code t S d}, {@code t S dv}:
 * <pre>
 *   P = softmax(scale q k^T + M)      [L, S]   (rows summing to 0 are left 0: a fully masked row)
 *   O = P v                           [L, dv]
 * </pre>
 * where {@code M} is slice {@code maskIndex[t]} (slice {@code t} when {@code maskIndex} is null) of {@code mask}, dense
 * {@code [L, S]} slices (additive: {@code -inf} drops a key), or 0 when {@code mask} is null. The scores are
 * formed in {@code P}'s own rows and softmaxed in place, so a product's working set is its operands and one
 * {@code L x S} block. The backward, for the cotangent {@code G = dO}:
 * <pre>
 *   dP = G v^T,  dS = scale P (dP - rowsum(dP P)),  dq = dS k,  dk = dS^T q,  dv = P^T G
 * </pre>
 * Each product's arithmetic is the same whichever thread runs it, so results do not depend on the thread count.
 */
public final class AttentionKernelsF32 {
    private AttentionKernelsF32() {}

    public static void forward(float[] q, float[] k, float[] v, float[] mask, int[] maskIndex, float scale,
                               float[] p, float[] o, int count, int l, int s, int d, int dv) {
        long work = (long) l * s * (d + dv + UnaryFunction.EXP.cost + 4);
        Parallel.range(count, 1, work * count, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int ps = t * l * s;
                Gemm.multiply(false, true, q, t * l * d, k, t * s * d, p, ps, l, d, s, false);
                int ms = mask == null ? -1 : (maskIndex == null ? t : maskIndex[t]) * l * s;
                for (int i = 0; i < l; i++) {
                    int row = ps + i * s;
                    if (ms >= 0) for (int j = 0, mj = ms + i * s; j < s; j++) p[row + j] = p[row + j] * scale + mask[mj + j];
                    else for (int j = 0; j < s; j++) p[row + j] *= scale;
                    SoftmaxKernelsF32.forwardRow(p, p, row, row + s, true);
                }
                Gemm.multiply(false, false, p, ps, v, t * s * dv, o, t * l * dv, l, s, dv, false);
            }
        });
    }

    /** The gradients {@code dq}, {@code dk}, {@code dv} (overwritten) for the cotangent {@code g} of {@code O}, from {@link #forward}'s {@code P}. */
    public static void backward(float[] q, float[] k, float[] v, float[] p, float[] g, float scale,
                                float[] dq, float[] dk, float[] dvOut, int count, int l, int s, int d, int dv) {
        long work = (long) l * s * (2 * d + 2 * dv + 5);
        Parallel.range(count, 1, work * count, (t0, t1) -> {
            float[] ds = new float[l * s];
            for (int t = t0; t < t1; t++) {
                int ps = t * l * s, go = t * l * dv, qo = t * l * d, ko = t * s * d, vo = t * s * dv;
                Gemm.multiply(false, true, g, go, v, vo, ds, 0, l, dv, s, false);
                for (int i = 0; i < l; i++) {
                    int row = i * s;
                    SoftmaxKernelsF32.backwardRow(ds, p, ps + row, ds, row, row + s);
                    for (int j = row; j < row + s; j++) ds[j] *= scale;
                }
                Gemm.multiply(false, false, ds, 0, k, ko, dq, qo, l, s, d, false);
                Gemm.multiply(true, false, ds, 0, q, qo, dk, ko, s, l, d, false);
                Gemm.multiply(true, false, p, ps, g, go, dvOut, vo, s, l, dv, false);
            }
        });
    }
}
