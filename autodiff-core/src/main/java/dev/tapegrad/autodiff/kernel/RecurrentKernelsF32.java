package dev.tapegrad.autodiff.kernel;

/**
 * The fused LSTM cell over a batch of rows, FLOAT32, split across cores by rows. Row {@code b} of the gates
 * ({@code [B, 4H]}, PyTorch's order {@code i, f, g, o}), of the cell state ({@code [B, H]}), of the activations
 * ({@code [B, 5H]}: {@code i, f, g, o, tanh(c')}) and of the output ({@code [B, 2H]}: {@code h', c'}) starts at
 * {@code 4Hb}, {@code Hb}, {@code 5Hb} and {@code 2Hb}. The sigmoids and tanhs are {@link UnaryFunction}'s kernels
 * (Vector API when {@link Settings#VECTOR}), applied to each row's range.
 */
public final class RecurrentKernelsF32 {
    private RecurrentKernelsF32() {}

    /**
     * {@code z = gi + gh}; {@code acts = [sigmoid(z_i), sigmoid(z_f), tanh(z_g), sigmoid(z_o), tanh(c')]} and
     * {@code out = [h', c']} with {@code c' = f c + i g}, {@code h' = o tanh(c')}.
     */
    public static void lstmForward(float[] gi, float[] gh, float[] c, int batch, int hidden, float[] acts, float[] out) {
        int h = hidden;
        Parallel.range(batch, 1, (long) batch * 5 * h * UnaryFunction.TANH.cost, (from, to) -> {
            for (int b = from; b < to; b++) {
                int z = 4 * h * b, a = 5 * h * b, s = h * b, o = 2 * h * b;
                for (int k = 0; k < 4 * h; k++) acts[a + k] = gi[z + k] + gh[z + k];
                apply(UnaryFunction.SIGMOID, acts, a, a + 2 * h);
                apply(UnaryFunction.TANH, acts, a + 2 * h, a + 3 * h);
                apply(UnaryFunction.SIGMOID, acts, a + 3 * h, a + 4 * h);
                for (int j = 0; j < h; j++) {
                    float next = acts[a + h + j] * c[s + j] + acts[a + j] * acts[a + 2 * h + j];
                    out[o + h + j] = next;
                    acts[a + 4 * h + j] = next;
                }
                apply(UnaryFunction.TANH, acts, a + 4 * h, a + 5 * h);
                for (int j = 0; j < h; j++) out[o + j] = acts[a + 3 * h + j] * acts[a + 4 * h + j];
            }
        });
    }

    /**
     * The backward of {@link #lstmForward} for the cotangent {@code g = [g_h, g_c]} ({@code [B, 2H]}):
     * {@code d = g_c + g_h o (1 - tanh(c')^2)}; {@code dGates = [d g i (1 - i), d c f (1 - f), d i (1 - g^2),
     * g_h tanh(c') o (1 - o)]}, {@code dc = d f}.
     */
    public static void lstmBackward(float[] g, float[] acts, float[] c, int batch, int hidden, float[] dGates, float[] dc) {
        int h = hidden;
        Parallel.range(batch, 1, (long) batch * 16 * h, (from, to) -> {
            for (int b = from; b < to; b++) {
                int z = 4 * h * b, a = 5 * h * b, s = h * b, o = 2 * h * b;
                for (int j = 0; j < h; j++) {
                    float i = acts[a + j], f = acts[a + h + j], cell = acts[a + 2 * h + j], out = acts[a + 3 * h + j], t = acts[a + 4 * h + j];
                    float gh = g[o + j], d = g[o + h + j] + gh * out * (1f - t * t);
                    dGates[z + j] = d * cell * (i * (1f - i));
                    dGates[z + h + j] = d * c[s + j] * (f * (1f - f));
                    dGates[z + 2 * h + j] = d * i * (1f - cell * cell);
                    dGates[z + 3 * h + j] = gh * t * (out * (1f - out));
                    dc[s + j] = d * f;
                }
            }
        });
    }

    /** {@code x[from..to) = fn(x[from..to))} in place. */
    private static void apply(UnaryFunction fn, float[] x, int from, int to) {
        if (Settings.VECTOR) VectorUnaryF32.apply(fn, x, x, from, to);
        else ScalarUnaryF32.apply(fn, x, x, from, to);
    }
}
