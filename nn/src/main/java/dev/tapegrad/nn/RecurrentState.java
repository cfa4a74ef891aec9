package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Tensor;

/**
 * The hidden state of a recurrent layer or cell: {@code h} and, for an LSTM, the cell state {@code c}
 * ({@code null} for RNN and GRU). For the layers {@link RNN}, {@link LSTM} and {@link GRU} both are
 * {@code [numLayers * directions, B, hiddenSize]}, indexed {@code layer * directions + direction} (direction 1
 * is the reverse one), as PyTorch's {@code h_n, c_n}, whatever {@code batchFirst} says; for the cells they are
 * {@code [B, hiddenSize]}. Where a method takes a state, {@code null} means zeros.
 */
public record RecurrentState(Tensor h, Tensor c) {
    /** A state without a cell state (RNN, GRU). */
    public RecurrentState(Tensor h) { this(h, null); }
}
