package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Conv;
import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Tensor;
import java.util.Random;

/**
 * 2-d convolution over {@code [N, C, H, W]} ({@code torch.nn.Conv2d}); see {@link Conv#conv2d} for the
 * shapes. Weight {@code [out, in/groups, k, k]} and bias {@code [out]} start uniform in
 * {@code [-1/sqrt(fanIn), 1/sqrt(fanIn)]}, {@code fanIn = in/groups * k * k} (PyTorch's Kaiming uniform with {@code a = sqrt 5}).
 */
public final class Conv2d extends Module {
    public final Parameter weight, bias;
    private final int[] stride, padding, dilation;
    private final int groups;

    public Conv2d(int in, int out, int kernel, Random random) { this(in, out, new int[] {kernel}, new int[] {1}, new int[] {0}, new int[] {1}, 1, true, random); }

    public Conv2d(int in, int out, int kernel, int stride, int padding, Random random) {
        this(in, out, new int[] {kernel}, new int[] {stride}, new int[] {padding}, new int[] {1}, 1, true, random);
    }

    public Conv2d(int in, int out, int[] kernel, int[] stride, int[] padding, int[] dilation, int groups, boolean bias, Random random) {
        int[] k = ConvLayers.kernel("Conv2d", in, out, kernel, groups);
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.dilation = dilation.clone();
        this.groups = groups;
        double bound = 1 / Math.sqrt((double) in / groups * k[0] * k[1]);
        Checks.fits("Conv2d", new long[] {out, in / groups, k[0], k[1]}, new long[] {bias ? out : 0});
        weight = param("weight", Init.uniform(random, -bound, bound, out, in / groups, k[0], k[1]));
        this.bias = bias ? param("bias", Init.uniform(random, -bound, bound, out)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Conv.conv2d(Checks.input("Conv2d", "x", x, weight.dtype()), weight.value(), bias == null ? null : bias.value(), stride, padding, dilation, groups);
    }
}
