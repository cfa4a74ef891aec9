package dev.tapegrad.autodiff;

/**
 * The one narrow interface behind every matrix product: {@code C = A B} for row-major {@code A} (m x k)
 * at {@code a[ao..]}, {@code B} (k x n) at {@code b[bo..]}, overwriting {@code C} (m x n) at {@code c[co..]}.
 * Implementations must give the same result for any thread count.
 */
interface MatMulKernel {
    void multiply(float[] a, int ao, float[] b, int bo, float[] c, int co, int m, int k, int n);

    void multiply(double[] a, int ao, double[] b, int bo, double[] c, int co, int m, int k, int n);

    /** The kernel in use: the Vector API one when {@code jdk.incubator.vector} is enabled, else the scalar one. */
    static MatMulKernel get() { return Selected.KERNEL; }

    final class Selected {
        private Selected() {}

        static final MatMulKernel KERNEL = select();

        private static MatMulKernel select() {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
                try {
                    return (MatMulKernel) Class.forName("dev.tapegrad.autodiff.VectorMatMul").getDeclaredConstructor().newInstance();
                } catch (ReflectiveOperationException | LinkageError e) {
                    System.err.println("tapegrad: the Vector API kernels failed to load (" + e + "); using scalar kernels");
                    return new ScalarMatMul();
                }
            }
            System.err.println("tapegrad: the jdk.incubator.vector module is not enabled, so matrix products use slower scalar kernels;"
                    + " run java with --add-modules jdk.incubator.vector");
            return new ScalarMatMul();
        }
    }
}
