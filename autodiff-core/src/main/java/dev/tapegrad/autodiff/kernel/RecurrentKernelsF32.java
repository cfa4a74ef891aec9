package dev.tapegrad.autodiff.kernel;

/**
 * The fused LSTM cell over a batch of rows, and whole LSTM sequences built from it and {@link Gemm}, FLOAT32; each
 * cell pass split across cores by rows. Row {@code b} of the gates ({@code [B, 4H]}, PyTorch's order {@code i, f, g, o}),
 * of the cell state ({@code [B, H]}) and of the activations ({@code [B, 5H]}: {@code i, f, g, o, tanh(c')}) starts
 * {@code 4Hb}, {@code Hb} and {@code 5Hb} after the block's offset; the outputs {@code h'} and {@code c'} of row
 * {@code b} start {@code stride b} after their own offsets (a cell's {@code [B, 2H]} has stride {@code 2H}, a
 * sequence's {@code [2, T, B, H]} stride {@code H}). The sigmoids and tanhs are {@link UnaryFunction}'s kernels
 * (Vector API when {@link Settings#VECTOR}), applied to each row's range.
 */
public final class RecurrentKernelsF32 {
    private RecurrentKernelsF32() {}

    /**
     * {@code z = gi + gh}; {@code acts = [sigmoid(z_i), sigmoid(z_f), tanh(z_g), sigmoid(z_o), tanh(c')]},
     * {@code c' = f c + i g} at {@code out[co..]} and {@code h' = o tanh(c')} at {@code out[ho..]}, rows {@code stride} apart.
     */
    public static void cellForward(float[] gi, int gio, float[] gh, float[] c, int cio, int batch, int hidden, float[] acts, int ao,
                                   float[] out, int ho, int co, int stride) {
        int h = hidden;
        Parallel.range(batch, 1, (long) batch * 5 * h * UnaryFunction.TANH.cost, (from, to) -> {
            for (int b = from; b < to; b++) {
                int zi = gio + 4 * h * b, z = 4 * h * b, a = ao + 5 * h * b, s = cio + h * b, oh = ho + stride * b, oc = co + stride * b;
                for (int k = Settings.VECTOR ? VectorRecurrentF32.sum(gi, zi, gh, z, acts, a, 4 * h) : 0; k < 4 * h; k++) acts[a + k] = gi[zi + k] + gh[z + k];
                apply(UnaryFunction.SIGMOID, acts, a, a + 2 * h);
                apply(UnaryFunction.TANH, acts, a + 2 * h, a + 3 * h);
                apply(UnaryFunction.SIGMOID, acts, a + 3 * h, a + 4 * h);
                for (int j = Settings.VECTOR ? VectorRecurrentF32.state(acts, a, c, s, out, oc, h) : 0; j < h; j++) {
                    float next = acts[a + h + j] * c[s + j] + acts[a + j] * acts[a + 2 * h + j];
                    out[oc + j] = next;
                    acts[a + 4 * h + j] = next;
                }
                apply(UnaryFunction.TANH, acts, a + 4 * h, a + 5 * h);
                for (int j = Settings.VECTOR ? VectorRecurrentF32.product(acts, a + 3 * h, acts, a + 4 * h, out, oh, h) : 0; j < h; j++)
                    out[oh + j] = acts[a + 3 * h + j] * acts[a + 4 * h + j];
            }
        });
    }

