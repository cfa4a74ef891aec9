package dev.tapegrad.autodiff.kernel;

/**
 * Layer norm's standardisation of rows of length {@code d} ({@code rows x d}, row-major) and its backward, a row at a
 * time (a row stays in cache between its passes), rows split across cores. Each row's sums are accumulated in double
 * in one order, so results do not depend on the thread count.
 */
public final class LayerNormKernelsF32 {
    private LayerNormKernelsF32() {}

    /**
     * {@code y = (x - mean) rstd} per row with {@code rstd = 1 / sqrt(var + eps)}, the biased variance; {@code rstd}
     * is kept per row for the backward.
     */
    public static void forward(float[] x, float[] y, float[] rstd, int rows, int d, double eps) {
        Parallel.range(rows, 1, (long) rows * d * 4, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int o = r * d, end = o + d;
                double s = 0;
                for (int i = o; i < end; i++) s += x[i];
                double mean = s / d, q = 0;
                for (int i = o; i < end; i++) {
                    double c = x[i] - mean;
                    q += c * c;
                }
                double inv = 1 / Math.sqrt(q / d + eps);
                rstd[r] = (float) inv;
                for (int i = o; i < end; i++) y[i] = (float) ((x[i] - mean) * inv);
            }
        });
    }

    /** {@code dx = rstd (g - mean(g) - y mean(g y))} per row: the gradient of the standardised {@code y} for the cotangent {@code g}. */
    public static void backward(float[] g, float[] y, float[] rstd, float[] dx, int rows, int d) {
        Parallel.range(rows, 1, (long) rows * d * 4, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int o = r * d, end = o + d;
                double sg = 0, sgy = 0;
                for (int i = o; i < end; i++) {
                    sg += g[i];
                    sgy += (double) g[i] * y[i];
                }
                double mg = sg / d, mgy = sgy / d, inv = rstd[r];
                for (int i = o; i < end; i++) dx[i] = (float) (inv * (g[i] - mg - y[i] * mgy));
            }
        });
    }
}
