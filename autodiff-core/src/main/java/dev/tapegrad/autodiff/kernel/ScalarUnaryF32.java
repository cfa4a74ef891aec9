package dev.tapegrad.autodiff.kernel;

import org.apache.commons.numbers.gamma.Erf;

/** {@link UnaryFunction}s as plain loops: the kernels without the Vector API, and the vector kernels' remainders. */
final class ScalarUnaryF32 {
    private ScalarUnaryF32() {}

    /** {@code y[from..to) = fn(x[from..to))}. */
    static void apply(UnaryFunction fn, float[] x, float[] y, int from, int to) {
        int done = switch (fn) {
            case NEG -> { for (int i = from; i < to; i++) y[i] = -x[i]; yield to; }
            case ABS -> { for (int i = from; i < to; i++) y[i] = Math.abs(x[i]); yield to; }
            case SQRT -> { for (int i = from; i < to; i++) y[i] = (float) Math.sqrt(x[i]); yield to; }
            case EXP -> { for (int i = from; i < to; i++) y[i] = (float) Math.exp(x[i]); yield to; }
            case LOG -> { for (int i = from; i < to; i++) y[i] = (float) Math.log(x[i]); yield to; }
            case TANH -> { for (int i = from; i < to; i++) y[i] = (float) Math.tanh(x[i]); yield to; }
            case SIGMOID -> { for (int i = from; i < to; i++) y[i] = (float) (1 / (1 + Math.exp(-x[i]))); yield to; }
            case SIN -> { for (int i = from; i < to; i++) y[i] = (float) Math.sin(x[i]); yield to; }
            case COS -> { for (int i = from; i < to; i++) y[i] = (float) Math.cos(x[i]); yield to; }
            case ERF -> { for (int i = from; i < to; i++) y[i] = (float) Erf.value(x[i]); yield to; }
            case RELU -> { for (int i = from; i < to; i++) y[i] = Math.max(x[i], 0f); yield to; }
            case STEP -> { for (int i = from; i < to; i++) y[i] = x[i] > 0 ? 1f : 0f; yield to; }
        };
        assert done == to;
    }

    /** {@code y = x > 0 ? g : 0} over {@code [from, to)}: the ReLU backward. */
    static void passWherePositive(float[] g, float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) y[i] = x[i] > 0 ? g[i] : 0f;
    }
}
