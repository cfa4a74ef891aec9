package dev.tapegrad.autodiff.kernel;

/**
 * Elementwise FLOAT32 kernels over whole arrays, split across cores: the {@link UnaryFunction}s (on the
 * Vector API when {@link Settings#VECTOR}, else plain loops) and the fused backward passes of ReLU,
 * sigmoid and GELU.
 */
public final class UnaryKernelsF32 {
    private UnaryKernelsF32() {}

    /** Elements per task below which one thread does the work. */
    private static final int GRAIN = 1024;

    /** {@code y[i] = fn(x[i])}. */
    public static void apply(UnaryFunction fn, float[] x, float[] y) {
        Parallel.range(x.length, GRAIN, (long) x.length * fn.cost, (from, to) -> {
            if (Settings.VECTOR) VectorUnaryF32.apply(fn, x, y, from, to);
            else ScalarUnaryF32.apply(fn, x, y, from, to);
        });
    }

    /**
     * {@code y[i] = x[i] > 0 ? g[i] : slope g[i]}, exactly 0 where {@code x[i] <= 0} when {@code slope} is 0: the ReLU
     * and leaky ReLU backward, and with {@code g = x} the leaky ReLU.
     */
    public static void passWherePositive(float[] g, float[] x, float slope, float[] y) {
        Parallel.range(y.length, GRAIN, y.length, (from, to) -> {
            if (Settings.VECTOR) VectorUnaryF32.passWherePositive(g, x, slope, y, from, to);
            else ScalarUnaryF32.passWherePositive(g, x, slope, y, from, to);
        });
    }

    /** {@code out[i] = g[i] y[i] (1 - y[i])}: the sigmoid backward from its output {@code y}. */
    public static void sigmoidBackward(float[] g, float[] y, float[] out) {
        Parallel.range(out.length, 1 << 14, out.length, (from, to) -> {
            for (int i = from; i < to; i++) out[i] = g[i] * (y[i] * (1f - y[i]));
        });
    }

    /**
     * {@code out[i] = g[i] (Phi(x[i]) + x[i] phi(x[i]))}: the GELU backward, {@code Phi} and {@code phi} the standard normal's
     * distribution and density; {@code y} is the forward's output {@code x Phi(x)}, from which the vector kernel takes {@code Phi}.
     */
    public static void geluBackward(float[] g, float[] x, float[] y, float[] out) {
        Parallel.range(out.length, GRAIN, (long) out.length * 2 * UnaryFunction.GELU.cost, (from, to) -> {
            if (Settings.VECTOR) VectorUnaryF32.geluBackward(g, x, y, out, from, to);
            else ScalarUnaryF32.geluBackward(g, x, out, from, to);
        });
    }
}
