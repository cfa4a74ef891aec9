package dev.tapegrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The ops' fast paths (fixed exponents of pow, the fused {@code a + alpha b}, the fused batch norm, layer norm, LSTM cell, softmax, attention, GELU and convolutions) against the general computation. */
class FastPathsTest {

    @Property(tries = 100)
    void powFastExponentsMatchMathPow(@ForAll @IntRange(max = 40) int n, @ForAll boolean float32, @ForAll long seed) {
        Random r = new Random(seed);
        Tensor x = Tensor.rand(r, float32 ? DType.FLOAT32 : DType.FLOAT64, n).mul(3).add(0.01);
        for (double p : new double[] {1, 2, 0.5, -1, -0.5}) {
            Tensor y = x.pow(p);
            for (int i = 0; i < n; i++) {
                double want = Math.pow(x.at(i), p);
                assertClose("pow " + p + " of " + x.at(i), float32 ? (float) want : want, y.at(i), float32 ? 3e-7 : 4e-16);
            }
        }
    }

    @Property(tries = 50)
    void fusedAddScaledEqualsTheComposite(@ForAll @IntRange(max = 3000) int n, @ForAll boolean float32, @ForAll long seed) {
        Random r = new Random(seed);
        Tensor a = Tensor.randn(r, float32 ? DType.FLOAT32 : DType.FLOAT64, n), b = Tensor.randn(r, a.dtype(), n);
        double alpha = r.nextGaussian();
        assertArrayEquals(a.add(b.mul(alpha)).toDoubleArray(), a.add(b, alpha).toDoubleArray());
        Tensor row = Tensor.randn(r, a.dtype(), 1);
        assertArrayEquals(a.add(row.mul(alpha)).toDoubleArray(), a.add(row, alpha).toDoubleArray(), "broadcast");
    }

    @Test
    void addScaledIsDifferentiableWhileRecording() {
        Tensor a = Tensor.randn(new Random(1), DType.FLOAT64, 3, 4), b = Tensor.randn(new Random(2), DType.FLOAT64, 4);
        Checks.firstAndSecond("add(alpha)", 3, x -> x[0].add(x[1], -0.7).square(), a, b);
    }

    /**
     * The primitive batch norm against {@code normalize(x, batchStatistics(x))}, the composite it replaces: output,
     * statistics and the gradients of a random cotangent, on inputs whose mean is large against their spread. In
     * FLOAT64 the two agree to 1e-10 of the largest value; in FLOAT32 both are compared with the FLOAT64 composite of
     * the same values, and the fused op must be as close to it as the composite is (its error at most twice the
     * composite's, plus 1e-6 of the largest value): the composite's own rounding is the yardstick.
     */
    @Property(tries = 60)
    void fusedBatchNormEqualsTheComposite(@ForAll @IntRange(min = 2, max = 4) int rank, @ForAll boolean float32, @ForAll boolean affine, @ForAll long seed) {
        Random r = new Random(seed);
        DType t = float32 ? DType.FLOAT32 : DType.FLOAT64;
        int[] shape = new int[rank];
        // a last axis of up to 40 values: blocks long enough for the vector sums (16 lanes and more)
        for (int i = 0; i < rank; i++) shape[i] = 1 + r.nextInt(i == 0 ? 4 : i == 1 ? 5 : i == rank - 1 ? 40 : 7);
        shape[0] = Math.max(2, shape[0]);
        Tensor[] in = {Tensor.randn(r, t, shape).mul(0.1 + 3 * r.nextDouble()).add(10 * r.nextGaussian()),
                affine ? Tensor.randn(r, t, shape[1]) : null, affine ? Tensor.randn(r, t, shape[1]) : null, Tensor.randn(r, t, shape)};
        assertAsCloseAsTheComposite(FastPathsTest::batchNormAndGradients, in, 1e-10, new String[] {"y", "mean", "var", "dx", "dweight", "dbias"},
                " of " + Shape.str(shape));
    }

