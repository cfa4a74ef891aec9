package dev.tapegrad.nn.data;

import dev.tapegrad.autodiff.Tensor;

/**
 * Per-feature standardisation {@code (x - mean) / std} with the mean and (biased) standard deviation of
 * the data it was fitted on, axis 0 indexing the examples; a feature with zero deviation is only centred.
 */
public final class Standardizer {
    private final Tensor mean, std;

    private Standardizer(Tensor mean, Tensor std) {
        this.mean = mean;
        this.std = std;
    }

    /** Fits on {@code x} ({@code [N, features...]}). */
    public static Standardizer fit(Tensor x) {
        Tensor mean = x.mean(0, true);
        Tensor std = x.var(0, true, false).sqrt();
        return new Standardizer(mean, Tensor.where(std.gt(0), std, Tensor.onesLike(std)));
    }

    /** {@code (x - mean) / std}. */
    public Tensor apply(Tensor x) { return x.sub(mean).div(std); }

    /** Normalises with fixed scalars, {@code (x - mean) / std} (e.g. MNIST's 0.1307 and 0.3081). */
    public static Tensor normalize(Tensor x, double mean, double std) { return x.sub(mean).div(std); }
}
