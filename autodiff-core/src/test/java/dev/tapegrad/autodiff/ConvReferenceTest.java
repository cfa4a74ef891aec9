package dev.tapegrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Convolution, transposed convolution and pooling against direct nested loops; the adjoint identity; bad configurations. */
class ConvReferenceTest {

    /** The output padding that makes convTranspose2d return exactly {@code x}'s size for configuration {@code c}. */
    static int[] outputPadding(Tensor x, int[][] c) {
        int[] op = new int[2];
        for (int a = 0; a < 2; a++) {
            int in = x.shape()[2 + a], span = c[1][a] * (c[0][a] - 1) + 1;
            op[a] = (in + 2 * c[2][a] - span) % c[3][a];
        }
        return op;
    }

    /** conv2d by seven nested loops (batch, out channel, y, x, in channel, kernel row, kernel column). */
    static double[] directConv(Tensor x, Tensor w, Tensor b, int[][] c, int groups, int oh, int ow) {
        int n = x.shape()[0], cin = x.shape()[1], h = x.shape()[2], wd = x.shape()[3], o = w.shape()[0], cg = cin / groups, og = o / groups;
        double[] out = new double[n * o * oh * ow];
        for (int bi = 0; bi < n; bi++)
            for (int oc = 0; oc < o; oc++)
                for (int y = 0; y < oh; y++)
                    for (int xx = 0; xx < ow; xx++) {
                        double s = b == null ? 0 : b.get(oc);
                        for (int ic = 0; ic < cg; ic++)
                            for (int i = 0; i < c[0][0]; i++)
                                for (int j = 0; j < c[0][1]; j++) {
                                    int iy = y * c[3][0] - c[2][0] + i * c[1][0], ix = xx * c[3][1] - c[2][1] + j * c[1][1];
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < wd) s += x.get(bi, oc / og * cg + ic, iy, ix) * w.get(oc, ic, i, j);
                                }
                        out[((bi * o + oc) * oh + y) * ow + xx] = s;
                    }
        return out;
    }

    /** Sizes up to 12 x 9 and batches up to 4: chunks of 1 to 4 samples (see {@code ConvLayout}). */
    @Property(tries = 200)
    void conv2dMatchesNestedLoops(@ForAll @IntRange(min = 1, max = 12) int h, @ForAll @IntRange(min = 1, max = 9) int w,
                                  @ForAll @IntRange(min = 1, max = 3) int groups, @ForAll boolean bias, @ForAll long seed) {
        Random r = new Random(seed);
        int[][] c = UnfoldGradientProperties.config(r, h, w);
        Assume.that(c != null);
        int cin = groups * (1 + r.nextInt(2)), cout = groups * (1 + r.nextInt(3));
        Tensor x = Gen.uniform(r, -1, 1, 1 + r.nextInt(4), cin, h, w), wt = Gen.uniform(r, -1, 1, cout, cin / groups, c[0][0], c[0][1]);
        Tensor b = bias ? Gen.uniform(r, -1, 1, cout) : null;
        Tensor y = Conv.conv2d(x, wt, b, c[3], c[2], c[1], groups);
        assertArrayEquals(directConv(x, wt, b, c, groups, y.shape()[2], y.shape()[3]), y.toDoubleArray(), 1e-12);
        Tensor y32 = Conv.conv2d(x.to(DType.FLOAT32), wt.to(DType.FLOAT32), b == null ? null : b.to(DType.FLOAT32), c[3], c[2], c[1], groups);
        assertArrayEquals(y.toDoubleArray(), y32.toDoubleArray(), 1e-5);
    }

    /**
     * Stride 2 across images up to 44 wide, against nested loops, and its adjoint: the runs of columns read every other
     * input (1 to 22 of them: up to three vectors of a run's outputs with AVX-512, and runs that end near the end of the
     * input, see {@code VectorUnfoldF32}), in both dtypes.
     */
    @Property(tries = 60)
    void strideTwoConvolutionsMatchNestedLoops(@ForAll @IntRange(min = 1, max = 44) int w, @ForAll @IntRange(min = 1, max = 6) int k,
                                               @ForAll @IntRange(min = 0, max = 2) int pad, @ForAll long seed) {
        Assume.that(w + 2 * pad >= k && 2 * pad < k + 2);
        Random r = new Random(seed);
        int h = 1 + r.nextInt(6);
        Assume.that(h + 2 * pad >= k);
        int[][] c = {{k, k}, {1, 1}, {pad, pad}, {2, 2}};
        Tensor x = Gen.uniform(r, -1, 1, 1 + r.nextInt(3), 1 + r.nextInt(3), h, w), wt = Gen.uniform(r, -1, 1, 1 + r.nextInt(3), x.shape()[1], k, k);
        Tensor y = Conv.conv2d(x, wt, null, c[3], c[2], c[1], 1);
        assertArrayEquals(directConv(x, wt, null, c, 1, y.shape()[2], y.shape()[3]), y.toDoubleArray(), 1e-12);
        Tensor g = Gen.uniform(r, -1, 1, y.shape()), back = Conv.convTranspose2d(g, wt, null, c[3], c[2], outputPadding(x, c), c[1], 1);
        assertEquals(y.mul(g).sum().item(), x.mul(back).sum().item(), 1e-10);
        Tensor x32 = x.to(DType.FLOAT32), w32 = wt.to(DType.FLOAT32), g32 = g.to(DType.FLOAT32);
        assertArrayEquals(y.toDoubleArray(), Conv.conv2d(x32, w32, null, c[3], c[2], c[1], 1).toDoubleArray(), 1e-5);
        assertArrayEquals(back.toDoubleArray(), Conv.convTranspose2d(g32, w32, null, c[3], c[2], outputPadding(x, c), c[1], 1).toDoubleArray(), 1e-5);
    }

    /** {@code <conv2d(x, w), y> = <x, convTranspose2d(y, w)>}: the transposed convolution is the adjoint. */
    @Property(tries = 200)
    void convTranspose2dIsTheAdjointOfConv2d(@ForAll @IntRange(min = 1, max = 12) int h, @ForAll @IntRange(min = 1, max = 9) int w,
                                             @ForAll @IntRange(min = 1, max = 2) int groups, @ForAll long seed) {
        Random r = new Random(seed);
        int[][] c = UnfoldGradientProperties.config(r, h, w);
        Assume.that(c != null);
        int cin = groups * (1 + r.nextInt(2)), cout = groups * (1 + r.nextInt(2));
        Tensor x = Gen.uniform(r, -1, 1, 2, cin, h, w), wt = Gen.uniform(r, -1, 1, cout, cin / groups, c[0][0], c[0][1]);
        Tensor cx = Conv.conv2d(x, wt, null, c[3], c[2], c[1], groups);
        Tensor y = Gen.uniform(r, -1, 1, cx.shape());
        Tensor ty = Conv.convTranspose2d(y, wt, null, c[3], c[2], outputPadding(x, c), c[1], groups);
        assertArrayEquals(x.shape(), ty.shape());
        assertEquals(cx.mul(y).sum().item(), x.mul(ty).sum().item(), 1e-10);
    }

    /**
     * An output padding of the stride or more, allowed below the dilation as in PyTorch (it was refused, "input does not
     * match output"): PyTorch's values, and the adjoint of conv2d's first windows.
     */
    @Test
    void convTranspose2dWithAnOutputPaddingOfTheStrideOrMore() {
        Tensor x = Tensor.arange(DType.FLOAT64, 0, 50, 1).reshape(1, 2, 5, 5), w = Tensor.arange(DType.FLOAT64, 0, 54, 1).reshape(2, 3, 3, 3).div(10);
        Tensor b = Tensor.of(new double[] {1, 2, 3}, 3);
        // torch.nn.functional.conv_transpose2d(x, w, b, stride=1, padding=p, output_padding=1, dilation=2): the sum, channel 2's last row
        double[] sums = {111030, 99816, 72170.4};
        double[][] lastRows = {{3, 3, 3, 3, 3, 3, 3, 3, 3, 3}, {288, 579.5, 594.7, 900.4, 608.5, 624.1, 317.2, 325.1}, {503.5, 518.7, 784.9, 530.5, 546.1, 277.7}};
        for (int p = 0; p < 3; p++) {
            Tensor y = Conv.convTranspose2d(x, w, b, new int[] {1}, new int[] {p}, new int[] {1}, new int[] {2}, 1);
            assertArrayEquals(new int[] {1, 3, 10 - 2 * p, 10 - 2 * p}, y.shape());
            assertEquals(sums[p], y.sum().item(), 1e-9);
            assertArrayEquals(lastRows[p], y.slice(1, 2, 3).slice(2, 9 - 2 * p, 10 - 2 * p).toDoubleArray(), 1e-12);
        }
        Random r = new Random(3);
        int[] stride = {2, 1}, padding = {1, 0}, outputPadding = {2, 0}, dilation = {3, 1};
        Tensor xs = Gen.uniform(r, -1, 1, 2, 2, 4, 5), wt = Gen.uniform(r, -1, 1, 2, 3, 3, 2);
        Tensor y = Conv.convTranspose2d(xs, wt, null, stride, padding, outputPadding, dilation, 1), z = Gen.uniform(r, -1, 1, y.shape());
        assertArrayEquals(new int[] {2, 3, 13, 6}, y.shape());
        Tensor back = Conv.conv2d(z, wt, null, stride, padding, dilation, 1).slice(2, 0, 4);
        assertEquals(y.mul(z).sum().item(), xs.mul(back).sum().item(), 1e-10);
        Tensor y32 = Conv.convTranspose2d(xs.to(DType.FLOAT32), wt.to(DType.FLOAT32), null, stride, padding, outputPadding, dilation, 1);
        assertArrayEquals(y.toDoubleArray(), y32.toDoubleArray(), 1e-5);
    }

    @Property(tries = 100)
    void poolingMatchesNestedLoops(@ForAll @IntRange(min = 1, max = 6) int h, @ForAll @IntRange(min = 1, max = 6) int w,
                                   @ForAll @IntRange(min = 1, max = 3) int k, @ForAll @IntRange(min = 1, max = 2) int s,
                                   @ForAll @IntRange(min = 0, max = 1) int p, @ForAll boolean includePad, @ForAll long seed) {
        Assume.that(2 * p <= k && h + 2 * p >= k && w + 2 * p >= k);
        Tensor x = Gen.uniform(new Random(seed), -1, 1, 2, 2, h, w);
        Tensor mx = Pool.maxPool2d(x, new int[] {k}, new int[] {s}, new int[] {p}, new int[] {1});
        Tensor av = Pool.avgPool2d(x, new int[] {k}, new int[] {s}, new int[] {p}, includePad);
        int oh = (h + 2 * p - k) / s + 1, ow = (w + 2 * p - k) / s + 1;
        assertArrayEquals(new int[] {2, 2, oh, ow}, mx.shape());
        for (int n = 0; n < 2; n++)
            for (int ch = 0; ch < 2; ch++)
                for (int y = 0; y < oh; y++)
                    for (int xx = 0; xx < ow; xx++) {
                        double m = Double.NEGATIVE_INFINITY, sum = 0;
                        int count = 0;
                        for (int i = 0; i < k; i++)
                            for (int j = 0; j < k; j++) {
                                int iy = y * s - p + i, ix = xx * s - p + j;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                m = Math.max(m, x.get(n, ch, iy, ix));
                                sum += x.get(n, ch, iy, ix);
                                count++;
                            }
                        assertEquals(m, mx.get(n, ch, y, xx), 0);
                        assertEquals(sum / (includePad ? k * k : count), av.get(n, ch, y, xx), 1e-12);
                    }
    }

    /**
     * Max pooling over values full of ties and NaNs: each window's value is its first maximum in row-major tap order (NaN
     * counts as the maximum, the padding as -inf) and the gradient reaches that position alone (nowhere when it is
     * padding), for any window; half the cases are the 2 x 2, stride-2 window read straight from the image, with
     * widths past two vectors so that its vector path, its tail and its last row's scalar windows all run.
     */
    @Property(tries = 150)
    void maxPoolTakesTheFirstMaximumOfEveryWindow(@ForAll @IntRange(min = 1, max = 40) int h, @ForAll @IntRange(min = 1, max = 40) int w,
                                                  @ForAll @IntRange(min = 1, max = 3) int k, @ForAll @IntRange(min = 1, max = 3) int s,
                                                  @ForAll @IntRange(min = 0, max = 1) int p, @ForAll @IntRange(min = 1, max = 2) int d,
                                                  @ForAll boolean pairs, @ForAll boolean float32, @ForAll long seed) {
        if (pairs) { k = 2; s = 2; p = 0; d = 1; }
        int span = d * (k - 1) + 1;
        Assume.that(2 * p <= k && h + 2 * p >= span && w + 2 * p >= span);
        Random r = new Random(seed);
        double[] pick = {-1, 0, 1, 2, Double.NaN, Double.NEGATIVE_INFINITY}, data = new double[2 * 3 * h * w], ct = new double[2 * 3 * ((h + 2 * p - span) / s + 1) * ((w + 2 * p - span) / s + 1)];
        for (int i = 0; i < data.length; i++) data[i] = pick[r.nextInt(r.nextBoolean() ? 3 : pick.length)];
        for (int i = 0; i < ct.length; i++) ct[i] = r.nextInt(7) + 1;
        DType t = float32 ? DType.FLOAT32 : DType.FLOAT64;
        Tensor x = Tensor.of(data, 2, 3, h, w).to(t).requiresGrad();
        int oh = (h + 2 * p - span) / s + 1, ow = (w + 2 * p - span) / s + 1;
        double[] values, grad, expected = new double[data.length];
        try (GradientTape tape = GradientTape.record()) {
            Tensor y = Pool.maxPool2d(x, new int[] {k}, new int[] {s}, new int[] {p}, new int[] {d});
            values = y.toDoubleArray();
            grad = y.mul(Tensor.of(ct, y.shape()).to(t)).sum().backward().get(x).toDoubleArray();
        }
        for (int plane = 0, at = 0; plane < 6; plane++)
            for (int y = 0; y < oh; y++)
                for (int xx = 0; xx < ow; xx++, at++) {
                    double m = Double.NaN;
                    int best = -2;   // -2: none yet, -1: padding
                    for (int i = 0; i < k; i++)
                        for (int j = 0; j < k; j++) {
                            int iy = y * s - p + i * d, ix = xx * s - p + j * d, pos = iy < 0 || iy >= h || ix < 0 || ix >= w ? -1 : plane * h * w + iy * w + ix;
                            double v = pos < 0 ? Double.NEGATIVE_INFINITY : data[pos];
                            if (best == -2 || v > m || (Double.isNaN(v) && !Double.isNaN(m))) { m = v; best = pos; }
                        }
                    assertEquals(m, values[at], 0, "window " + at);
                    if (best >= 0) expected[best] += ct[at];
                }
        assertArrayEquals(expected, grad, 0);
    }

    @Test
    void resizingMatchesPyTorchValues() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4}, 1, 1, 2, 2);
        assertArrayEquals(new double[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, Interpolate.nearest(x, 2).toDoubleArray(), 0);
        // torch.nn.functional.interpolate(x, scale_factor=2, mode='bilinear', align_corners=False), first row
        assertArrayEquals(new double[] {1, 1.25, 1.75, 2}, Interpolate.bilinear(x, 2, false).slice(2, 0, 1).toDoubleArray(), 1e-12);
        // align_corners=True, first row: 1, 4/3, 5/3, 2
        assertArrayEquals(new double[] {1, 4 / 3.0, 5 / 3.0, 2}, Interpolate.bilinear(x, 2, true).slice(2, 0, 1).toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {2.5}, Pool.adaptiveAvgPool2d(x, 1).toDoubleArray(), 0);
        Tensor y = Tensor.arange(DType.FLOAT64, 0, 25, 1).reshape(1, 1, 5, 5);
        // windows [0,2), [1,4), [3,5) per axis for 5 -> 3
        assertEquals((0 + 1 + 5 + 6) / 4.0, Pool.adaptiveAvgPool2d(y, 3).get(0, 0, 0, 0), 1e-12);
        assertEquals((6 + 7 + 8 + 11 + 12 + 13 + 16 + 17 + 18) / 9.0, Pool.adaptiveAvgPool2d(y, 3).get(0, 0, 1, 1), 1e-12);
    }

    @Test
    void maxPoolTiesSendTheGradientToTheFirstMaximum() {
        Tensor x = Tensor.ones(DType.FLOAT64, 1, 1, 2, 2).requiresGrad();
        try (GradientTape tape = GradientTape.record()) {
            assertArrayEquals(new double[] {1, 0, 0, 0}, Pool.maxPool2d(x, 2).sum().backward().get(x).toDoubleArray(), 0);
        }
    }

    /** Windows whose real values are all -inf tie with the -inf padding: the maximum is -inf and no gradient reaches the image. */
    @Test
    void maxPoolOverMinusInfinityWithPadding() {
        for (DType t : DType.values()) {
            Tensor x = Tensor.full(t, Double.NEGATIVE_INFINITY, 1, 2, 3, 3).requiresGrad();
            try (GradientTape tape = GradientTape.record()) {
                Tensor y = Pool.maxPool2d(x, new int[] {2}, new int[] {2}, new int[] {1}, new int[] {1});
                assertArrayEquals(new int[] {1, 2, 2, 2}, y.shape());
                for (double v : y.toDoubleArray()) assertEquals(Double.NEGATIVE_INFINITY, v);
                assertArrayEquals(new double[18], y.mul(0).sum().backward().get(x).toDoubleArray(), 0);
            }
        }
        // One real maximum per window, in the padded corner windows too: the gradient reaches each once.
        Tensor x = Tensor.arange(DType.FLOAT64, 0, 9, 1).reshape(1, 1, 3, 3).requiresGrad();
        try (GradientTape tape = GradientTape.record()) {
            Tensor y = Pool.maxPool2d(x, new int[] {2}, new int[] {2}, new int[] {1}, new int[] {1});
            assertArrayEquals(new double[] {0, 2, 6, 8}, y.toDoubleArray(), 0);
            assertArrayEquals(new double[] {1, 0, 1, 0, 0, 0, 1, 0, 1}, y.sum().backward().get(x).toDoubleArray(), 0);
        }
    }

    private static void refused(org.junit.jupiter.api.function.Executable e, String... parts) {
        IllegalArgumentException ex = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, e);
        for (String p : parts) assertTrue(ex.getMessage().contains(p), () -> "'" + ex.getMessage() + "' lacks '" + p + "'");
    }

    @Test
    void badConfigurationsAreRefusedNamingTheArgument() {
        Tensor x = Tensor.zeros(1, 4, 5, 5);
        refused(() -> Conv.conv2d(x, Tensor.zeros(2, 4, 7, 7), null, 1, 0), "conv2d", "kernel", "larger than the padded input");
        refused(() -> Conv.conv2d(x, Tensor.zeros(3, 2, 3, 3), null, new int[] {1}, new int[] {0}, new int[] {1}, 2), "conv2d", "groups 2", "out_channels 3");
        refused(() -> Conv.conv2d(x, Tensor.zeros(2, 4, 3, 3), null, 0, 0), "conv2d", "stride", "at least 1");
        refused(() -> Conv.conv2d(x, Tensor.zeros(2, 4, 3, 3), null, -1, 0), "conv2d", "stride");
        refused(() -> Conv.conv2d(Tensor.zeros(4, 5, 5), Tensor.zeros(2, 4, 3, 3), null, 1, 0), "conv2d", "[N, C, H, W]", "[4, 5, 5]");
        refused(() -> Conv.conv2d(x, Tensor.zeros(2, 3, 3, 3), null, 1, 0), "conv2d", "[2, 3, 3, 3]", "[1, 4, 5, 5]");
        refused(() -> Conv.conv2d(x, Tensor.zeros(2, 4, 3, 3), Tensor.zeros(3), 1, 0), "conv2d", "bias [3]");
        refused(() -> Conv.convTranspose2d(x, Tensor.zeros(3, 2, 3, 3), null, 1, 0), "convTranspose2d", "input channels");
        refused(() -> Conv.conv2d(x, Tensor.zeros(DType.FLOAT64, 2, 4, 3, 3), null, 1, 0), "conv2d", "FLOAT32", "FLOAT64");
        refused(() -> Conv.conv2d(x, Tensor.zeros(2, 4, 3, 3), Tensor.zeros(DType.FLOAT64, 2), 1, 0), "conv2d", "FLOAT64 [2]");
        refused(() -> Conv.convTranspose2d(x, Tensor.zeros(DType.FLOAT64, 4, 2, 3, 3), null, 1, 0), "convTranspose2d", "FLOAT64");
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(NullPointerException.class, () -> Conv.conv2d(null, x, null, 1, 0))
                .getMessage().contains("conv2d: input is null"));
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(NullPointerException.class, () -> Conv.convTranspose2d(x, null, null, 1, 0))
                .getMessage().contains("convTranspose2d: weight is null"));
        // a sample's columns beyond any array: refused up front, naming the operation, not an overflow or OutOfMemoryError
        refused(() -> Conv.conv2d(Tensor.zeros(1, 1, 1, 50_000), Tensor.zeros(1, 1, 1, 50_000), null, new int[] {1}, new int[] {0, 50_000},
                new int[] {1}, 1), "conv2d", "the columns of one sample", "tapegrad.maxElements");
        refused(() -> Pool.maxPool2d(x, new int[] {2}, new int[] {2}, new int[] {2}, new int[] {1}), "maxPool2d", "half the kernel");
        refused(() -> Pool.maxPool2d(Tensor.zeros(1, 1, 1, 1), 2), "maxPool2d", "larger than the padded input");
        refused(() -> Interpolate.nearest(x, 0, 3), "nearest");
        // no rows or columns to average: refused as in PyTorch (it returned zeros); no samples or channels are fine
        refused(() -> Pool.adaptiveAvgPool2d(Tensor.zeros(DType.FLOAT64, 1, 1, 0, 4), 2, 2), "adaptiveAvgPool2d", "[1, 1, 0, 4]", "no rows");
        refused(() -> Pool.adaptiveAvgPool2d(Tensor.zeros(1, 2, 3, 0), 1), "adaptiveAvgPool2d", "[1, 2, 3, 0]", "no columns");
        assertArrayEquals(new int[] {0, 2, 2, 2}, Pool.adaptiveAvgPool2d(Tensor.zeros(0, 2, 4, 4), 2).shape());
        assertArrayEquals(new int[] {1, 0, 2, 2}, Pool.adaptiveAvgPool2d(Tensor.zeros(1, 0, 4, 4), 2).shape());
    }

    /**
     * Dilations, paddings and kernels whose spans, padded sizes or columns pass 2^31: refused naming the operation, where
     * they wrapped around in int to a silently wrong output, a negative size or an index out of range.
     */
    @Test
    void geometriesPastTwoToTheThirtyOneAreRefused() {
        Random r = new Random(7);
        Tensor x = Gen.uniform(r, -1, 1, 1, 2, 5, 5), w = Gen.uniform(r, -1, 1, 4, 2, 3, 3), wt = Gen.uniform(r, -1, 1, 2, 3, 3, 3);
        int max = Integer.MAX_VALUE;
        int[] one = {1, 1}, none = {0, 0};
        for (int d : new int[] {max, max / 2 + 1, 1 << 30})
            refused(() -> Conv.conv2d(x, w, null, one, none, new int[] {d, 1}, 1), "conv2d", "kernel of height 3 (dilation " + d, "larger than the padded input height 5");
        refused(() -> Pool.maxPool2d(x, new int[] {3, 3}, one, none, new int[] {max, 1}), "maxPool2d", "kernel of height 3", "span 4294967295");
        refused(() -> Conv.unfold(x, new int[] {3, 3}, new int[] {max, 1}, none, one), "unfold", "kernel of height 3", "span 4294967295");
        refused(() -> Conv.unfold(x, new int[] {3, 3}, one, new int[] {max, 0}, one), "unfold", "padding 2147483647", "input height 5 + 2 x 2147483647 = 4294967299",
                "more than an array holds");
        refused(() -> Conv.conv2d(x, w, null, 1, max), "conv2d", "padding 2147483647", "4294967299");
        refused(() -> Conv.unfold(x, new int[] {1 << 16}, one, new int[] {1 << 16}, one), "unfold", "the columns of one sample", "2 x 65536 x 65536 rows by 65542 x 65542",
                "tapegrad.maxElements");
        refused(() -> Conv.convTranspose2d(x, wt, null, one, none, none, new int[] {max, 1}, 1), "convTranspose2d", "output size 4294967299x7", "more than an array holds");
        refused(() -> Conv.convTranspose2d(x, wt, null, 1, max), "convTranspose2d", "is not positive");
        // A stride and a padding each below 2^31 whose sum is not (offsets of the runs now in long): one output column, wholly in the padding.
        int[][] c = {{3, 3}, {1, 1}, {0, (1 << 30) - 3}, {1, max}};
        Tensor y = Conv.conv2d(x, w, null, c[3], c[2], c[1], 1);
        assertArrayEquals(new int[] {1, 4, 3, 1}, y.shape());
        assertArrayEquals(directConv(x, w, null, c, 1, 3, 1), y.toDoubleArray(), 0);
        assertArrayEquals(new double[2 * 9 * 3], Conv.unfold(x, c[0], c[1], c[2], c[3]).toDoubleArray(), 0);
    }
}
