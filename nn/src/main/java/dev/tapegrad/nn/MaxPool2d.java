package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Pool;
import dev.tapegrad.autodiff.Tensor;

/** Max pooling ({@code torch.nn.MaxPool2d}); the stride defaults to the kernel. See {@link Pool#maxPool2d}. */
public final class MaxPool2d extends Module {
    private final int[] kernel, stride, padding, dilation;

    public MaxPool2d(int kernel) { this(new int[] {kernel}, new int[] {kernel}, new int[] {0}, new int[] {1}); }

    public MaxPool2d(int[] kernel, int[] stride, int[] padding, int[] dilation) {
        this.kernel = kernel.clone();
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.dilation = dilation.clone();
    }

    @Override
    public Tensor forward(Tensor x) { return Pool.maxPool2d(Checks.input("MaxPool2d", "x", x), kernel, stride, padding, dilation); }
}