    @Test
    void fusedBatchNormBackwardServesEachCotangentAndConstantInputs() {
        Random r = new Random(4);
        Tensor x = Tensor.randn(r, DType.FLOAT64, 3, 2, 4), w = Tensor.randn(r, DType.FLOAT64, 2).requiresGrad(), b = Tensor.randn(r, DType.FLOAT64, 2);
        Tensor g1 = Tensor.randn(r, DType.FLOAT64, 3, 2, 4), g2 = Tensor.randn(r, DType.FLOAT64, 3, 2, 4);
        try (GradientTape tape = GradientTape.record()) {
            Tensor y = Normalization.batchNorm(x, w, b, 1e-5);   // only the weight tracks a gradient
            Tensor[] s = Normalization.batchStatistics(x);
            Tensor z = Normalization.normalize(x, s[0], s[1], w, b, 1e-5);
            for (Tensor g : new Tensor[] {g1, g2, g1})   // two backward passes over one graph, then the first again
                assertArrayEquals(tape.gradientWithSeed(z, g, w)[0].toDoubleArray(), tape.gradientWithSeed(y, g, w)[0].toDoubleArray(), 1e-12);
        }
    }

    /** {@code {y, mean, var, dx, dweight, dbias}} of batch norm of {@code in = {x, weight, bias, cotangent}}, fused or composite. */
    private static Tensor[] batchNormAndGradients(boolean fused, Tensor[] in) {
        Tensor x = in[0].requiresGrad(), w = in[1] == null ? null : in[1].requiresGrad(), b = in[2] == null ? null : in[2].requiresGrad();
        Tensor[] sources = w == null ? new Tensor[] {x} : new Tensor[] {x, w, b};
        try (GradientTape tape = GradientTape.record()) {
            Tensor[] out;
            if (fused) {
                out = Normalization.batchNormWithStatistics(x, w, b, 1e-5);
                assertEquals(Op.BATCH_NORM, out[0].recordedOp());
            } else {
                Tensor[] s = Normalization.batchStatistics(x);
                out = new Tensor[] {Normalization.normalize(x, s[0], s[1], w, b, 1e-5), s[0].reshape(-1), s[1].reshape(-1)};
            }
            Tensor[] g = tape.gradientWithSeed(out[0], in[3], sources), all = java.util.Arrays.copyOf(out, 3 + g.length);
            System.arraycopy(g, 0, all, 3, g.length);
            return all;
        }
    }

    /**
     * The primitive LSTM cell against the composite of slices, sigmoids, tanhs, products and a sum that it replaces: the
     * output {@code [h', c']} and the gradients of {@code gi}, {@code gh} and {@code c} for a random cotangent, with hidden
     * sizes that are and are not multiples of the vector width. In FLOAT64 the two agree to 1e-12 of the largest value; in
     * FLOAT32 both are compared with the FLOAT64 composite of the same values, and the fused op must be as close to it as
     * the composite is (its error at most twice the composite's, plus 1e-6 of the largest value).
     */
    @Property(tries = 60)
    void fusedLstmCellEqualsTheComposite(@ForAll @IntRange(min = 1, max = 5) int batch, @ForAll @IntRange(min = 1, max = 40) int hidden,
                                         @ForAll boolean float32, @ForAll long seed) {
        Random r = new Random(seed);
        DType t = float32 ? DType.FLOAT32 : DType.FLOAT64;
        Tensor[] in = {Tensor.randn(r, t, batch, 4 * hidden).mul(2), Tensor.randn(r, t, batch, 4 * hidden), Tensor.randn(r, t, batch, hidden),
                Tensor.randn(r, t, batch, 2 * hidden)};
        assertAsCloseAsTheComposite(FastPathsTest::lstmAndGradients, in, 1e-12, new String[] {"[h', c']", "dgi", "dgh", "dc"},
                " for B " + batch + ", H " + hidden);
    }

    @Test
    void fusedLstmCellBackwardServesEachCotangentAndConstantInputs() {
        Random r = new Random(5);
        Tensor gi = Tensor.randn(r, DType.FLOAT64, 2, 12), gh = Tensor.randn(r, DType.FLOAT64, 2, 12).requiresGrad(), c = Tensor.randn(r, DType.FLOAT64, 2, 3);
        Tensor g1 = Tensor.randn(r, DType.FLOAT64, 2, 6), g2 = Tensor.randn(r, DType.FLOAT64, 2, 6);
        try (GradientTape tape = GradientTape.record()) {
            Tensor y = RecurrentCells.lstm(gi, gh, c), z = compositeLstm(gi, gh, c);   // only gh tracks a gradient
            for (Tensor g : new Tensor[] {g1, g2, g1})   // two backward passes over one graph, then the first again
                assertArrayEquals(tape.gradientWithSeed(z, g, gh)[0].toDoubleArray(), tape.gradientWithSeed(y, g, gh)[0].toDoubleArray(), 1e-12);
        }
    }

