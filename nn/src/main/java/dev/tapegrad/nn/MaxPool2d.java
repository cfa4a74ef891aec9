package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Pool;
import dev.tapegrad.autodiff.Tensor;
import java.util.Objects;

/** Max pooling ({@code torch.nn.MaxPool2d}); the stride defaults to the kernel. See {@link Pool#maxPool2d}. */
public final class MaxPool2d extends Module {
    private final int[] kernel, stride, padding, dilation;

    public MaxPool2d(int kernel) { this(new int[] {kernel}, new int[] {kernel}, new int[] {0}, new int[] {1}); }

    public MaxPool2d(int[] kernel, int[] stride, int[] padding, int[] dilation) {
        this.kernel = Objects.requireNonNull(kernel, "MaxPool2d: kernel is null").clone();
        this.stride = Objects.requireNonNull(stride, "MaxPool2d: stride is null").clone();
        this.padding = Objects.requireNonNull(padding, "MaxPool2d: padding is null").clone();
        this.dilation = Objects.requireNonNull(dilation, "MaxPool2d: dilation is null").clone();
    }

    @Override
    public Tensor forward(Tensor x) { return Pool.maxPool2d(Checks.input("MaxPool2d", "x", x), kernel, stride, padding, dilation); }
}
