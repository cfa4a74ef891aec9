package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Normalization;
import dev.tapegrad.autodiff.Shape;
import dev.tapegrad.autodiff.Tensor;
import java.util.Arrays;

/**
 * Layer normalisation over the last {@code normalizedShape.length} axes, as {@code torch.nn.LayerNorm}:
 * {@code y = (x - mean) / sqrt(var + eps) * weight + bias} with the biased variance; {@code weight} (ones)
 * and {@code bias} (zeros) have {@code normalizedShape}. Default eps 1e-5.
 */
public final class LayerNorm extends Module {
    public final Parameter weight, bias;
    private final int[] normalizedShape;
    private final double eps;

    public LayerNorm(int... normalizedShape) { this(1e-5, normalizedShape); }

    public LayerNorm(double eps, int... normalizedShape) {
        if (normalizedShape.length == 0) throw new IllegalArgumentException("LayerNorm: normalizedShape is empty");
        if (!(eps > 0)) throw new IllegalArgumentException("LayerNorm: eps " + eps + " must be positive");
        long[] shape = Arrays.stream(normalizedShape).asLongStream().toArray();
        Checks.fits("LayerNorm", shape, shape);
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        weight = param("weight", Tensor.ones(normalizedShape));
        bias = param("bias", Tensor.zeros(normalizedShape));
    }

    @Override
    public Tensor forward(Tensor x) {
        int[] s = Checks.input("LayerNorm", "x", x, weight.dtype()).shape();
        if (s.length < normalizedShape.length || !Arrays.equals(s, s.length - normalizedShape.length, s.length, normalizedShape, 0, normalizedShape.length))
            throw new IllegalArgumentException("LayerNorm: input " + Shape.str(s) + " does not end in " + Shape.str(normalizedShape));
        return Normalization.layerNorm(x, normalizedShape, weight.value(), bias.value(), eps);
    }
}