    /**
     * The backward of {@link #cellForward} for the cotangent {@code (g_h, g_c)}, row {@code b} of each at
     * {@code g[gho + stride b..]} and {@code g[gco + stride b..]}, plus {@code dh[dho + Hb..]} and {@code dc[dho + Hb..]} when
     * {@code carry} (the gradient a sequence's later step passed back): {@code d = g_c + g_h o (1 - tanh(c')^2)};
     * {@code dGates = [d g i (1 - i), d c f (1 - f), d i (1 - g^2), g_h tanh(c') o (1 - o)]} at {@code dGates[dzo..]},
     * and {@code dc = d f} (overwriting the carry).
     */
    public static void cellBackward(float[] g, int gho, int gco, int stride, float[] dh, int dho, boolean carry, float[] acts, int ao, float[] c, int cio,
                                    int batch, int hidden, float[] dGates, int dzo, float[] dc) {
        int h = hidden;
        Parallel.range(batch, 1, (long) batch * 16 * h, (from, to) -> {
            for (int b = from; b < to; b++) {
                int z = dzo + 4 * h * b, a = ao + 5 * h * b, s = cio + h * b, oh = gho + stride * b, oc = gco + stride * b, r = dho + h * b;
                for (int j = Settings.VECTOR ? VectorRecurrentF32.backward(g, oh, oc, dh, dc, r, carry, acts, a, c, s, dGates, z, h) : 0; j < h; j++) {
                    float i = acts[a + j], f = acts[a + h + j], cell = acts[a + 2 * h + j], out = acts[a + 3 * h + j], t = acts[a + 4 * h + j];
                    float gh = g[oh + j], gc = g[oc + j];
                    if (carry) {
                        gh += dh[r + j];
                        gc += dc[r + j];
                    }
                    float d = gc + gh * out * (1f - t * t);
                    dGates[z + j] = d * cell * (i * (1f - i));
                    dGates[z + h + j] = d * c[s + j] * (f * (1f - f));
                    dGates[z + 2 * h + j] = d * i * (1f - cell * cell);
                    dGates[z + 3 * h + j] = gh * t * (out * (1f - out));
                    dc[r + j] = d * f;
                }
            }
        });
    }

    /**
     * Rows of the batch, at most, that one task carries through all steps of a sequence: a row's state never depends on
     * another row's, so blocks of rows run whole sequences side by side, with no barrier per step and each block's state in its
     * own core's cache. The blocks depend on the batch size alone, so the results do not depend on the thread count.
     */
    static final int SEQUENCE_ROWS = 16;

    /**
     * {@code steps} LSTM steps: step {@code t} (in order {@code 0..T-1}, or {@code T-1..0} when {@code reverse}) adds
     * {@code h_prev W_hh^T} ({@code whh} {@code [4H, H]}, packed once for all steps) to its gates {@code gi[t]}
     * ({@code [T, B, 4H]}) and runs {@link #cellForward} from the previous step's state ({@code h0}, {@code c0}
     * {@code [B, H]} before the first); {@code out} is {@code [2, T, B, H]}, every step's {@code h} then every step's
     * {@code c}, {@code acts} {@code [T, B, 5H]}. Blocks of {@link #SEQUENCE_ROWS} rows run on the cores side by side; a
     * batch of one block runs step by step with each product and cell pass split across the cores instead.
     */
    public static void sequenceForward(float[] gi, float[] whh, float[] h0, float[] c0, int steps, int batch, int hidden, boolean reverse,
                                       float[] acts, float[] out) {
        Gemm.Packed w = Gemm.pack(true, whh, 0, hidden, 4 * hidden);
        overRowBlocks(batch, (long) steps * batch * 4 * hidden * hidden,
                (b0, b1) -> forwardRows(gi, w, h0, c0, steps, batch, hidden, reverse, acts, out, b0, b1));
    }

    private static void forwardRows(float[] gi, Gemm.Packed w, float[] h0, float[] c0, int steps, int batch, int hidden, boolean reverse,
                                    float[] acts, float[] out, int b0, int b1) {
        int rows = b1 - b0, bh = batch * hidden, cs = steps * bh, r0 = b0 * hidden;
        float[] gh = new float[rows * 4 * hidden];
        for (int s = 0; s < steps; s++) {
            int t = reverse ? steps - 1 - s : s, prev = reverse ? t + 1 : t - 1, at = t * bh + r0;
            Gemm.multiply(false, s == 0 ? h0 : out, s == 0 ? r0 : prev * bh + r0, w, gh, 0, rows, false);
            cellForward(gi, 4 * at, gh, s == 0 ? c0 : out, s == 0 ? r0 : cs + prev * bh + r0, rows, hidden, acts, 5 * at, out, at, cs + at, hidden);
        }
    }