    /** {@code {[h', c'], dgi, dgh, dc}} of the LSTM cell of {@code in = {gi, gh, c, cotangent}}, fused or composite. */
    private static Tensor[] lstmAndGradients(boolean fused, Tensor[] in) {
        Tensor gi = in[0].requiresGrad(), gh = in[1].requiresGrad(), c = in[2].requiresGrad();
        try (GradientTape tape = GradientTape.record()) {
            Tensor out = fused ? RecurrentCells.lstm(gi, gh, c) : compositeLstm(gi, gh, c);
            if (fused) assertEquals(Op.LSTM_CELL, out.recordedOp());
            Tensor[] g = tape.gradientWithSeed(out, in[3], gi, gh, c);
            return new Tensor[] {out, g[0], g[1], g[2]};
        }
    }

    /**
     * The fused LSTM sequence against the steps it replaced (a product {@code h W_hh^T} and a fused cell per step, as
     * nn's LSTM recorded them): every step's {@code h} and {@code c} and the gradients of the gates, {@code W_hh} and the
     * initial state for a random cotangent, both directions, hidden sizes on and off the vector width, zero and random
     * initial states, batches of one block of rows and of several (run side by side). Within one block the forward runs
     * the same products and cell passes as the steps, so it is bit for bit theirs; with several, each block's products
     * have fewer rows, which may take another path of the product, so it agrees to within rounding.
     */
    @Property(tries = 40)
    void fusedLstmSequenceEqualsTheSteps(@ForAll @IntRange(min = 1, max = 6) int steps, @ForAll @IntRange(min = 1, max = 40) int batch,
                                         @ForAll @IntRange(min = 1, max = 20) int hidden, @ForAll boolean reverse, @ForAll boolean zeroState,
                                         @ForAll boolean float32, @ForAll long seed) {
        Random r = new Random(seed);
        DType t = float32 ? DType.FLOAT32 : DType.FLOAT64;
        Tensor h0 = zeroState ? Tensor.zeros(t, batch, hidden) : Tensor.randn(r, t, batch, hidden);
        Tensor[] in = {Tensor.randn(r, t, steps, batch, 4 * hidden).mul(2), Tensor.randn(r, t, 4 * hidden, hidden).mul(0.5), h0,
                Tensor.randn(r, t, batch, hidden), Tensor.randn(r, t, 2, steps, batch, hidden)};
        String where = " for T " + steps + ", B " + batch + ", H " + hidden + (reverse ? ", reverse" : "");
        assertAsCloseAsTheComposite((fused, v) -> lstmSequenceAndGradients(fused, reverse, v), in, 1e-12,
                new String[] {"[h, c]", "dgi", "dwhh", "dh0", "dc0"}, where);
        if (batch <= 16)
            assertArrayEquals(lstmSequenceAndGradients(false, reverse, in)[0].toDoubleArray(), lstmSequenceAndGradients(true, reverse, in)[0].toDoubleArray(),
                    "forward" + where);
    }

    /** Blocks of rows run side by side give the same values and gradients, bit for bit, on one thread. */
    @Test
    void lstmSequenceDoesNotDependOnTheThreadCount() {
        Random r = new Random(8);
        Tensor[] in = {Tensor.randn(r, 5, 37, 4 * 24), Tensor.randn(r, 4 * 24, 24).mul(0.3), Tensor.randn(r, 37, 24), Tensor.randn(r, 37, 24),
                Tensor.randn(r, 2, 5, 37, 24)};
        Tensor[] parallel = lstmSequenceAndGradients(true, true, in);
        Tensor[][] serial = new Tensor[1][];
        dev.tapegrad.autodiff.kernel.Parallel.serially(() -> serial[0] = lstmSequenceAndGradients(true, true, in));
        for (int k = 0; k < parallel.length; k++) assertArrayEquals(parallel[k].toFloatArray(), serial[0][k].toFloatArray(), "output " + k);
    }

