package dev.tapegrad.autodiff;

import static dev.tapegrad.autodiff.Checks.firstAndSecond;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The composites attention is built from ({@code tril}, {@code triu}, {@code maskedFill}, {@code split},
 * {@code chunk}) and {@link Attention} itself: first and second derivatives against finite differences over
 * random shapes, forward values against plain loops, fully masked rows, and bad input.
 */
class AttentionGradientProperties {

    private static int[] shape(Random r, int minRank, int maxRank) {
        int[] s = new int[minRank + r.nextInt(maxRank - minRank + 1)];
        for (int i = 0; i < s.length; i++) s[i] = 1 + r.nextInt(4);
        return s;
    }

    @Property(tries = 40)
    void trilAndTriu(@ForAll @IntRange(min = -3, max = 3) int diagonal, @ForAll long seed) {
        Random r = new Random(seed);
        Tensor x = Gen.uniform(r, -2, 2, shape(r, 2, 4));
        firstAndSecond("tril", seed, a -> a[0].tril(diagonal).square(), x);
        firstAndSecond("triu", seed, a -> a[0].triu(diagonal).square(), x);
    }

    @Property(tries = 40)
    void maskedFill(@ForAll long seed) {
        Random r = new Random(seed);
        int[] s = shape(r, 1, 4);
        Tensor mask = Gen.indices(r, 2, Gen.broadcastableTo(r, s));
        firstAndSecond("maskedFill", seed, a -> a[0].maskedFill(mask, 2.5).square(), Gen.uniform(r, -2, 2, s));
    }

    @Property(tries = 40)
    void splitAndChunk(@ForAll @IntRange(min = 1, max = 5) int size, @ForAll long seed) {
        Random r = new Random(seed);
        int[] s = shape(r, 1, 3);
        int axis = r.nextInt(s.length);
        Tensor x = Gen.uniform(r, -2, 2, s);
        firstAndSecond("split", seed, a -> weighted(a[0].split(size, axis), axis), x);
        firstAndSecond("chunk", seed, a -> weighted(a[0].chunk(size, axis), axis), x);
    }

    /** The pieces put back together, piece {@code i} times {@code i + 1} and squared (each piece reaches the result). */
    private static Tensor weighted(Tensor[] pieces, int axis) {
        Tensor[] scaled = new Tensor[pieces.length];
        for (int i = 0; i < pieces.length; i++) scaled[i] = pieces[i].mul(i + 1).square();
        return Tensor.cat(axis, scaled);
    }

    /** The primitive {@link Op#ATTENTION} (query, key and value of the same batch axes, a constant mask or none). */
    @Property(tries = 40) @GradientProperty(Op.ATTENTION)
    void scaledDotProduct(@ForAll boolean causal, @ForAll boolean withMask, @ForAll long seed) {
        Random r = new Random(seed);
        int[] batch = shape(r, 0, 2);
        int l = 1 + r.nextInt(4), s = causal ? l : 1 + r.nextInt(4), d = 1 + r.nextInt(3), dv = 1 + r.nextInt(3);
        Tensor q = Gen.uniform(r, -1.5, 1.5, with(batch, l, d)), k = Gen.uniform(r, -1.5, 1.5, with(batch, s, d));
        Tensor v = Gen.uniform(r, -1.5, 1.5, with(batch, s, dv));
        Tensor mask = withMask && !causal ? partialMask(r, l, s) : null;
        firstAndSecond("scaledDotProduct", seed, a -> Attention.scaledDotProduct(a[0], a[1], a[2], mask, causal), q, k, v);
    }

    @Property(tries = 20)
    void scaledDotProductWithDropoutAndAGradientOnTheMask(@ForAll long seed) {
        Random r = new Random(seed);
        int l = 1 + r.nextInt(4), s = 1 + r.nextInt(4);
        Tensor q = Gen.uniform(r, -1, 1, 2, l, 3), k = Gen.uniform(r, -1, 1, 2, s, 3), v = Gen.uniform(r, -1, 1, 2, s, 2);
        Tensor mask = Gen.uniform(r, -1, 1, l, s);
        // a fresh Random per call: every evaluation of the function draws the same dropout mask
        firstAndSecond("scaledDotProduct+dropout", seed, a -> Attention.scaledDotProduct(a[0], a[1], a[2], a[3], false, 0.3, new Random(seed)),
                q, k, v, mask);
    }

    @Property(tries = 30)
    void maskedSoftmaxWithFullyMaskedRows(@ForAll long seed) {
        Random r = new Random(seed);
        int rows = 1 + r.nextInt(4), n = 1 + r.nextInt(4);
        Tensor mask = partialMask(r, rows, n).add(Tensor.of(new double[rows], rows, 1).maskedFill(Gen.indices(r, 2, rows, 1), Double.NEGATIVE_INFINITY));
        firstAndSecond("maskedSoftmax", seed, a -> Attention.maskedSoftmax(a[0].add(mask)).mul(a[0]), Gen.uniform(r, -2, 2, rows, n));
    }

