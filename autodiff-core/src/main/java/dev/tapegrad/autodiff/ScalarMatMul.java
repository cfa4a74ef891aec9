package dev.tapegrad.autodiff;

import java.util.Arrays;

/**
 * Plain-loop matrix product, used when the Vector API module is not enabled: i-k-j order (contiguous rows
 * of {@code B}) when {@code B} is not transposed, dot products of rows otherwise. The FLOAT64 method is the
 * FLOAT32 one with the element type replaced.
 */
final class ScalarMatMul implements MatMulKernel {
    @Override
    public void multiply(boolean ta, boolean tb, float[] a, int ao, float[] b, int bo, float[] c, int co, int m, int k, int n) {
        Parallel.range(m, 1, (long) m * n * k, (r0, r1) -> {
            for (int i = r0; i < r1; i++) {
                int ci = co + i * n, ai = ta ? ao + i : ao + i * k, as = ta ? m : 1;
                if (tb) {
                    for (int j = 0; j < n; j++) {
                        float s = 0;
                        for (int p = 0, bj = bo + j * k; p < k; p++) s += a[ai + p * as] * b[bj + p];
                        c[ci + j] = s;
                    }
                } else {
                    Arrays.fill(c, ci, ci + n, 0f);
                    for (int p = 0; p < k; p++) {
                        float av = a[ai + p * as];
                        for (int j = 0, bp = bo + p * n; j < n; j++) c[ci + j] += av * b[bp + j];
                    }
                }
            }
        });
    }

    @Override
    public void multiply(boolean ta, boolean tb, double[] a, int ao, double[] b, int bo, double[] c, int co, int m, int k, int n) {
        Parallel.range(m, 1, (long) m * n * k, (r0, r1) -> {
            for (int i = r0; i < r1; i++) {
                int ci = co + i * n, ai = ta ? ao + i : ao + i * k, as = ta ? m : 1;
                if (tb) {
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int p = 0, bj = bo + j * k; p < k; p++) s += a[ai + p * as] * b[bj + p];
                        c[ci + j] = s;
                    }
                } else {
                    Arrays.fill(c, ci, ci + n, 0d);
                    for (int p = 0; p < k; p++) {
                        double av = a[ai + p * as];
                        for (int j = 0, bp = bo + p * n; j < n; j++) c[ci + j] += av * b[bp + j];
                    }
                }
            }
        });
    }
}
