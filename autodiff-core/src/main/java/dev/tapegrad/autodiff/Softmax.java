package dev.tapegrad.autodiff;

import dev.tapegrad.autodiff.kernel.SoftmaxKernelsF32;
import dev.tapegrad.autodiff.kernel.SoftmaxKernelsF64;

/**
 * The softmax over the last axis as the primitive {@link Op#SOFTMAX}, forward and backward side by side:
 * {@code y = exp(x - m) / sum(exp(x - m))} along each row ({@code m} the row's maximum, held constant, 0 where
 * it is infinite) in one pass per row instead of five recorded operations, and
 * {@code dx = y (g - sum(g y))} in one pass instead of about eight. While a tape records the backward sweep
 * (higher-order gradients) the same formula is built from recorded operations on {@code y}, so it can be
 * differentiated again. {@link Tensor#softmax} and {@link Attention#maskedSoftmax} are this primitive.
 */
final class Softmax {
    private Softmax() {}

    /**
     * The softmax of {@code x} ({@code [..., S]}, {@code S > 0}) over its last axis; with {@code safe}, a row of
     * {@code -inf} gives 0s (and a zero gradient) instead of NaN.
     */
    static Tensor lastAxis(Tensor x, boolean safe) {
        int s = x.shape[x.rank() - 1], rows = x.numel() / s;
        Tensor y = Tensor.alloc(x.dtype(), x.shape);
        if (x.f != null) SoftmaxKernelsF32.forward(x.f, y.f, rows, s, safe);
        else SoftmaxKernelsF64.forward(x.d, y.d, rows, s, safe);
        return Tensor.record(Op.SOFTMAX, y, (g, i) -> backward(g, y, rows, s), x);
    }

    // dx = y (g - sum(g y))
    private static Tensor backward(Tensor g, Tensor y, int rows, int s) {
        if (GradientTape.isRecording()) return y.mul(g.sub(g.mul(y).sum(-1, true)));
        Tensor dx = Tensor.alloc(y.dtype(), y.shape);
        if (y.f != null) SoftmaxKernelsF32.backward(g.f, y.f, dx.f, rows, s);
        else SoftmaxKernelsF64.backward(g.d, y.d, dx.d, rows, s);
        return dx;
    }
}
