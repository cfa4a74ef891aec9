package dev.tapegrad.nn;

import java.util.Random;

/**
 * A multi-layer gated recurrent unit network, as {@code torch.nn.GRU}. At each step, with {@code x} the
 * layer's input and {@code h} its state, in PyTorch's gate order:
 * <pre>
 * r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)     z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
 * n = tanh(W_in x + b_in + r * (W_hn h + b_hn))  h' = (1 - z) * n + z * h
 * </pre>
 * Parameters, for layer {@code k} (suffix {@code _reverse} for the second direction): {@code weight_ih_l{k}}
 * {@code [3H, in]} (rows {@code W_ir | W_iz | W_in}), {@code weight_hh_l{k}} {@code [3H, H]}, {@code bias_ih_l{k}}
 * and {@code bias_hh_l{k}} {@code [3H]}; all from {@code U(-1/sqrt(H), 1/sqrt(H))}, FLOAT32, as PyTorch.
 * The state has no cell part: {@link RecurrentState#c()} is {@code null}.
 *
 * <p>Shapes, states, variable lengths and dropout between layers as in {@link LSTM}.
 */
public final class GRU extends Recurrent {
    /** {@code GRU(inputSize, hiddenSize)} with PyTorch's defaults: one layer, biases, {@code [T, B, F]}, no dropout, one direction. */
    public GRU(int inputSize, int hiddenSize, Random random) { this(inputSize, hiddenSize, 1, true, false, 0, false, random); }

    /**
     * PyTorch's arguments in PyTorch's order: {@code numLayers} stacked layers, {@code bias} whether to have
     * {@code bias_ih} and {@code bias_hh}, {@code batchFirst} for {@code [B, T, F]} input and output (states stay
     * {@code [layers * D, B, H]}), {@code dropout} between layers in training mode, {@code bidirectional} for a second,
     * reverse direction; {@code random} draws the initial weights and later the dropout masks.
     */
    public GRU(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout, boolean bidirectional,
               Random random) {
        super(Cell.GRU, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, random);
    }
}
