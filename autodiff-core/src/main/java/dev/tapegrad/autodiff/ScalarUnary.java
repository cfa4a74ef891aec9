package dev.tapegrad.autodiff;

/** {@link Unary} as plain loops (used without the Vector API). The FLOAT64 method is the FLOAT32 one with the type replaced. */
final class ScalarUnary implements Unary.Kernel {
    @Override
    public void apply(Unary fn, float[] x, float[] y, int from, int to) {
        switch (fn) {
            case NEG -> { for (int i = from; i < to; i++) y[i] = -x[i]; }
            case ABS -> { for (int i = from; i < to; i++) y[i] = Math.abs(x[i]); }
            case SQRT -> { for (int i = from; i < to; i++) y[i] = (float) Math.sqrt(x[i]); }
            case EXP -> { for (int i = from; i < to; i++) y[i] = (float) Math.exp(x[i]); }
            case LOG -> { for (int i = from; i < to; i++) y[i] = (float) Math.log(x[i]); }
            case TANH -> { for (int i = from; i < to; i++) y[i] = (float) Math.tanh(x[i]); }
            case SIGMOID -> { for (int i = from; i < to; i++) y[i] = (float) (1 / (1 + Math.exp(-x[i]))); }
            case SIN -> { for (int i = from; i < to; i++) y[i] = (float) Math.sin(x[i]); }
            case COS -> { for (int i = from; i < to; i++) y[i] = (float) Math.cos(x[i]); }
            case RELU -> { for (int i = from; i < to; i++) y[i] = Math.max(x[i], 0f); }
            case STEP -> { for (int i = from; i < to; i++) y[i] = x[i] > 0 ? 1f : 0f; }
        }
    }

    @Override
    public void apply(Unary fn, double[] x, double[] y, int from, int to) {
        switch (fn) {
            case NEG -> { for (int i = from; i < to; i++) y[i] = -x[i]; }
            case ABS -> { for (int i = from; i < to; i++) y[i] = Math.abs(x[i]); }
            case SQRT -> { for (int i = from; i < to; i++) y[i] = Math.sqrt(x[i]); }
            case EXP -> { for (int i = from; i < to; i++) y[i] = Math.exp(x[i]); }
            case LOG -> { for (int i = from; i < to; i++) y[i] = Math.log(x[i]); }
            case TANH -> { for (int i = from; i < to; i++) y[i] = Math.tanh(x[i]); }
            case SIGMOID -> { for (int i = from; i < to; i++) y[i] = 1 / (1 + Math.exp(-x[i])); }
            case SIN -> { for (int i = from; i < to; i++) y[i] = Math.sin(x[i]); }
            case COS -> { for (int i = from; i < to; i++) y[i] = Math.cos(x[i]); }
            case RELU -> { for (int i = from; i < to; i++) y[i] = Math.max(x[i], 0d); }
            case STEP -> { for (int i = from; i < to; i++) y[i] = x[i] > 0 ? 1d : 0d; }
        }
    }

    @Override
    public void passWherePositive(float[] g, float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) y[i] = x[i] > 0 ? g[i] : 0f;
    }

    @Override
    public void passWherePositive(double[] g, double[] x, double[] y, int from, int to) {
        for (int i = from; i < to; i++) y[i] = x[i] > 0 ? g[i] : 0d;
    }
}
