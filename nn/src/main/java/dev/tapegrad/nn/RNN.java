package dev.tapegrad.nn;

import java.util.Random;

/**
 * A multi-layer Elman network, as {@code torch.nn.RNN}: {@code h' = act(W_ih x + b_ih + W_hh h + b_hh)} with
 * {@code act} tanh or ReLU ({@code nonlinearity} {@code "tanh"} or {@code "relu"}). Parameters, for layer
 * {@code k} (suffix {@code _reverse} for the second direction): {@code weight_ih_l{k}} {@code [H, in]},
 * {@code weight_hh_l{k}} {@code [H, H]}, {@code bias_ih_l{k}}, {@code bias_hh_l{k}} {@code [H]}; all from
 * {@code U(-1/sqrt(H), 1/sqrt(H))}, FLOAT32, as PyTorch. The state has no cell part.
 *
 * <p>Shapes, states, variable lengths and dropout between layers as in {@link LSTM}.
 */
public final class RNN extends Recurrent {
    /** {@code RNN(inputSize, hiddenSize)} with PyTorch's defaults: one layer, tanh, biases, {@code [T, B, F]}, no dropout, one direction. */
    public RNN(int inputSize, int hiddenSize, Random random) { this(inputSize, hiddenSize, 1, "tanh", true, false, 0, false, random); }

    /**
     * PyTorch's arguments in PyTorch's order ({@code nonlinearity} {@code "tanh"} or {@code "relu"}): {@code numLayers}
     * stacked layers, {@code bias} whether to have {@code bias_ih} and {@code bias_hh}, {@code batchFirst} for {@code [B, T, F]} input and output (states stay
     * {@code [layers * D, B, H]}), {@code dropout} between layers in training mode, {@code bidirectional} for a second,
     * reverse direction; {@code random} draws the initial weights and later the dropout masks.
     */
    public RNN(int inputSize, int hiddenSize, int numLayers, String nonlinearity, boolean bias, boolean batchFirst, double dropout,
               boolean bidirectional, Random random) {
        super(nonlinearity("RNN", nonlinearity), inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, random);
    }

    /** {@code "tanh"} or {@code "relu"}, for {@code layer}'s messages. */
    static Cell nonlinearity(String layer, String name) {
        return switch (String.valueOf(name)) {
            case "tanh" -> Cell.TANH;
            case "relu" -> Cell.RELU;
            default -> throw new IllegalArgumentException(layer + ": nonlinearity must be \"tanh\" or \"relu\", got " + (name == null ? "null" : "\"" + name + "\""));
        };
    }
}