    /** An additive mask with some {@code -inf} entries but at least one 0 per row. */
    private static Tensor partialMask(Random r, int l, int s) {
        double[] m = new double[l * s];
        for (int i = 0; i < l; i++) {
            int kept = r.nextInt(s);
            for (int j = 0; j < s; j++) m[i * s + j] = j != kept && r.nextBoolean() ? Double.NEGATIVE_INFINITY : 0;
        }
        return Tensor.of(m, l, s);
    }

    private static int[] with(int[] batch, int... last) {
        int[] s = Arrays.copyOf(batch, batch.length + last.length);
        System.arraycopy(last, 0, s, batch.length, last.length);
        return s;
    }

    // ---------------------------------------------------------------- forward values

    @Test
    void trianglesMatchTheirDefinitionAndZeroInfinities() {
        Tensor x = Tensor.full(DType.FLOAT64, Double.NEGATIVE_INFINITY, 2, 3, 4);
        for (int diagonal = -3; diagonal <= 4; diagonal++) {
            double[] lower = x.tril(diagonal).toDoubleArray(), upper = x.triu(diagonal).toDoubleArray();
            for (int b = 0; b < 2; b++)
                for (int i = 0; i < 3; i++)
                    for (int j = 0; j < 4; j++) {
                        int at = b * 12 + i * 4 + j;
                        assertEquals(j - i <= diagonal ? Double.NEGATIVE_INFINITY : 0, lower[at], "tril " + diagonal);
                        assertEquals(j - i >= diagonal ? Double.NEGATIVE_INFINITY : 0, upper[at], "triu " + diagonal);
                    }
        }
        assertEquals(DType.FLOAT32, Tensor.ones(2, 2).tril(0).dtype());
        assertArrayEquals(new double[] {0, Double.NEGATIVE_INFINITY, 0, 0}, Attention.causalMask(DType.FLOAT64, 2, 2).toDoubleArray());
        assertArrayEquals(new float[] {0, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, 0, 0, Float.NEGATIVE_INFINITY},
                Attention.causalMask(DType.FLOAT32, 2, 3).toFloatArray());
    }