    /** {@code {[h, c] of every step, dgi, dwhh, dh0, dc0}} of an LSTM sequence of {@code in = {gi, whh, h0, c0, cotangent}}. */
    private static Tensor[] lstmSequenceAndGradients(boolean fused, boolean reverse, Tensor[] in) {
        Tensor gi = in[0].requiresGrad(), whh = in[1].requiresGrad(), h0 = in[2].requiresGrad(), c0 = in[3].requiresGrad();
        try (GradientTape tape = GradientTape.record()) {
            Tensor out;
            if (fused) {
                out = RecurrentCells.lstmSequence(gi, whh, h0, c0, reverse);
                assertEquals(Op.LSTM_SEQUENCE, out.recordedOp());
            } else {
                int steps = gi.size(0), n = h0.size(1);
                Tensor[] hs = new Tensor[steps], cs = new Tensor[steps];
                Tensor h = h0, c = c0;
                for (int s = 0; s < steps; s++) {
                    int k = reverse ? steps - 1 - s : s;
                    Tensor hc = RecurrentCells.lstm(gi.slice(0, k, k + 1).reshape(gi.size(1), 4 * n), h.matmulTransposed(whh), c);
                    h = hs[k] = hc.slice(-1, 0, n);
                    c = cs[k] = hc.slice(-1, n, 2 * n);
                }
                out = Tensor.stack(0, Tensor.stack(0, hs), Tensor.stack(0, cs));
            }
            Tensor[] g = tape.gradientWithSeed(out, in[4], gi, whh, h0, c0);
            return new Tensor[] {out, g[0], g[1], g[2], g[3]};
        }
    }

    /** {@code [h', c']} from recorded slices, sigmoids, tanhs, products and a sum: what nn's LSTM computed before the primitive. */
    static Tensor compositeLstm(Tensor gi, Tensor gh, Tensor c) {
        int n = c.size(-1);
        Tensor g = gi.add(gh);
        Tensor i = g.slice(-1, 0, n).sigmoid(), f = g.slice(-1, n, 2 * n).sigmoid();
        Tensor cell = g.slice(-1, 2 * n, 3 * n).tanh(), o = g.slice(-1, 3 * n, 4 * n).sigmoid();
        Tensor c2 = f.mul(c).add(i.mul(cell));
        return Tensor.cat(-1, o.mul(c2.tanh()), c2);
    }

    /**
     * Layer norm's primitive (standardisation and affine) against the composite of means, a variance, a square root, a
     * quotient, a product and a sum that it replaced, value and gradients (input, weight, bias) for a random cotangent,
     * over row lengths on and off the vector width and more rows than one block of the weight's partial sums, with an
     * offset that makes the mean large against the spread, with and without weight and bias.
     */
    @Property(tries = 60)
    void fusedLayerNormEqualsTheComposite(@ForAll @IntRange(min = 1, max = 70) int rows, @ForAll @IntRange(min = 1, max = 40) int d,
                                          @ForAll @IntRange(max = 3) int affine, @ForAll boolean float32, @ForAll long seed) {
        Random r = new Random(seed);
        DType t = float32 ? DType.FLOAT32 : DType.FLOAT64;
        Tensor[] in = {Tensor.randn(r, t, rows, d).mul(2).add(r.nextInt(5)), Tensor.randn(r, t, rows, d),
                (affine & 1) != 0 ? Tensor.randn(r, t, d) : null, (affine & 2) != 0 ? Tensor.randn(r, t, d) : null};
        assertAsCloseAsTheComposite(FastPathsTest::layerNormAndGradient, in, 1e-12, new String[] {"y", "dx", "dw", "db"},
                " for " + rows + " x " + d + ", affine " + affine);
    }

    /** {@code {y, dx, dw, db}} of layer norm over the last axis of {@code in = {x, cotangent, weight, bias}} (either may be null), fused or composite. */
    private static Tensor[] layerNormAndGradient(boolean fused, Tensor[] in) {
        Tensor x = in[0].requiresGrad(), w = in[2] == null ? null : in[2].requiresGrad(), b = in[3] == null ? null : in[3].requiresGrad();
        try (GradientTape tape = GradientTape.record()) {
            Tensor y;
            if (fused) {
                y = Normalization.layerNorm(x, new int[] {x.size(-1)}, w, b, 1e-5);
                assertEquals(Op.LAYER_NORM, y.recordedOp());
            } else {
                Tensor c = x.sub(x.mean(-1, true));
                y = c.div(c.square().mean(-1, true).add(1e-5).sqrt());
                if (w != null) y = y.mul(w);
                if (b != null) y = y.add(b);
            }
            Tensor[] sources = java.util.stream.Stream.of(x, w, b).filter(java.util.Objects::nonNull).toArray(Tensor[]::new);
            Tensor[] g = tape.gradientWithSeed(y, in[1], sources);
            return new Tensor[] {y, g[0], w == null ? Tensor.zeros(1) : g[1], b == null ? Tensor.zeros(1) : g[g.length - 1]};
        }
    }

