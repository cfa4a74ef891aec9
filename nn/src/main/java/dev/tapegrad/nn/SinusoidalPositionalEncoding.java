package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Tensor;
import java.util.Random;

/**
 * The fixed sinusoidal positional encoding of "Attention Is All You Need" (PyTorch's Transformer tutorial
 * {@code PositionalEncoding}): {@code dropout(x + pe[:L])} with
 * <pre>
 *   pe[pos, 2i]     = sin(pos / 10000^(2i / dModel))
 *   pe[pos, 2i + 1] = cos(pos / 10000^(2i / dModel))
 * </pre>
 * for an input {@code [B, L, dModel]} ({@code batchFirst}), {@code [L, B, dModel]} or unbatched
 * {@code [L, dModel]}, {@code L <= maxLen}. No parameters; the table is not part of the state dict (it is a
 * function of the constructor's arguments), and it follows the input's dtype.
 */
public final class SinusoidalPositionalEncoding extends Module {
    private final Tensor pe;
    private final boolean batchFirst;
    private final Dropout dropout;

    /** A table for {@code maxLen} positions of {@code dModel} features; {@code dropout} (drawing from {@code random}) after the sum. */
    public SinusoidalPositionalEncoding(int dModel, int maxLen, double dropout, boolean batchFirst, Random random) {
        if (dModel <= 0 || maxLen <= 0)
            throw new IllegalArgumentException("SinusoidalPositionalEncoding: dModel " + dModel + " and maxLen " + maxLen + " must be positive");
        Checks.fits("SinusoidalPositionalEncoding", new long[] {maxLen, dModel});
        this.batchFirst = batchFirst;
        this.dropout = child("dropout", new Dropout(dropout, random));
        double[] t = new double[maxLen * dModel];
        for (int pos = 0; pos < maxLen; pos++)
            for (int j = 0; j < dModel; j++) {
                double angle = pos * Math.exp(-(j - j % 2) * Math.log(10000.0) / dModel);
                t[pos * dModel + j] = j % 2 == 0 ? Math.sin(angle) : Math.cos(angle);
            }
        pe = Tensor.of(t, maxLen, dModel);
    }

    /** The table {@code [maxLen, dModel]} (FLOAT64). */
    public Tensor table() { return pe; }

    @Override
    public Tensor forward(Tensor x) {
        return dropout.forward(Positions.add("SinusoidalPositionalEncoding", x, pe, batchFirst));
    }
}
