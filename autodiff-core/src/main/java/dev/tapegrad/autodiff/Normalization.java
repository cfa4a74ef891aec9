package dev.tapegrad.autodiff;

/**
 * Functional batch normalisation, channel axis 1 ({@code F.batch_norm}'s computation, without its in-place
 * running statistics, which the {@code nn} layers keep): {@link #batchStatistics} gives the per-channel
 * mean and biased variance over every other axis (N, H, W for {@code [N, C, H, W]}), and {@link #normalize}
 * computes {@code (x - mean) / sqrt(var + eps) * weight + bias}. All are composites, so gradients flow to
 * {@code x}, the statistics, {@code weight} and {@code bias}. {@link #layerNorm} normalises over the last
 * axes instead ({@code F.layer_norm}).
 */
public final class Normalization {
    private Normalization() {}

    /** {@code {mean, var}} of {@code x} per channel, each of shape {@code [1, C, 1, ...]} (the biased variance). */
    public static Tensor[] batchStatistics(Tensor x) {
        java.util.Objects.requireNonNull(x, "batchNorm: x is null");
        if (x.rank() < 2) throw new IllegalArgumentException("batchNorm: expected input [N, C, ...], got " + Shape.str(x.shape));
        int[] axes = new int[x.rank() - 1];
        for (int i = 0, j = 0; i < x.rank(); i++) if (i != 1) axes[j++] = i;
        Tensor mean = x.mean(axes, true);
        return new Tensor[] {mean, Tensor.centeredVar(x.sub(mean), axes, true, false)};
    }

    /**
     * {@code (x - mean) * (weight / sqrt(var + eps)) + bias} with per-channel {@code mean}, {@code var},
     * {@code weight} and {@code bias} (each {@code [C]} or already shaped {@code [1, C, 1, ...]}); a null
     * {@code weight} or {@code bias} means 1 or 0 ({@code F.batch_norm} without an affine transform).
     */
    public static Tensor normalize(Tensor x, Tensor mean, Tensor var, Tensor weight, Tensor bias, double eps) {
        java.util.Objects.requireNonNull(x, "batchNorm: x is null");
        java.util.Objects.requireNonNull(mean, "batchNorm: mean is null");
        java.util.Objects.requireNonNull(var, "batchNorm: var is null");
        if (x.rank() < 2) throw new IllegalArgumentException("batchNorm: expected input [N, C, ...], got " + Shape.str(x.shape));
        int[] channel = new int[x.rank()];
        java.util.Arrays.fill(channel, 1);
        channel[1] = x.shape[1];
        for (Tensor t : new Tensor[] {mean, var, weight, bias})
            if (t != null && t.numel() != x.shape[1])
                throw new IllegalArgumentException("batchNorm: statistic or parameter " + Shape.str(t.shape) + " does not have the " + x.shape[1] + " channels of "
                        + Shape.str(x.shape));
        Tensor invStd = var.reshape(channel).add(eps).sqrt();
        Tensor scale = weight == null ? invStd.pow(-1) : weight.reshape(channel).div(invStd);
        Tensor y = x.sub(mean.reshape(channel)).mul(scale);
        return bias == null ? y : y.add(bias.reshape(channel));
    }

    /** Normalisation with the batch's own statistics. */
    public static Tensor batchNorm(Tensor x, Tensor weight, Tensor bias, double eps) {
        Tensor[] s = batchStatistics(x);
        return normalize(x, s[0], s[1], weight, bias, eps);
    }

    /**
     * {@code F.layer_norm}: {@code (x - mean) / sqrt(var + eps) * weight + bias} with the mean and the biased
     * variance over the last {@code normalizedShape.length} axes, which must equal {@code normalizedShape};
     * {@code weight} and {@code bias} ({@code normalizedShape}) may be null.
     */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        java.util.Objects.requireNonNull(x, "layerNorm: x is null");
        java.util.Objects.requireNonNull(normalizedShape, "layerNorm: normalizedShape is null");
        int k = normalizedShape.length, r = x.rank();
        if (r < k || !java.util.Arrays.equals(java.util.Arrays.copyOfRange(x.shape, r - k, r), normalizedShape))
            throw new IllegalArgumentException("layerNorm: input " + Shape.str(x.shape) + " does not end in " + Shape.str(normalizedShape));
        int[] axes = new int[k];
        for (int i = 0; i < k; i++) axes[i] = r - k + i;
        Tensor c = x.sub(x.mean(axes, true));
        Tensor y = c.div(Tensor.centeredVar(c, axes, true, false).add(eps).sqrt());
        if (weight != null) y = y.mul(weight);
        return bias == null ? y : y.add(bias);
    }
}