    /**
     * The primitive GELU against the composite of erf, products and a sum that it replaced, value and gradient for a random
     * cotangent, over sizes on and off the vector width and values out to where erf saturates.
     */
    @Property(tries = 60)
    void fusedGeluEqualsTheComposite(@ForAll @IntRange(min = 1, max = 70) int n, @ForAll boolean float32, @ForAll long seed) {
        Random r = new Random(seed);
        DType t = float32 ? DType.FLOAT32 : DType.FLOAT64;
        Tensor[] in = {Tensor.randn(r, t, n).mul(3), Tensor.randn(r, t, n)};
        assertAsCloseAsTheComposite(FastPathsTest::geluAndGradient, in, 1e-14, new String[] {"y", "dx"}, " for n " + n);
    }

    /** {@code {y, dx}} of GELU of {@code in = {x, cotangent}}, fused or composite. */
    private static Tensor[] geluAndGradient(boolean fused, Tensor[] in) {
        Tensor x = in[0].requiresGrad();
        try (GradientTape tape = GradientTape.record()) {
            Tensor y = fused ? x.gelu() : x.mul(x.mul(1 / Math.sqrt(2)).erf().add(1)).mul(0.5);
            if (fused) assertEquals(Op.GELU, y.recordedOp());
            return new Tensor[] {y, tape.gradientWithSeed(y, in[1], x)[0]};
        }
    }

    /**
     * The primitive softmax against the composite it replaced ({@code exp(x - max)} over its sum, the maximum held
     * constant), value and gradient for a random cotangent, rows of lengths on and off the vector width, with attention's
     * safe variant on rows partly and wholly masked by {@code -inf}.
     */
    @Property(tries = 60)
    void fusedSoftmaxEqualsTheComposite(@ForAll @IntRange(min = 1, max = 6) int rows, @ForAll @IntRange(min = 1, max = 40) int s,
                                        @ForAll boolean float32, @ForAll boolean masked, @ForAll long seed) {
        Random r = new Random(seed);
        DType t = float32 ? DType.FLOAT32 : DType.FLOAT64;
        Tensor x = Tensor.randn(r, t, rows, s).mul(3);
        if (masked) {
            double[] m = new double[rows * s];
            for (int i = 0; i < m.length; i++) m[i] = i < s || r.nextInt(3) == 0 ? Double.NEGATIVE_INFINITY : 0;
            x = x.add(Tensor.of(m, rows, s).to(t));
        }
        Tensor[] in = {x, Tensor.randn(r, t, rows, s)};
        assertAsCloseAsTheComposite((fused, v) -> softmaxAndGradient(fused, masked, v), in, 1e-13, new String[] {"y", "dx"},
                " for " + rows + " x " + s + (masked ? ", masked" : ""));
    }

    /** {@code {y, dx}} of the (safe, when {@code masked}) softmax of {@code in = {x, cotangent}}, fused or composite. */
    private static Tensor[] softmaxAndGradient(boolean fused, boolean masked, Tensor[] in) {
        Tensor x = in[0].requiresGrad();
        try (GradientTape tape = GradientTape.record()) {
            Tensor y;
            if (fused) {
                y = masked ? Attention.maskedSoftmax(x) : x.softmax(-1);
                assertEquals(Op.SOFTMAX, y.recordedOp());
            } else {
                Tensor m = x.max(-1, true).detach();
                m = Tensor.where(m.abs().lt(Double.POSITIVE_INFINITY), m, m.like(0));
                Tensor e = x.sub(m).exp(), z = e.sum(-1, true);
                y = e.div(masked ? z.add(z.eq(0)) : z);
            }
            return new Tensor[] {y, tape.gradientWithSeed(y, in[1], x)[0]};
        }
    }

