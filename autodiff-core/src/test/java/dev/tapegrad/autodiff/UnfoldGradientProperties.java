package dev.tapegrad.autodiff;

import static dev.tapegrad.autodiff.Checks.firstAndSecond;

import java.util.Random;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Gradients of unfold, fold and the convolutions, pooling and resizing built on them (FLOAT64, random cotangents). */
class UnfoldGradientProperties {

    /** A random valid window configuration for an input of {@code h x w}, or null when the window does not fit. */
    static int[][] config(Random r, int h, int w) {
        int[] k = {1 + r.nextInt(3), 1 + r.nextInt(3)}, d = {1 + r.nextInt(2), 1 + r.nextInt(2)}, p = {r.nextInt(2), r.nextInt(2)}, s = {1 + r.nextInt(2), 1 + r.nextInt(2)};
        boolean fits = h + 2 * p[0] >= d[0] * (k[0] - 1) + 1 && w + 2 * p[1] >= d[1] * (k[1] - 1) + 1;
        return fits ? new int[][] {k, d, p, s} : null;
    }

    @Property(tries = 60) @GradientProperty(Op.UNFOLD)
    void unfold(@ForAll @IntRange(min = 1, max = 5) int h, @ForAll @IntRange(min = 1, max = 5) int w, @ForAll long seed) {
        Random r = new Random(seed);
        int[][] c = config(r, h, w);
        Assume.that(c != null);
        ConvWindow win = ConvWindow.of("unfold", c[0], c[1], c[2], c[3]);
        firstAndSecond("unfold", seed, x -> Unfold.unfold(x[0], win, 0).square(), Gen.uniform(r, -1, 1, 1 + r.nextInt(3), 1 + r.nextInt(2), h, w));
    }

    @Property(tries = 60) @GradientProperty(Op.FOLD)
    void fold(@ForAll @IntRange(min = 1, max = 5) int h, @ForAll @IntRange(min = 1, max = 5) int w, @ForAll long seed) {
        Random r = new Random(seed);
        int[][] c = config(r, h, w);
        Assume.that(c != null);
        ConvWindow win = ConvWindow.of("fold", c[0], c[1], c[2], c[3]);
        int ch = 1 + r.nextInt(2), l = win.outH("fold", h) * win.outW("fold", w), n = 1 + r.nextInt(3), k = ch * c[0][0] * c[0][1];
        firstAndSecond("fold", seed, x -> Unfold.fold(x[0], h, w, win).square(), Gen.uniform(r, -1, 1, n, k, l));
    }

    /**
     * Batches of 1 to 4 samples: with at most 16 positions the kernels take 1, 2 or 4 samples per chunk (see
     * {@code ConvLayout}); with and without a bias, one to two groups.
     */
    @Property(tries = 40) @GradientProperty({Op.CONV2D, Op.CONV_TRANSPOSE2D})
    void conv2dAndConvTranspose2d(@ForAll @IntRange(min = 1, max = 4) int h, @ForAll @IntRange(min = 1, max = 4) int w,
                                  @ForAll @IntRange(min = 1, max = 2) int groups, @ForAll @IntRange(min = 1, max = 4) int n,
                                  @ForAll boolean bias, @ForAll long seed) {
        Random r = new Random(seed);
        int[][] c = config(r, h, w);
        Assume.that(c != null);
        int cin = groups * (1 + r.nextInt(2)), cout = groups * (1 + r.nextInt(2));
        Tensor x = Gen.uniform(r, -1, 1, n, cin, h, w), wt = Gen.uniform(r, -1, 1, cout, cin / groups, c[0][0], c[0][1]);
        Tensor y = Conv.conv2d(x, wt, null, c[3], c[2], c[1], groups);
        int[] outPad = ConvReferenceTest.outputPadding(x, c);
        Tensor gy = Gen.uniform(r, -1, 1, y.shape()), gw = Gen.uniform(r, -1, 1, wt.shape());
        if (bias) {
            firstAndSecond("conv2d", seed, t -> Conv.conv2d(t[0], t[1], t[2], c[3], c[2], c[1], groups), x, wt, Gen.uniform(r, -1, 1, cout));
            firstAndSecond("convTranspose2d", seed, t -> Conv.convTranspose2d(t[0], t[1], t[2], c[3], c[2], outPad, c[1], groups), gy, gw,
                    Gen.uniform(r, -1, 1, cin));
        } else {
            firstAndSecond("conv2d", seed, t -> Conv.conv2d(t[0], t[1], null, c[3], c[2], c[1], groups), x, wt);
            firstAndSecond("convTranspose2d", seed, t -> Conv.convTranspose2d(t[0], t[1], null, c[3], c[2], outPad, c[1], groups), gy, gw);
        }
    }