    @Test
    void maskedFillSplitAndChunkFollowPyTorch() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertArrayEquals(new double[] {1, -1, 3, 4, -1, 6}, x.maskedFill(Tensor.of(new double[] {0, 1, 0}), -1).toDoubleArray());
        assertArrayEquals(new int[] {2, 2, 1}, sizes(Tensor.zeros(5).chunk(3, 0)));
        assertArrayEquals(new int[] {2, 2, 2}, sizes(Tensor.zeros(6).chunk(4, 0)));     // torch.chunk gives fewer chunks here
        assertArrayEquals(new int[] {0, 0, 0}, sizes(Tensor.zeros(0).chunk(3, 0)));
        assertArrayEquals(new int[] {2, 2, 1}, sizes(Tensor.zeros(3, 5).split(2, -1)));
        assertArrayEquals(new int[] {0}, sizes(Tensor.zeros(0).split(2, 0)));
        Tensor[] rows = x.split(1, 0);
        assertArrayEquals(new double[] {4, 5, 6}, rows[1].toDoubleArray());
        assertArrayEquals(new int[] {1, 3}, rows[1].shape());
    }

    private static int[] sizes(Tensor[] pieces) { return Arrays.stream(pieces).mapToInt(p -> p.size(-1)).toArray(); }

    @Test
    void scaledDotProductMatchesLoopsWithMaskAndCausality() {
        Random r = new Random(3);
        int b = 2, l = 3, s = 4, d = 5, dv = 2;
        Tensor q = Gen.uniform(r, -1, 1, b, l, d), k = Gen.uniform(r, -1, 1, b, s, d), v = Gen.uniform(r, -1, 1, b, s, dv);
        Tensor mask = Gen.uniform(r, -2, 0, l, s).add(partialMask(r, l, s));
        assertArrayEquals(loops(q, k, v, mask), Attention.scaledDotProduct(q, k, v, mask, false).toDoubleArray(), 1e-12);
        assertArrayEquals(loops(q, k, v, Attention.causalMask(DType.FLOAT64, l, s)), Attention.scaledDotProduct(q, k, v, null, true).toDoubleArray(), 1e-12);
        assertArrayEquals(loops(q, k, v, null), Attention.scaledDotProduct(q, k, v, null, false).toDoubleArray(), 1e-12);
        Tensor f32 = Attention.scaledDotProduct(q.to(DType.FLOAT32), k.to(DType.FLOAT32), v.to(DType.FLOAT32), mask, false);
        assertEquals(DType.FLOAT32, f32.dtype());
        assertArrayEquals(loops(q, k, v, mask), f32.to(DType.FLOAT64).toDoubleArray(), 1e-5);
    }

    /** {@code softmax(q k^T / sqrt(d) + mask) v} with plain loops; a null mask is zeros. */
    private static double[] loops(Tensor q, Tensor k, Tensor v, Tensor mask) {
        int b = q.size(0), l = q.size(1), d = q.size(2), s = k.size(1), dv = v.size(2);
        double[] out = new double[b * l * dv];
        for (int n = 0; n < b; n++)
            for (int i = 0; i < l; i++) {
                double[] w = new double[s];
                double max = Double.NEGATIVE_INFINITY, z = 0;
                for (int j = 0; j < s; j++) {
                    for (int c = 0; c < d; c++) w[j] += q.get(n, i, c) * k.get(n, j, c);
                    w[j] = w[j] / Math.sqrt(d) + (mask == null ? 0 : mask.get(i, j));
                    max = Math.max(max, w[j]);
                }
                for (int j = 0; j < s; j++) z += w[j] = Math.exp(w[j] - max);
                for (int j = 0; j < s; j++)
                    for (int c = 0; c < dv; c++) out[(n * l + i) * dv + c] += w[j] / z * v.get(n, j, c);
            }
        return out;
    }

    @Test
    void aFullyMaskedRowGivesZerosAndAZeroGradient() {
        Random r = new Random(5);
        Tensor q = Gen.uniform(r, -1, 1, 3, 2).requiresGrad(), k = Gen.uniform(r, -1, 1, 4, 2).requiresGrad();
        Tensor v = Gen.uniform(r, -1, 1, 4, 2).requiresGrad();
        Tensor mask = Tensor.zeros(DType.FLOAT64, 3, 4).maskedFill(Tensor.of(new double[] {0, 1, 0}, 3, 1), Double.NEGATIVE_INFINITY);
        try (GradientTape tape = GradientTape.record()) {
            Tensor w = Attention.weights(q, k, mask, false), out = Attention.scaledDotProduct(q, k, v, mask, false);
            assertArrayEquals(new double[4], w.slice(0, 1, 2).toDoubleArray());
            assertEquals(1, w.slice(0, 0, 1).sum().item(), 1e-12);
            assertArrayEquals(new double[2], out.slice(0, 1, 2).toDoubleArray());
            Tensor[] g = tape.gradient(out.slice(0, 1, 2).sum(), q, k, v);
            for (Tensor t : g) for (double x : t.toDoubleArray()) assertEquals(0, x, 0, () -> Arrays.toString(t.toDoubleArray()));
            for (Tensor t : tape.gradient(out.sum(), q, k, v)) for (double x : t.toDoubleArray()) assertTrue(Double.isFinite(x));
        }
    }

    @Test
    void dropoutIsSeededAndScaled() {
        Tensor q = Tensor.zeros(DType.FLOAT64, 1, 200, 2), k = Tensor.zeros(DType.FLOAT64, 1, 50, 2), v = Tensor.ones(DType.FLOAT64, 1, 50, 1);
        Tensor a = Attention.scaledDotProduct(q, k, v, null, false, 0.5, new Random(9));
        assertArrayEquals(a.toDoubleArray(), Attention.scaledDotProduct(q, k, v, null, false, 0.5, new Random(9)).toDoubleArray());
        assertEquals(1, a.mean().item(), 0.05);        // uniform weights 1/50, half dropped, the rest doubled
        assertTrue(a.max().item() > 1.2);
    }

    @Test
    void badInputNamesTheOperationArgumentAndShapes() {
        Tensor q = Tensor.zeros(2, 3, 4), k = Tensor.zeros(2, 5, 4), v = Tensor.zeros(2, 5, 6);
        message(() -> Attention.scaledDotProduct(Tensor.zeros(4), k, v, null, false), "Attention.scaledDotProduct", "query", "[4]");
        message(() -> Attention.scaledDotProduct(q, Tensor.zeros(2, 5, 3), v, null, false), "query [2, 3, 4]", "key [2, 5, 3]");
        message(() -> Attention.scaledDotProduct(q, k, Tensor.zeros(2, 4, 6), null, false), "key [2, 5, 4]", "value [2, 4, 6]");
        message(() -> Attention.scaledDotProduct(q, Tensor.zeros(3, 5, 4), v, null, false), "batch axes", "[2, 3, 4]", "[3, 5, 4]");
        message(() -> Attention.scaledDotProduct(q, k, v, Tensor.zeros(3, 4), false), "attnMask [3, 4]", "[2, 3, 5]");
        message(() -> Attention.scaledDotProduct(q, k, v, Tensor.zeros(3, 5), true), "attnMask", "isCausal");
        message(() -> Attention.scaledDotProduct(q, k, v, null, false, 1, new Random(0)), "dropout probability 1");
        message(() -> Attention.scaledDotProduct(q, k, v, null, false, 0.1, null), "needs a Random");
        message(() -> Tensor.zeros(3).tril(0), "tril", "[3]");
        message(() -> Tensor.zeros(2, 3).maskedFill(Tensor.zeros(2, 2), 0), "maskedFill", "[2, 2]", "[2, 3]");
        message(() -> Tensor.zeros(2, 3).split(0, 1), "split", "size 0", "[2, 3]");
        message(() -> Tensor.zeros(2, 3).chunk(2, 2), "chunk", "axis 2");
    }

    private static void message(org.junit.jupiter.api.function.Executable e, String... parts) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        for (String p : parts) assertTrue(ex.getMessage().contains(p), () -> "'" + ex.getMessage() + "' lacks '" + p + "'");
    }
}