    /**
     * The attention primitive against its composite ({@code softmax(q k^T / sqrt(d) + mask) v} from recorded ops): output
     * and the gradients of query, key and value for a random cotangent, over batch axes of rank 0 to 2, lengths and
     * widths on and off the vector width and the register tile, with no mask, the causal mask (also for {@code L != S}),
     * a shared {@code [L, S]} mask, a key-padding mask broadcast over heads and queries ({@code [B, 1, 1, S]}) and one
     * per product, some rows wholly masked (weights and gradients 0 there in both).
     */
    @Property(tries = 60)
    void fusedAttentionEqualsTheComposite(@ForAll @IntRange(max = 2) int batchRank, @ForAll @IntRange(max = 4) int maskKind,
                                          @ForAll boolean float32, @ForAll long seed) {
        Random r = new Random(seed);
        DType t = float32 ? DType.FLOAT32 : DType.FLOAT64;
        int[] batch = new int[batchRank];
        for (int i = 0; i < batchRank; i++) batch[i] = 1 + r.nextInt(3);
        int l = 1 + r.nextInt(70), s = 1 + r.nextInt(70), d = 1 + r.nextInt(40), dv = 1 + r.nextInt(40);
        Tensor q = Tensor.randn(r, t, with(batch, l, d)), k = Tensor.randn(r, t, with(batch, s, d)), v = Tensor.randn(r, t, with(batch, s, dv));
        Tensor mask = switch (maskKind) {
            case 2 -> dropped(r, t, l, s);
            case 3 -> dropped(r, t, with(batchRank == 0 ? batch : java.util.Arrays.copyOf(batch, 1), batchRank == 0 ? new int[] {1, s} : padding(batchRank, s)));
            case 4 -> dropped(r, t, with(batch, l, s));
            default -> null;
        };
        boolean causal = maskKind == 1;
        Tensor[] in = {q, k, v, Tensor.randn(r, t, with(batch, l, dv))};
        assertAsCloseAsTheComposite((fused, x) -> attentionAndGradients(fused, x, mask, causal), in, 1e-12, new String[] {"out", "dq", "dk", "dv"},
                " for batch " + java.util.Arrays.toString(batch) + ", L " + l + ", S " + s + ", d " + d + ", dv " + dv + ", mask kind " + maskKind);
    }

    /**
     * The convolution primitives against their composites (unfold, one product per sample and group, fold): output and
     * the gradients of input, weight and bias for a random cotangent, over batches of 1 to 9 samples and maps of 1 to
     * 400 positions (so chunks of 1 to 64 samples, more and fewer chunks than threads, and partial tiles of the
     * products), kernels up to 5 wide, strides up to 3, dilations up to 2, padding up to 2 and up to 3 groups.
     */
    @Property(tries = 60)
    void fusedConvolutionsEqualTheComposites(@ForAll boolean transposed, @ForAll boolean float32, @ForAll long seed) {
        Random r = new Random(seed);
        int groups = 1 + r.nextInt(3), n = 1 + r.nextInt(9), cin = groups * (1 + r.nextInt(4)), cout = groups * (1 + r.nextInt(4));
        int[] k = {1 + r.nextInt(5), 1 + r.nextInt(5)}, s = {1 + r.nextInt(3), 1 + r.nextInt(3)}, d = {1 + r.nextInt(2), 1 + r.nextInt(2)};
        int[] p = {r.nextInt(Math.min(3, k[0])), r.nextInt(Math.min(3, k[1]))};
        int h = d[0] * (k[0] - 1) + 1 + r.nextInt(20), w = d[1] * (k[1] - 1) + 1 + r.nextInt(20);
        convolutionEqualsTheComposite(transposed, float32 ? DType.FLOAT32 : DType.FLOAT64, r, n, groups, cin, cout, k, s, d, p, h, w);
    }

    /**
     * A window over the whole image (one output position; the {@code dcgan} discriminator's last convolution and its
     * generator's first, transposed), which the kernels compute as a dense layer, against the composites; with padding
     * or more than one group it is an ordinary convolution again.
     */
    @Property(tries = 40)
    void wholeImageConvolutionsEqualTheComposites(@ForAll boolean transposed, @ForAll boolean float32, @ForAll boolean padded, @ForAll long seed) {
        Random r = new Random(seed);
        int groups = padded ? 1 : 1 + r.nextInt(2), n = 1 + r.nextInt(9), cin = groups * (1 + r.nextInt(4)), cout = groups * (1 + r.nextInt(4));
        int h = 1 + r.nextInt(8), w = 1 + r.nextInt(8), pad = padded ? 1 : 0;
        convolutionEqualsTheComposite(transposed, float32 ? DType.FLOAT32 : DType.FLOAT64, r, n, groups, cin, cout, new int[] {h + 2 * pad, w + 2 * pad},
                new int[] {1 + r.nextInt(3), 1 + r.nextInt(3)}, new int[] {1, 1}, new int[] {pad, pad}, h, w);
    }

