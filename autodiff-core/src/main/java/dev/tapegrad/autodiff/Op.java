package dev.tapegrad.autodiff;

/**
 * The closed set of differentiable primitives. Each is implemented once, forward and backward side by
 * side, in {@code Elementwise}, {@code Reductions}, {@code Movement} or {@code Linalg}; every other
 * {@link Tensor} method is a composite of these and has no backward code of its own. A test fails the
 * build when a constant here has no gradient property.
 */
public enum Op {
    NEG, EXP, LOG, SIN, COS, TANH, SIGMOID, RELU, ABS, POW, ERF, SOFTPLUS,
    ADD, SUB, MUL, DIV, MAXIMUM, WHERE,
    SUM, MAX,
    RESHAPE, PERMUTE, EXPAND, SLICE, PAD, CAT, GATHER, SCATTER_ADD, UNFOLD, FOLD,
    MATMUL, CAST
}
