package dev.tapegrad.autodiff.kernel;

/**
 * Layer norm over rows of length {@code d} ({@code rows x d}, row-major), its standardisation and affine {@code y w + b}
 * in one pass per row, and its backward, a row at a time (a row stays in cache between its passes), rows split across
 * cores; with the Vector API each row runs in vector lanes ({@code VectorLayerNormF32}). Each row's sums are accumulated in
 * double in one order, so results do not depend on the thread count.
 */
public final class LayerNormKernelsF32 {
    private LayerNormKernelsF32() {}

    /** Rows per block of the weight and bias gradients' partial sums (a fixed split, so their sums do not depend on the thread count). */
    static final int BLOCK = 32;

    /**
     * {@code z = y w + b} per row with {@code y = (x - mean) rstd}, {@code rstd = 1 / sqrt(var + eps)} and the biased
     * variance; {@code w} and {@code b} ({@code d} values) may be null (1 and 0). The rows' mean and {@code rstd} are kept
     * in double for the backward (which forms {@code y} again from them exactly as here).
     */
    public static void forward(float[] x, float[] w, float[] b, float[] z, double[] mean, double[] rstd, int rows, int d, double eps) {
        Parallel.range(rows, 1, (long) rows * d * 5, (r0, r1) -> {
            double[] lanes = Settings.VECTOR ? new double[VectorLayerNormF32.L] : null;
            for (int r = r0; r < r1; r++) {
                if (lanes != null) {
                    VectorLayerNormF32.forwardRow(x, w, b, z, mean, rstd, r, r * d, d, eps, lanes);
                    continue;
                }
                int o = r * d, end = o + d;
                double s = 0;
                for (int i = o; i < end; i++) s += x[i];
                double m = s / d, q = 0;
                for (int i = o; i < end; i++) {
                    double c = x[i] - m;
                    q += c * c;
                }
                double inv = 1 / Math.sqrt(q / d + eps);
                mean[r] = m;
                rstd[r] = inv;
                if (w == null && b == null) for (int i = o; i < end; i++) z[i] = (float) ((x[i] - m) * inv);
                else for (int i = o, j = 0; i < end; i++, j++) z[i] = (float) ((x[i] - m) * inv * (w == null ? 1 : w[j]) + (b == null ? 0 : b[j]));
            }
        });
    }

    /**
     * The gradients for the cotangent {@code g} of {@link #forward}'s {@code z}, {@code y} formed again from {@code x}, the
     * kept mean and {@code rstd}: {@code dx = rstd (g w - mean(g w) - y mean(g w y))} per row, and where not null
     * {@code dw = sum_rows g y} and {@code db = sum_rows g} (overwritten), summed in double per block of {@link #BLOCK}
     * rows, then block by block in order.
     */
    public static void backward(float[] g, float[] x, float[] w, double[] mean, double[] rstd, float[] dx, float[] dw, float[] db, int rows, int d) {
        int blocks = (rows + BLOCK - 1) / BLOCK;
        double[] pw = dw == null ? null : new double[blocks * d], pb = db == null ? null : new double[blocks * d];
        Parallel.range(blocks, 1, (long) rows * d * 8, (k0, k1) -> {
            double[] lanes = Settings.VECTOR ? new double[VectorLayerNormF32.L] : null;
            for (int k = k0; k < k1; k++) {
                for (int r = k * BLOCK, last = Math.min(rows, r + BLOCK), p = k * d; r < last; r++) {
                    int o = r * d;
                    if (lanes != null) {
                        VectorLayerNormF32.backwardRow(g, x, w, mean[r], rstd[r], dx, pw, pb, o, p, d, lanes);
                        continue;
                    }
                    double m = mean[r], inv = rstd[r], sg = 0, sgy = 0;
                    for (int j = 0; j < d; j++) {
                        double y = (x[o + j] - m) * inv, gw = w == null ? g[o + j] : (double) g[o + j] * w[j];
                        sg += gw;
                        sgy += gw * y;
                        if (pw != null) pw[p + j] += g[o + j] * y;
                        if (pb != null) pb[p + j] += g[o + j];
                    }
                    double mg = sg / d, mgy = sgy / d;
                    for (int j = 0; j < d; j++) {
                        double y = (x[o + j] - m) * inv, gw = w == null ? g[o + j] : (double) g[o + j] * w[j];
                        dx[o + j] = (float) (inv * (gw - mg - y * mgy));
                    }
                }
            }
        });
        for (int j = 0; j < d; j++) {
            double sw = 0, sb = 0;
            for (int k = 0; k < blocks; k++) {
                if (pw != null) sw += pw[k * d + j];
                if (pb != null) sb += pb[k * d + j];
            }
            if (dw != null) dw[j] = (float) sw;
            if (db != null) db[j] = (float) sb;
        }
    }
}