    private static void convolutionEqualsTheComposite(boolean transposed, DType t, Random r, int n, int groups, int cin, int cout, int[] k, int[] s, int[] d,
                                                      int[] p, int h, int w) {
        ConvWindow win = ConvWindow.of("test", k, d, p, s);
        int oh = win.outH("test", h), ow = win.outW("test", w);
        String where = " of " + (transposed ? "convTranspose2d" : "conv2d") + ", " + n + " samples, " + cin + " -> " + cout + " channels, " + h + "x" + w
                + ", kernel " + java.util.Arrays.toString(k) + ", stride " + java.util.Arrays.toString(s) + ", dilation " + java.util.Arrays.toString(d)
                + ", padding " + java.util.Arrays.toString(p) + ", " + groups + " groups";
        if (!transposed) {
            Tensor[] in = {Tensor.randn(r, t, n, cin, h, w), Tensor.randn(r, t, cout, cin / groups, k[0], k[1]), Tensor.randn(r, t, cout),
                    Tensor.randn(r, t, n, cout, oh, ow)};
            assertAsCloseAsTheComposite((fused, x) -> convolutionAndGradients(fused ? v -> Convolution.conv2d(v[0], v[1], v[2], win, groups)
                    : v -> Convolution.composite(v[0], v[1], v[2], win, groups), fused ? Op.CONV2D : null, x), in, 1e-12, new String[] {"y", "dx", "dw", "db"}, where);
        } else {
            // the transposed convolution of maps [n, cin, oh, ow] back to images [n, cout, h, w]
            Tensor[] in = {Tensor.randn(r, t, n, cin, oh, ow), Tensor.randn(r, t, cin, cout / groups, k[0], k[1]), Tensor.randn(r, t, cout),
                    Tensor.randn(r, t, n, cout, h, w)};
            assertAsCloseAsTheComposite((fused, x) -> convolutionAndGradients(fused ? v -> Convolution.convTranspose2d(v[0], v[1], v[2], win, groups, h, w)
                    : v -> Convolution.transposedComposite(v[0], v[1], v[2], win, groups, h, w), fused ? Op.CONV_TRANSPOSE2D : null, x), in, 1e-12,
                    new String[] {"y", "dx", "dw", "db"}, where);
        }
    }

    /** {@code {y, dx, dw, db}} of {@code conv({x, w, b})} for {@code in = {x, w, b, cotangent}}; the result is {@code op}'s when it is not null. */
    private static Tensor[] convolutionAndGradients(java.util.function.Function<Tensor[], Tensor> conv, Op op, Tensor[] in) {
        Tensor x = in[0].requiresGrad(), w = in[1].requiresGrad(), b = in[2].requiresGrad();
        try (GradientTape tape = GradientTape.record()) {
            Tensor y = conv.apply(new Tensor[] {x, w, b});
            if (op != null) assertEquals(op, y.recordedOp());
            Tensor[] g = tape.gradientWithSeed(y, in[3], x, w, b);
            return new Tensor[] {y, g[0], g[1], g[2]};
        }
    }

    /** The output and input gradient of both convolutions are the same bit for bit on one thread and on the pool. */
    @Property(tries = 20)
    void convolutionsDoNotDependOnTheThreadCount(@ForAll @IntRange(min = 1, max = 9) int n, @ForAll boolean float32, @ForAll long seed) {
        Random r = new Random(seed);
        DType t = float32 ? DType.FLOAT32 : DType.FLOAT64;
        ConvWindow win = ConvWindow.of("test", new int[] {3}, new int[] {1}, new int[] {1}, new int[] {1 + r.nextInt(2)});
        int h = 4 + r.nextInt(30), w = 4 + r.nextInt(30), cin = 1 + r.nextInt(8), cout = 1 + r.nextInt(40);
        Tensor x = Tensor.randn(r, t, n, cin, h, w).requiresGrad(), wt = Tensor.randn(r, t, cout, cin, 3, 3), b = Tensor.randn(r, t, cout), bt = Tensor.randn(r, t, cin);
        java.util.function.Supplier<double[][]> run = () -> {
            try (GradientTape tape = GradientTape.record()) {
                Tensor y = Convolution.conv2d(x, wt, b, win, 1), z = Convolution.convTranspose2d(y, wt, bt, win, 1, h, w);
                return new double[][] {y.toDoubleArray(), z.toDoubleArray(), tape.gradientWithSeed(z, z, x)[0].toDoubleArray()};
            }
        };
        double[][] pooled = run.get();
        double[][][] serial = new double[1][][];
        dev.tapegrad.autodiff.kernel.Parallel.serially(() -> serial[0] = run.get());
        for (int i = 0; i < pooled.length; i++) assertArrayEquals(serial[0][i], pooled[i], new String[] {"conv2d", "convTranspose2d", "dx"}[i]);
    }

