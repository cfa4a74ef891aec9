package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Pool;
import dev.tapegrad.autodiff.Tensor;
import java.util.Objects;

/** Average pooling to a fixed output size ({@code torch.nn.AdaptiveAvgPool2d}). See {@link Pool#adaptiveAvgPool2d}. */
public final class AdaptiveAvgPool2d extends Module {
    private final int[] outputSize;

    public AdaptiveAvgPool2d(int... outputSize) { this.outputSize = Objects.requireNonNull(outputSize, "AdaptiveAvgPool2d: outputSize is null").clone(); }

    @Override
    public Tensor forward(Tensor x) { return Pool.adaptiveAvgPool2d(Checks.input("AdaptiveAvgPool2d", "x", x), outputSize); }
}
