/**
 * The array kernels of the engine: everything that only handles {@code float[]}/{@code double[]} storage
 * and shapes, with no knowledge of tensors, graphs or gradients. The op families of
 * {@code dev.tapegrad.autodiff} call these; nothing here calls back ({@code autodiff -> kernel}, never
 * the reverse), and none of it is API for users, although the classes the op layer calls are public.
 *
 * <ul>
 *   <li>{@link dev.tapegrad.autodiff.kernel.Gemm}: the matrix product (a packed, cache-blocked Vector API
 *       kernel and a scalar fallback), transposed operands by packing alone.</li>
 *   <li>{@code UnaryKernels}, {@code ArithmeticKernels} (with {@link dev.tapegrad.autodiff.kernel.BroadcastPlan}),
 *       {@code BroadcastKernels}, {@code ArgmaxKernels}, {@code UnfoldKernels}, {@code CopyKernels},
 *       {@code MapKernels}: elementwise functions, the four arithmetic operations, broadcasting and its
 *       adjoint sum, arg-max, im2col/col2im, offset-table copies and general Java-function maps.</li>
 *   <li>{@code AdamKernels} (with {@code VectorAdam} and {@link dev.tapegrad.autodiff.kernel.AdamCoefficients}):
 *       Adam's update of one parameter as one pass.</li>
 *   <li>{@link dev.tapegrad.autodiff.kernel.Parallel}: the worker pool that splits large operations;
 *       {@link dev.tapegrad.autodiff.kernel.Settings}: the system properties that configure it and the
 *       Vector API switch; {@link dev.tapegrad.autodiff.kernel.Layout}: strides and offsets.</li>
 * </ul>
 *
 * <p><b>One source per precision.</b> Each precision-specific kernel is written once, for FLOAT32, in a
 * file named {@code *F32.java}; its FLOAT64 twin {@code *F64} is generated at build time by a substitution
 * table ({@code float -> double}, {@code Float -> Double}, float literals to double literals, ...) written
 * in {@code autodiff-core/pom.xml}. Precision-specific constants (those of {@code exp}) live in one
 * hand-written class under names ending in {@code _F32} and {@code _F64}.
 */
package dev.tapegrad.autodiff.kernel;
