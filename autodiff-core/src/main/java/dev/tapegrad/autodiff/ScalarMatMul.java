package dev.tapegrad.autodiff;

/** Plain-loop matrix product (i-k-j order), used when the Vector API module is not enabled. */
final class ScalarMatMul implements MatMulKernel {
    @Override
    public void multiply(float[] a, int ao, float[] b, int bo, float[] c, int co, int m, int k, int n) {
        Parallel.rows(m, 1, (long) m * n * k, (r0, r1) -> {
            for (int i = r0; i < r1; i++) {
                int ci = co + i * n;
                java.util.Arrays.fill(c, ci, ci + n, 0f);
                for (int p = 0; p < k; p++) {
                    float av = a[ao + i * k + p];
                    int bp = bo + p * n;
                    for (int j = 0; j < n; j++) c[ci + j] += av * b[bp + j];
                }
            }
        });
    }

    @Override
    public void multiply(double[] a, int ao, double[] b, int bo, double[] c, int co, int m, int k, int n) {
        Parallel.rows(m, 1, (long) m * n * k, (r0, r1) -> {
            for (int i = r0; i < r1; i++) {
                int ci = co + i * n;
                java.util.Arrays.fill(c, ci, ci + n, 0d);
                for (int p = 0; p < k; p++) {
                    double av = a[ao + i * k + p];
                    int bp = bo + p * n;
                    for (int j = 0; j < n; j++) c[ci + j] += av * b[bp + j];
                }
            }
        });
    }
}
