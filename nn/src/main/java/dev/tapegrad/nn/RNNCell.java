package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Tensor;
import java.util.Random;

/**
 * One Elman step, as {@code torch.nn.RNNCell}: {@code h' = act(x W_ih^T + b_ih + h W_hh^T + b_hh)} with
 * {@code act} tanh or ReLU, on an input {@code [B, inputSize]} and a state {@code [B, H]}. Parameters
 * {@code weight_ih} {@code [H, inputSize]}, {@code weight_hh} {@code [H, H]}, {@code bias_ih}, {@code bias_hh}
 * {@code [H]}, from {@code U(-1/sqrt(H), 1/sqrt(H))}.
 */
public final class RNNCell extends RecurrentCell {
    /** A tanh cell with biases. */
    public RNNCell(int inputSize, int hiddenSize, Random random) { this(inputSize, hiddenSize, true, "tanh", random); }

    /** PyTorch's arguments in PyTorch's order: {@code nonlinearity} {@code "tanh"} or {@code "relu"}; {@code random} draws the weights. */
    public RNNCell(int inputSize, int hiddenSize, boolean bias, String nonlinearity, Random random) {
        super(RNN.nonlinearity("RNNCell", nonlinearity), inputSize, hiddenSize, bias, random);
    }

    /** {@code h'} for {@code x} {@code [B, inputSize]} from {@code h} {@code [B, H]} ({@code null}: zeros). */
    public Tensor forward(Tensor x, Tensor h) { return step(x, h == null ? null : new RecurrentState(h)).h(); }
}
