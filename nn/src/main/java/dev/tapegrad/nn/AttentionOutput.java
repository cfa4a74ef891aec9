package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Tensor;

/**
 * What {@link MultiheadAttention#forward(Tensor, Tensor, Tensor, Tensor, Tensor)} returns, as PyTorch's
 * {@code (attn_output, attn_output_weights)}: the output in the input's layout ({@code [B, L, E]} batch first,
 * {@code [L, B, E]} otherwise, {@code [L, E]} unbatched) and the attention weights averaged over the heads,
 * {@code [B, L, S]} ({@code [L, S]} unbatched).
 */
public record AttentionOutput(Tensor output, Tensor weights) {}
