package dev.tapegrad.autodiff.kernel;

import java.util.Arrays;

/**
 * {@link Gemm} as plain loops, used when the Vector API is not enabled: i-k-j order (contiguous rows of
 * {@code B}) when {@code B} is not transposed, dot products of rows otherwise; rows of {@code C} split
 * across threads. With {@code add} the product is added to {@code C}.
 */
final class ScalarGemmF32 {
    private ScalarGemmF32() {}

    static void multiply(boolean ta, boolean tb, float[] a, int ao, float[] b, int bo, float[] c, int co, int m, int k, int n, boolean add) {
        Parallel.range(m, 1, (long) m * n * k, (r0, r1) -> {
            for (int i = r0; i < r1; i++) {
                int ci = co + i * n, ai = ta ? ao + i : ao + i * k, as = ta ? m : 1;
                if (tb) {
                    for (int j = 0; j < n; j++) {
                        float s = 0;
                        for (int p = 0, bj = bo + j * k; p < k; p++) s += a[ai + p * as] * b[bj + p];
                        c[ci + j] = add ? c[ci + j] + s : s;
                    }
                } else {
                    if (!add) Arrays.fill(c, ci, ci + n, 0f);
                    for (int p = 0; p < k; p++) {
                        float av = a[ai + p * as];
                        for (int j = 0, bp = bo + p * n; j < n; j++) c[ci + j] += av * b[bp + j];
                    }
                }
            }
        });
    }
}
