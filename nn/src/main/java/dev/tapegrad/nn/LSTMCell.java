package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Tensor;
import java.util.Random;

/**
 * One LSTM step, as {@code torch.nn.LSTMCell}: the formulas of {@link LSTM} on an input {@code [B, inputSize]}
 * and a state {@code (h, c)}, each {@code [B, H]}. Parameters {@code weight_ih} {@code [4H, inputSize]},
 * {@code weight_hh} {@code [4H, H]}, {@code bias_ih}, {@code bias_hh} {@code [4H]} (gate order i, f, g, o),
 * from {@code U(-1/sqrt(H), 1/sqrt(H))}. {@link #forward(Tensor)} returns {@code h'} from a zero state. The step is the
 * fused primitive {@link dev.tapegrad.autodiff.RecurrentCells#lstm}, as in {@link LSTM}.
 */
public final class LSTMCell extends RecurrentCell {
    /** A cell with biases. */
    public LSTMCell(int inputSize, int hiddenSize, Random random) { this(inputSize, hiddenSize, true, random); }

    /** {@code bias}: whether to have {@code bias_ih} and {@code bias_hh}; {@code random} draws the weights. */
    public LSTMCell(int inputSize, int hiddenSize, boolean bias, Random random) { super(Recurrent.Cell.LSTM, inputSize, hiddenSize, bias, random); }

    /** The next state {@code (h', c')} for {@code x} {@code [B, inputSize]} from {@code state} ({@code null}: zeros). */
    public RecurrentState forward(Tensor x, RecurrentState state) { return step(x, state); }
}
