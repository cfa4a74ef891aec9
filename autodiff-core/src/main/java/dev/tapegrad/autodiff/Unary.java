package dev.tapegrad.autodiff;

/**
 * The elementwise functions with fast kernels: {@link VectorUnary} on the Vector API when the module is
 * enabled, {@link ScalarUnary} otherwise. {@link #apply} splits large tensors across cores.
 */
enum Unary {
    NEG, ABS, SQRT, EXP, LOG, TANH, SIGMOID, SIN, COS, RELU,
    /** {@code x > 0 ? 1 : 0}, the derivative of {@code RELU}. */
    STEP;

    /** {@code y[from..to) = fn(x[from..to))} for one dtype. */
    interface Kernel {
        void apply(Unary fn, float[] x, float[] y, int from, int to);

        void apply(Unary fn, double[] x, double[] y, int from, int to);

        /** {@code y = x > 0 ? g : 0} over {@code [from, to)}: the ReLU backward, branch-free. */
        void passWherePositive(float[] g, float[] x, float[] y, int from, int to);

        void passWherePositive(double[] g, double[] x, double[] y, int from, int to);
    }

    private static final Kernel KERNEL = VectorSupport.ENABLED ? new VectorUnary() : new ScalarUnary();
    /** Work units per element: the transcendental functions cost several times a simple one. */
    private static final int CHEAP = 1, COSTLY = 8;

    /** {@code fn} applied to every element of {@code x}, into a new tensor. */
    Tensor apply(Tensor x) {
        Tensor out = Tensor.alloc(x.dtype(), x.shape);
        int cost = ordinal() <= SQRT.ordinal() || this == RELU || this == STEP ? CHEAP : COSTLY;
        Parallel.range(x.numel(), 1024, (long) x.numel() * cost, (from, to) -> {
            if (x.f != null) KERNEL.apply(this, x.f, out.f, from, to);
            else KERNEL.apply(this, x.d, out.d, from, to);
        });
        return out;
    }

    /** {@code x > 0 ? g : 0} elementwise (the ReLU backward); a gradient always has its tensor's shape and dtype. */
    static Tensor passWherePositive(Tensor g, Tensor x) {
        Tensor out = Tensor.alloc(g.dtype(), g.shape);
        Parallel.range(out.numel(), 1024, out.numel(), (from, to) -> {
            if (g.f != null) KERNEL.passWherePositive(g.f, x.f, out.f, from, to);
            else KERNEL.passWherePositive(g.d, x.d, out.d, from, to);
        });
        return out;
    }
}
