package dev.tapegrad.autodiff;

/**
 * The closed set of differentiable primitives. Each is implemented once, forward and backward side by
 * side, in the file named below; every other {@link Tensor} method and every functional op ({@link Conv},
 * {@link Pool}, {@link Interpolate}, {@link Normalization}) is a composite of these and has no backward
 * code of its own, except training-mode batch norm, which is the primitive {@link #BATCH_NORM}, layer norm's
 * standardisation ({@link #LAYER_NORM}), the LSTM cell ({@link #LSTM_CELL}) and sequence ({@link #LSTM_SEQUENCE}), the softmax ({@link #SOFTMAX}),
 * scaled dot-product attention ({@link #ATTENTION}) and the convolutions ({@link #CONV2D}, {@link #CONV_TRANSPOSE2D}). A test
 * fails the build when a constant here has no gradient property.
 *
 * <ul>
 *   <li>{@code Elementwise}: {@link #NEG}, {@link #EXP}, {@link #LOG}, {@link #SIN}, {@link #COS}, {@link #TANH},
 *       {@link #SIGMOID}, {@link #RELU}, {@link #LEAKY_RELU}, {@link #ABS}, {@link #POW}, {@link #ERF}, {@link #GELU}, {@link #SOFTPLUS}, {@link #LOG1P},
 *       {@link #EXPM1}, {@link #ADD},
 *       {@link #SUB}, {@link #MUL}, {@link #DIV}, {@link #MAXIMUM}, {@link #WHERE}</li>
 *   <li>{@code Reductions}: {@link #SUM}, {@link #MAX}</li>
 *   <li>{@code Movement}: {@link #RESHAPE}, {@link #PERMUTE}, {@link #EXPAND}, {@link #SLICE}, {@link #PAD},
 *       {@link #CAT}, {@link #GATHER}, {@link #SCATTER_ADD}</li>
 *   <li>{@code Unfold}: {@link #UNFOLD} (im2col), {@link #FOLD} (col2im)</li>
 *   <li>{@code Convolution}: {@link #CONV2D}, {@link #CONV_TRANSPOSE2D} (fused: the columns unfolded a few samples at a
 *       time into a buffer of the thread's, never for the whole batch)</li>
 *   <li>{@code MatMul}: {@link #MATMUL}</li>
 *   <li>{@code Cast}: {@link #CAST}</li>
 *   <li>{@code Normalization}: {@link #BATCH_NORM} (fused: three passes forward, two backward), {@link #LAYER_NORM} (layer
 *       norm's standardisation over the last axis, fused: one pass per row each way)</li>
 *   <li>{@code RecurrentCells}: {@link #LSTM_CELL} (fused: one pass forward, one backward), {@link #LSTM_SEQUENCE} (an LSTM
 *       layer's steps with their hidden projections, fused: backward through time in one sweep)</li>
 *   <li>{@code Softmax}: {@link #SOFTMAX} (over the last axis, fused: one pass per row forward, one backward)</li>
 *   <li>{@code Attention}: {@link #ATTENTION} ({@code softmax(q k^T / sqrt(d) + mask) v}, fused: one {@code [L, S]} block per
 *       product each way, only the weights kept)</li>
 * </ul>
 */
public enum Op {
    NEG, EXP, LOG, SIN, COS, TANH, SIGMOID, RELU, LEAKY_RELU, ABS, POW, ERF, GELU, SOFTPLUS, LOG1P, EXPM1,
    ADD, SUB, MUL, DIV, MAXIMUM, WHERE,
    SUM, MAX,
    RESHAPE, PERMUTE, EXPAND, SLICE, PAD, CAT, GATHER, SCATTER_ADD, UNFOLD, FOLD,
    MATMUL, CAST, BATCH_NORM, LAYER_NORM, LSTM_CELL, LSTM_SEQUENCE, SOFTMAX, ATTENTION, CONV2D, CONV_TRANSPOSE2D
}
