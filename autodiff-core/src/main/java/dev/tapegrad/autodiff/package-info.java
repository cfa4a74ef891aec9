/**
 * The engine: the API users call ({@link dev.tapegrad.autodiff.Tensor}, {@link dev.tapegrad.autodiff.DType},
 * {@link dev.tapegrad.autodiff.Shape}, {@link dev.tapegrad.autodiff.GradientTape},
 * {@link dev.tapegrad.autodiff.Gradients}, {@link dev.tapegrad.autodiff.Parameter},
 * {@link dev.tapegrad.autodiff.GradCheck}, {@link dev.tapegrad.autodiff.Graphs}, and for optimizers the fused, never
 * recorded {@link dev.tapegrad.autodiff.AdamUpdate}), the graph ({@code Op},
 * {@code Node}, {@code Backprop}, {@code Anomaly}) and the op families.
 *
 * <ul>
 *   <li>Primitives, forward and backward side by side, one file per family: {@code Elementwise},
 *       {@code Reductions}, {@code Movement}, {@code Unfold} (with {@code ConvWindow}), {@code MatMul},
 *       {@code Cast} ({@code GatherIndex} holds gather positions), and the fused {@code Normalization.batchNorm} and
 *       {@link dev.tapegrad.autodiff.RecurrentCells#lstm}. {@link dev.tapegrad.autodiff.Op} lists them.</li>
 *   <li>Composites, with no backward code of their own: the remaining {@code Tensor} methods, {@code Sorting},
 *       {@code Einsum}, and the functional ops {@link dev.tapegrad.autodiff.Conv}, {@link dev.tapegrad.autodiff.Pool},
 *       {@link dev.tapegrad.autodiff.Interpolate}, {@link dev.tapegrad.autodiff.Normalization},
 *       {@link dev.tapegrad.autodiff.Attention}.</li>
 * </ul>
 *
 * <p>Who may call whom: composites call primitives through {@code Tensor}; primitives call the array kernels of
 * {@code dev.tapegrad.autodiff.kernel}, which never call back. Nothing here knows of {@code nn} or {@code optim}
 * ({@code ArchitectureTest} checks both rules).
 */
package dev.tapegrad.autodiff;
