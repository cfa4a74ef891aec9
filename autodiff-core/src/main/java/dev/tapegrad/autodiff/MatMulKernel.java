package dev.tapegrad.autodiff;

/**
 * The one narrow interface behind every matrix product: {@code C = op(A) op(B)}, overwriting {@code C}
 * (m x n, row-major at {@code c[co..]}). {@code op(A)} is m x k: {@code A} is stored row-major as m x k at
 * {@code a[ao..]}, or as k x m when {@code ta} (then {@code op(A) = A^T}, read without copying);
 * likewise {@code op(B)} is k x n, stored as k x n or, when {@code tb}, as n x k. Implementations give
 * the same result for any thread count.
 */
interface MatMulKernel {
    void multiply(boolean ta, boolean tb, float[] a, int ao, float[] b, int bo, float[] c, int co, int m, int k, int n);

    void multiply(boolean ta, boolean tb, double[] a, int ao, double[] b, int bo, double[] c, int co, int m, int k, int n);

    /** The kernel in use: the Vector API one when {@code jdk.incubator.vector} is enabled, else the scalar one. */
    static MatMulKernel get() { return Selected.KERNEL; }

    final class Selected {
        private Selected() {}

        static final MatMulKernel KERNEL = VectorSupport.ENABLED ? new VectorMatMul() : new ScalarMatMul();
    }
}