    /**
     * The backward of {@link #sequenceForward} for the cotangent {@code g} ({@code [2, T, B, H]}), through time: the
     * gates' gradients {@code dGates} ({@code [T, B, 4H]}, also the gradient of {@code gi}), {@code dh0} and
     * {@code dc0} ({@code [B, H]}: the gradients of the initial state), each block of rows on its own as in the
     * forward; then {@code dWhh} ({@code [4H, H]}) as one product {@code dGates^T H_prev} over all steps, plus
     * {@code dGates[first]^T h0} unless {@code h0} is all zeros.
     */
    public static void sequenceBackward(float[] g, float[] acts, float[] out, float[] whh, float[] h0, float[] c0, int steps, int batch, int hidden,
                                        boolean reverse, float[] dGates, float[] dh0, float[] dc0, float[] dWhh) {
        Gemm.Packed w = Gemm.pack(false, whh, 0, 4 * hidden, hidden);
        overRowBlocks(batch, (long) steps * batch * 4 * hidden * hidden,
                (b0, b1) -> backwardRows(g, acts, out, w, c0, steps, batch, hidden, reverse, dGates, dh0, dc0, b0, b1));
        // dW_hh: step t's gates against h_prev, which is out's h at t - 1 (forward) or t + 1 (reverse), h0 for the first step
        int bh = batch * hidden, first = reverse ? steps - 1 : 0;
        Gemm.multiply(true, false, dGates, reverse ? 0 : 4 * bh, out, reverse ? bh : 0, dWhh, 0, 4 * hidden, (steps - 1) * batch, hidden, false);
        boolean zero = true;
        for (int i = 0; i < bh && zero; i++) zero = h0[i] == 0;
        if (!zero) Gemm.multiply(true, false, dGates, 4 * first * bh, h0, 0, dWhh, 0, 4 * hidden, batch, hidden, true);
    }

    private static void backwardRows(float[] g, float[] acts, float[] out, Gemm.Packed w, float[] c0, int steps, int batch, int hidden, boolean reverse,
                                     float[] dGates, float[] dh0, float[] dc0, int b0, int b1) {
        int rows = b1 - b0, bh = batch * hidden, cs = steps * bh, r0 = b0 * hidden;
        for (int s = steps - 1; s >= 0; s--) {
            int t = reverse ? steps - 1 - s : s, prev = reverse ? t + 1 : t - 1, at = t * bh + r0;
            cellBackward(g, at, cs + at, hidden, dh0, r0, s < steps - 1, acts, 5 * at, s == 0 ? c0 : out, s == 0 ? r0 : cs + prev * bh + r0,
                    rows, hidden, dGates, 4 * at, dc0);
            Gemm.multiply(false, dGates, 4 * at, w, dh0, r0, rows, false);
        }
    }

    /**
     * {@code body} over {@code ceil(batch / SEQUENCE_ROWS)} blocks of {@code [0, batch)} as equal as can be (17 rows:
     * 9 and 8), the blocks split across the cores.
     */
    private static void overRowBlocks(int batch, long work, Parallel.Range body) {
        int blocks = (batch + SEQUENCE_ROWS - 1) / SEQUENCE_ROWS;
        if (blocks == 1) {
            body.run(0, batch);
            return;
        }
        Parallel.range(blocks, 1, work, (from, to) -> {
            for (int q = from; q < to; q++) body.run((int) ((long) batch * q / blocks), (int) ((long) batch * (q + 1) / blocks));
        });
    }

    /** {@code x[from..to) = fn(x[from..to))} in place. */
    private static void apply(UnaryFunction fn, float[] x, int from, int to) {
        if (Settings.VECTOR) VectorUnaryF32.apply(fn, x, x, from, to);
        else ScalarUnaryF32.apply(fn, x, x, from, to);
    }
}
