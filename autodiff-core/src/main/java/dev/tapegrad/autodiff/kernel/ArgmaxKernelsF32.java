package dev.tapegrad.autodiff.kernel;

/**
 * The position of the first maximum along the middle axis of {@code [outer, n, inner]} FLOAT32 values
 * (NaN counts as the maximum, as in PyTorch), rows of the reduction split across cores.
 */
public final class ArgmaxKernelsF32 {
    private ArgmaxKernelsF32() {}

    /**
     * Writes into {@code best} ({@code outer * inner}) the first arg-max of each column and, unless it is
     * null, the maxima into {@code values}. Requires {@code n >= 1}.
     */
    public static void argmax(float[] x, float[] values, int[] best, int outer, int n, int inner) {
        Parallel.range(outer, 1, x.length, (o0, o1) -> {
            if (Settings.VECTOR) VectorArgmaxF32.argmax(x, values, best, o0, o1, n, inner);
            else scalar(x, values, best, o0, o1, n, inner);
        });
    }

    /** A running maximum per inner position, row by row (contiguous reads). */
    private static void scalar(float[] x, float[] values, int[] best, int o0, int o1, int n, int inner) {
        float[] m = new float[inner];
        for (int o = o0; o < o1; o++) {
            int base = o * n * inner, out = o * inner;
            System.arraycopy(x, base, m, 0, inner);
            java.util.Arrays.fill(best, out, out + inner, 0);
            for (int k = 1; k < n; k++) {
                int row = base + k * inner;
                for (int i = 0; i < inner; i++) {
                    float v = x[row + i];
                    if (v > m[i] || (v != v && m[i] == m[i])) { m[i] = v; best[out + i] = k; }
                }
            }
            if (values != null) System.arraycopy(m, 0, values, out, inner);
        }
    }
}
