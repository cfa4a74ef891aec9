package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Conv;
import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Tensor;
import java.util.Random;

/**
 * Transposed 2-d convolution ({@code torch.nn.ConvTranspose2d}); see {@link Conv#convTranspose2d}. Weight
 * {@code [in, out/groups, k, k]} and bias {@code [out]} start uniform in {@code [-1/sqrt(fanIn), 1/sqrt(fanIn)]}
 * with PyTorch's {@code fanIn = out/groups * k * k} (computed from the weight's second axis).
 */
public final class ConvTranspose2d extends Module {
    public final Parameter weight, bias;
    private final int[] stride, padding, outputPadding, dilation;
    private final int groups;

    public ConvTranspose2d(int in, int out, int kernel, int stride, int padding, Random random) {
        this(in, out, new int[] {kernel}, new int[] {stride}, new int[] {padding}, new int[] {0}, new int[] {1}, 1, true, random);
    }

    public ConvTranspose2d(int in, int out, int[] kernel, int[] stride, int[] padding, int[] outputPadding, int[] dilation, int groups,
                           boolean bias, Random random) {
        int[] k = ConvLayers.kernel("ConvTranspose2d", in, out, kernel, groups);
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.outputPadding = outputPadding.clone();
        this.dilation = dilation.clone();
        this.groups = groups;
        double bound = 1 / Math.sqrt((double) out / groups * k[0] * k[1]);
        Checks.fits("ConvTranspose2d", new long[] {in, out / groups, k[0], k[1]}, new long[] {bias ? out : 0});
        weight = param("weight", Init.uniform(random, -bound, bound, in, out / groups, k[0], k[1]));
        this.bias = bias ? param("bias", Init.uniform(random, -bound, bound, out)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Conv.convTranspose2d(Checks.input("ConvTranspose2d", "x", x, weight.dtype()), weight.value(), bias == null ? null : bias.value(), stride, padding, outputPadding, dilation, groups);
    }
}
