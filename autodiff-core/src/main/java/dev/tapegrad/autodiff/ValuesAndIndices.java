package dev.tapegrad.autodiff;

/**
 * The result of {@link Tensor#sort} and {@link Tensor#topk}, as PyTorch's {@code (values, indices)}: the
 * values (differentiable: a gather of the input) and their positions along the axis (integral values in
 * the input's dtype, never recorded).
 */
public record ValuesAndIndices(Tensor values, Tensor indices) {}
