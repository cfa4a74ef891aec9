package dev.tapegrad.nn;

import java.util.Random;

/**
 * A multi-layer long short-term memory network, as {@code torch.nn.LSTM} (without {@code proj_size}). At each
 * step, with {@code x} the layer's input and {@code (h, c)} its state, in PyTorch's gate order:
 * <pre>
 * i = sigmoid(W_ii x + b_ii + W_hi h + b_hi)     f = sigmoid(W_if x + b_if + W_hf h + b_hf)
 * g = tanh(W_ig x + b_ig + W_hg h + b_hg)        o = sigmoid(W_io x + b_io + W_ho h + b_ho)
 * c' = f * c + i * g                             h' = o * tanh(c')
 * </pre>
 * Each layer's direction is the fused primitive {@link dev.tapegrad.autodiff.RecurrentCells#lstmSequence}: per step one
 * product {@code h W_hh^T} and one pass over the gates, the backward through time in one sweep with {@code W_hh}'s gradient
 * as one product over all steps (with {@code lengths}, each step is the fused cell {@link dev.tapegrad.autodiff.RecurrentCells#lstm});
 * the same formulas as separate operations would record 14 per step (values equal to within float rounding).
 * Parameters, for layer {@code k} (and with the suffix {@code _reverse} for the second direction):
 * {@code weight_ih_l{k}} {@code [4H, in]} (the rows of {@code W_ii | W_if | W_ig | W_io}; {@code in} is
 * {@code inputSize} for layer 0 and {@code D * H} above), {@code weight_hh_l{k}} {@code [4H, H]},
 * {@code bias_ih_l{k}} and {@code bias_hh_l{k}} {@code [4H]}; all drawn from {@code U(-1/sqrt(H), 1/sqrt(H))}
 * (PyTorch's initialisation), FLOAT32. A PyTorch {@code state_dict} loads with {@link #loadStateDict} unchanged.
 *
 * <p>Shapes, states, variable lengths: see {@link #forward(dev.tapegrad.autodiff.Tensor, RecurrentState, int[])}.
 * Layer {@code k + 1} takes layer {@code k}'s output (both directions concatenated), after dropout with
 * probability {@code dropout} in training mode; dropout has no effect with one layer, and its masks come from
 * the {@code random} given to the constructor.
 */
public final class LSTM extends Recurrent {
    /** {@code LSTM(inputSize, hiddenSize)} with PyTorch's defaults: one layer, biases, {@code [T, B, F]}, no dropout, one direction. */
    public LSTM(int inputSize, int hiddenSize, Random random) { this(inputSize, hiddenSize, 1, true, false, 0, false, random); }

    /**
     * PyTorch's arguments in PyTorch's order: {@code numLayers} stacked layers, {@code bias} whether to have
     * {@code bias_ih} and {@code bias_hh}, {@code batchFirst} for {@code [B, T, F]} input and output (states stay
     * {@code [layers * D, B, H]}), {@code dropout} between layers in training mode, {@code bidirectional} for a second,
     * reverse direction; {@code random} draws the initial weights and later the dropout masks.
     */
    public LSTM(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout, boolean bidirectional,
                Random random) {
        super(Cell.LSTM, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, random);
    }
}