    /** The trailing axes of a key-padding mask {@code [B, 1, ..., 1, S]} for batch axes of rank {@code batchRank} (B the first). */
    private static int[] padding(int batchRank, int s) {
        int[] p = new int[batchRank + 1];
        java.util.Arrays.fill(p, 1);
        p[batchRank] = s;
        return p;
    }

    /** An additive mask of this shape with about a third of its entries {@code -inf} (some rows wholly, when short). */
    private static Tensor dropped(Random r, DType t, int... shape) {
        double[] m = new double[Shape.size(shape)];
        for (int i = 0; i < m.length; i++) m[i] = r.nextInt(3) == 0 ? Double.NEGATIVE_INFINITY : r.nextInt(4) == 0 ? -0.5 : 0;
        return Tensor.of(m, shape).to(t);
    }

    private static int[] with(int[] batch, int... last) {
        int[] s = java.util.Arrays.copyOf(batch, batch.length + last.length);
        System.arraycopy(last, 0, s, batch.length, last.length);
        return s;
    }

    /** {@code {out, dq, dk, dv}} of attention over {@code in = {q, k, v, cotangent}}, the primitive or the composite. */
    private static Tensor[] attentionAndGradients(boolean fused, Tensor[] in, Tensor mask, boolean causal) {
        Tensor q = in[0].requiresGrad(), k = in[1].requiresGrad(), v = in[2].requiresGrad();
        try (GradientTape tape = GradientTape.record()) {
            Tensor out = fused ? Attention.scaledDotProduct(q, k, v, mask, causal) : Attention.composite(q, k, v, mask, causal);
            if (fused) assertEquals(Op.ATTENTION, out.recordedOp());
            Tensor[] g = tape.gradientWithSeed(out, in[3], q, k, v);
            return new Tensor[] {out, g[0], g[1], g[2]};
        }
    }

    /**
     * {@code run(true, in)} (the fused op's outputs and gradients) against {@code run(false, in)} (the composite's): in
     * FLOAT64 within {@code tol64} of the largest value; in FLOAT32 both against the FLOAT64 composite of the same values,
     * the fused op's error at most twice the composite's plus 1e-6 of the largest value. A null input stays null.
     */
    private static void assertAsCloseAsTheComposite(java.util.function.BiFunction<Boolean, Tensor[], Tensor[]> run, Tensor[] in, double tol64,
                                                    String[] names, String where) {
        boolean float32 = in[0].dtype() == DType.FLOAT32;
        Tensor[] fused = run.apply(true, in), composite = run.apply(false, in);
        Tensor[] reference = float32 ? run.apply(false, java.util.Arrays.stream(in).map(v -> v == null ? null : v.to(DType.FLOAT64)).toArray(Tensor[]::new)) : null;
        for (int k = 0; k < fused.length; k++) {
            double[] want = (float32 ? reference : composite)[k].toDoubleArray(), got = fused[k].toDoubleArray(), other = composite[k].toDoubleArray();
            double scale = 0;
            for (double v : want) scale = Math.max(scale, Math.abs(v));
            for (int i = 0; i < want.length; i++) {
                double allowed = float32 ? 2 * Math.abs(other[i] - want[i]) + 1e-6 * Math.max(1, scale) : tol64 * Math.max(1, scale);
                assertEquals(want[i], got[i], allowed, names[k] + "[" + i + "]" + where + ", composite " + other[i]);
            }
        }
    }

    private static void assertClose(String what, double want, double got, double tol) {
        assertEquals(want, got, tol * Math.max(1, Math.abs(want)), what);
    }
}
