package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Tensor;

/**
 * What a recurrent layer returns: the {@code output} sequence, {@code [T, B, directions * hiddenSize]}
 * ({@code [B, T, directions * hiddenSize]} with {@code batchFirst}), the last layer's {@code h} at every step
 * with the directions concatenated on the last axis; and the final {@code state} of every layer and direction
 * (PyTorch's {@code output, (h_n, c_n)}).
 */
public record RecurrentOutput(Tensor output, RecurrentState state) {}
