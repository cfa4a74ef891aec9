package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Pool;
import dev.tapegrad.autodiff.Tensor;
import java.util.Objects;

/** Average pooling ({@code torch.nn.AvgPool2d}); the stride defaults to the kernel. See {@link Pool#avgPool2d}. */
public final class AvgPool2d extends Module {
    private final int[] kernel, stride, padding;
    private final boolean countIncludePad;

    public AvgPool2d(int kernel) { this(new int[] {kernel}, new int[] {kernel}, new int[] {0}, true); }

    public AvgPool2d(int[] kernel, int[] stride, int[] padding, boolean countIncludePad) {
        this.kernel = Objects.requireNonNull(kernel, "AvgPool2d: kernel is null").clone();
        this.stride = Objects.requireNonNull(stride, "AvgPool2d: stride is null").clone();
        this.padding = Objects.requireNonNull(padding, "AvgPool2d: padding is null").clone();
        this.countIncludePad = countIncludePad;
    }

    @Override
    public Tensor forward(Tensor x) { return Pool.avgPool2d(Checks.input("AvgPool2d", "x", x), kernel, stride, padding, countIncludePad); }
}
