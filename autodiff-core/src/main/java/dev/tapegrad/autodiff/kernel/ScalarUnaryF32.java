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
            case GELU -> { for (int i = from; i < to; i++) y[i] = gelu(x[i]); yield to; }
            case RELU -> { for (int i = from; i < to; i++) y[i] = Math.max(x[i], 0f); yield to; }
            case STEP -> { for (int i = from; i < to; i++) y[i] = x[i] > 0 ? 1f : 0f; yield to; }
        };
        assert done == to;
    }

    /** {@code 1 / sqrt 2} and {@code 1 / sqrt(2 pi)}, in this precision. */
    static final float INV_SQRT2 = (float) (1 / Math.sqrt(2)), INV_SQRT_2PI = (float) (1 / Math.sqrt(2 * Math.PI));

    /** GELU as the composite {@code x.mul(x.mul(1 / sqrt 2).erf().add(1)).mul(0.5)} rounds it. */
    static float gelu(float x) { return x * ((float) Erf.value(x * INV_SQRT2) + 1) * 0.5f; }

    /** {@code out = g (Phi(x) + x phi(x))} over {@code [from, to)}: the GELU backward, {@code phi} the standard normal density. */
    static void geluBackward(float[] g, float[] x, float[] out, int from, int to) {
        for (int i = from; i < to; i++) {
            float v = x[i];
            out[i] = g[i] * (((float) Erf.value(v * INV_SQRT2) + 1) * 0.5f + v * ((float) Math.exp(-0.5f * v * v) * INV_SQRT_2PI));
        }
    }

    /** {@code y = x > 0 ? g : slope g} over {@code [from, to)}, exactly 0 where {@code x <= 0} when {@code slope} is 0: the (leaky) ReLU backward. */
    static void passWherePositive(float[] g, float[] x, float slope, float[] y, int from, int to) {
        if (slope == 0) for (int i = from; i < to; i++) y[i] = x[i] > 0 ? g[i] : 0f;
        else for (int i = from; i < to; i++) y[i] = x[i] > 0 ? g[i] : slope * g[i];
    }
}
