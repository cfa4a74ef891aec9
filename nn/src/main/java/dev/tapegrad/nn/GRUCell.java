package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Tensor;
import java.util.Random;

/**
 * One GRU step, as {@code torch.nn.GRUCell}: the formulas of {@link GRU} on an input {@code [B, inputSize]}
 * and a state {@code h} {@code [B, H]}. Parameters {@code weight_ih} {@code [3H, inputSize]}, {@code weight_hh}
 * {@code [3H, H]}, {@code bias_ih}, {@code bias_hh} {@code [3H]} (gate order r, z, n), from
 * {@code U(-1/sqrt(H), 1/sqrt(H))}.
 */
public final class GRUCell extends RecurrentCell {
    /** A cell with biases. */
    public GRUCell(int inputSize, int hiddenSize, Random random) { this(inputSize, hiddenSize, true, random); }

    /** {@code bias}: whether to have {@code bias_ih} and {@code bias_hh}; {@code random} draws the weights. */
    public GRUCell(int inputSize, int hiddenSize, boolean bias, Random random) { super(Recurrent.Cell.GRU, inputSize, hiddenSize, bias, random); }

    /** {@code h'} for {@code x} {@code [B, inputSize]} from {@code h} {@code [B, H]} ({@code null}: zeros). */
    public Tensor forward(Tensor x, Tensor h) { return step(x, h == null ? null : new RecurrentState(h)).h(); }
}
