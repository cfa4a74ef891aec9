package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Conv;
import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Tensor;
import java.util.Random;

/**
 * 1-d convolution over {@code [N, C, L]} ({@code torch.nn.Conv1d}): weight {@code [out, in/groups, k]},
 * bias {@code [out]}, both uniform in {@code [-1/sqrt(fanIn), 1/sqrt(fanIn)]}, {@code fanIn = in/groups * k}.
 */
public final class Conv1d extends Module {
    public final Parameter weight, bias;
    private final int stride, padding, dilation, groups;

    public Conv1d(int in, int out, int kernel, Random random) { this(in, out, kernel, 1, 0, 1, 1, true, random); }

    public Conv1d(int in, int out, int kernel, int stride, int padding, int dilation, int groups, boolean bias, Random random) {
        int k = ConvLayers.kernel("Conv1d", in, out, new int[] {kernel}, groups)[0];
        if (stride <= 0 || padding < 0 || dilation <= 0)
            throw new IllegalArgumentException("Conv1d: stride " + stride + " and dilation " + dilation + " must be positive, padding " + padding + " non-negative");
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.groups = groups;
        double bound = 1 / Math.sqrt((double) in / groups * k);
        Checks.fits("Conv1d", new long[] {out, in / groups, k}, new long[] {bias ? out : 0});
        weight = param("weight", Init.uniform(random, -bound, bound, out, in / groups, k));
        this.bias = bias ? param("bias", Init.uniform(random, -bound, bound, out)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Conv.conv1d(Checks.input("Conv1d", "x", x, weight.dtype()), weight.value(), bias == null ? null : bias.value(), stride, padding, dilation, groups);
    }
}
