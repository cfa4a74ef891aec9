package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Interpolate;
import dev.tapegrad.autodiff.Tensor;

/**
 * Resizes {@code [N, C, H, W]} by a scale factor ({@code torch.nn.Upsample}): nearest, or bilinear with or
 * without aligned corners (nearest with aligned corners is refused, as PyTorch refuses it). See {@link Interpolate}.
 */
public final class Upsample extends Module {
    /** The interpolation modes. */
    public enum Mode { NEAREST, BILINEAR }

    private final double scale;
    private final Mode mode;
    private final boolean alignCorners;

    public Upsample(double scale, Mode mode, boolean alignCorners) {
        if (!(scale > 0)) throw new IllegalArgumentException("Upsample: scale " + scale + " must be positive");
        this.scale = scale;
        this.mode = java.util.Objects.requireNonNull(mode, "Upsample: mode is null");
        if (alignCorners && mode == Mode.NEAREST)
            throw new IllegalArgumentException("Upsample: alignCorners is only for BILINEAR, not NEAREST (as PyTorch, which raises for it)");
        this.alignCorners = alignCorners;
    }

    @Override
    public Tensor forward(Tensor x) {
        Checks.input("Upsample", "x", x);
        try {
            return mode == Mode.NEAREST ? Interpolate.nearest(x, scale) : Interpolate.bilinear(x, scale, alignCorners);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Upsample: " + e.getMessage(), e);
        }
    }
}