    @Property(tries = 30)
    void poolingAndResizing(@ForAll @IntRange(min = 2, max = 5) int h, @ForAll @IntRange(min = 2, max = 5) int w, @ForAll long seed) {
        Random r = new Random(seed);
        Tensor x = Gen.uniform(r, -2, 2, 1 + r.nextInt(2), 1 + r.nextInt(2), h, w);
        Assume.that(Gen.distinct(1e-3, x));
        int[] k = {2}, s = {1 + r.nextInt(2)}, p = {r.nextInt(2)};
        boolean includePad = r.nextBoolean(), align = r.nextBoolean();
        int ah = 1 + r.nextInt(3), aw = 1 + r.nextInt(3), nh = 1 + r.nextInt(7), nw = 1 + r.nextInt(7), bh = 1 + r.nextInt(7), bw = 1 + r.nextInt(7);
        firstAndSecond("maxPool2d", seed, t -> Pool.maxPool2d(t[0], k, s, p, new int[] {1}), x);
        firstAndSecond("avgPool2d", seed, t -> Pool.avgPool2d(t[0], k, s, p, includePad), x);
        firstAndSecond("adaptiveAvgPool2d", seed, t -> Pool.adaptiveAvgPool2d(t[0], ah, aw), x);
        firstAndSecond("nearest", seed, t -> Interpolate.nearest(t[0], nh, nw).square(), x);
        firstAndSecond("bilinear", seed, t -> Interpolate.bilinear(t[0], bh, bw, align).square(), x);
        Tensor seq = Gen.uniform(r, -1, 1, 2, 2, 5), w1 = Gen.uniform(r, -1, 1, 3, 2, 2);
        firstAndSecond("conv1d", seed, t -> Conv.conv1d(t[0], t[1], null, 2, 1, 1, 1), seq, w1);
    }

    /** The primitive {@code BATCH_NORM} on {@code [n, c]}, {@code [n, c, l]} and {@code [n, c, h, w]}, with and without its affine inputs. */
    @Property(tries = 40) @GradientProperty(Op.BATCH_NORM)
    void batchNorm(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 3) int c, @ForAll @IntRange(min = 2, max = 4) int rank,
                   @ForAll boolean affine, @ForAll long seed) {
        Random r = new Random(seed);
        int[] shape = new int[rank];
        shape[0] = n;
        shape[1] = c;
        for (int i = 2; i < rank; i++) shape[i] = 1 + r.nextInt(3);
        Assume.that(Shape.size(shape) / c > 1);   // one value per channel has no spread to normalise
        Tensor x = Gen.uniform(r, -2, 2, shape), w = Gen.uniform(r, 0.5, 2, c), b = Gen.uniform(r, -1, 1, c);
        if (affine) firstAndSecond("batchNorm", seed, t -> Normalization.batchNorm(t[0], t[1], t[2], 1e-5), x, w, b);
        else firstAndSecond("batchNorm without weight and bias", seed, t -> Normalization.batchNorm(t[0], null, null, 1e-5), x);
    }

    /** The primitive {@code LAYER_NORM} through {@code layerNorm} over the last one or two axes, with and without its affine inputs. */
    @Property(tries = 40) @GradientProperty(Op.LAYER_NORM)
    void layerNorm(@ForAll @IntRange(min = 1, max = 3) int rows, @ForAll @IntRange(min = 2, max = 5) int d, @ForAll boolean twoAxes,
                   @ForAll boolean affine, @ForAll long seed) {
        Random r = new Random(seed);
        int[] norm = twoAxes ? new int[] {2, d} : new int[] {d}, shape = twoAxes ? new int[] {rows, 2, d} : new int[] {rows, d};
        Tensor x = Gen.uniform(r, -2, 2, shape), w = Gen.uniform(r, 0.5, 2, norm), b = Gen.uniform(r, -1, 1, norm);
        if (affine) firstAndSecond("layerNorm", seed, t -> Normalization.layerNorm(t[0], norm, t[1], t[2], 1e-5), x, w, b);
        else firstAndSecond("layerNorm without weight and bias", seed, t -> Normalization.layerNorm(t[0], norm, null, null, 1e-5), x);
    }

    @Property(tries = 30)
    void functionalBatchNorm(@ForAll @IntRange(min = 2, max = 3) int n, @ForAll @IntRange(min = 1, max = 3) int c, @ForAll long seed) {
        Random r = new Random(seed);
        Tensor x = Gen.uniform(r, -2, 2, n, c, 2, 3), w = Gen.uniform(r, 0.5, 2, c), b = Gen.uniform(r, -1, 1, c);
        Tensor mean = Gen.uniform(r, -1, 1, c), var = Gen.uniform(r, 0.5, 2, c);
        firstAndSecond("normalize", seed, t -> Normalization.normalize(t[0], t[1], t[2], w, b, 1e-5), x, mean, var);
        firstAndSecond("batchStatistics", seed, t -> { Tensor[] s = Normalization.batchStatistics(t[0]); return s[0].add(s[1].square()); }, x);
        Tensor y = Normalization.batchNorm(x, Tensor.ones(DType.FLOAT64, c), Tensor.zeros(DType.FLOAT64, c), 0);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[c], y.mean(new int[] {0, 2, 3}, false).toDoubleArray(), 1e-12);
    }
}
