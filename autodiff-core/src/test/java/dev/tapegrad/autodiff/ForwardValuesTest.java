package dev.tapegrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Forward values against plain loops and known constants; FLOAT32 against FLOAT64; zero-size and 0-d cases. */
class ForwardValuesTest {

    @Property
    void batchedMatmulMatchesLoops(@ForAll @IntRange(min = 1, max = 3) int batch, @ForAll @IntRange(max = 6) int m,
                                   @ForAll @IntRange(max = 6) int k, @ForAll @IntRange(max = 6) int n, @ForAll long seed) {
        Random r = new Random(seed);
        Tensor a = Gen.uniform(r, -1, 1, batch, 1, m, k), b = Gen.uniform(r, -1, 1, 2, k, n);
        Tensor c = a.matmul(b);
        assertArrayEquals(new int[] {batch, 2, m, n}, c.shape());
        for (int t = 0; t < batch; t++)
            for (int u = 0; u < 2; u++)
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int p = 0; p < k; p++) s += a.get(t, 0, i, p) * b.get(u, p, j);
                        assertEquals(s, c.get(t, u, i, j), 1e-12);
                    }
    }

    /** Every permutation of a rank-4 tensor, every slice of one axis and a cat along it, against multi-index arithmetic. */
    @Property(tries = 20)
    void permuteSliceAndCatMatchIndexArithmetic(@ForAll long seed) {
        Random r = new Random(seed);
        int[] s = {1 + r.nextInt(3), 1 + r.nextInt(3), 1 + r.nextInt(3), 1 + r.nextInt(4)};
        Tensor x = Gen.uniform(r, -1, 1, s);
        int[][] perms = java.util.stream.IntStream.range(0, 256).mapToObj(c -> new int[] {c & 3, (c >> 2) & 3, (c >> 4) & 3, c >> 6})
                .filter(p -> java.util.Arrays.stream(p).distinct().count() == 4).toArray(int[][]::new);
        for (int[] p : perms) {
            Tensor y = x.permute(p);
            for (int i = 0; i < y.numel(); i++) {
                int[] at = unravel(i, y.shape()), from = new int[4];
                for (int d = 0; d < 4; d++) from[p[d]] = at[d];
                assertEquals(x.get(from), y.get(at), 0.0, java.util.Arrays.toString(p));
            }
        }
        int axis = r.nextInt(4), lo = r.nextInt(s[axis]), hi = lo + 1 + r.nextInt(s[axis] - lo);
        Tensor part = x.slice(axis, lo, hi), whole = Tensor.cat(axis, x.slice(axis, 0, lo), part, x.slice(axis, hi, s[axis]));
        assertArrayEquals(x.toDoubleArray(), whole.toDoubleArray(), 0.0);
        for (int i = 0; i < part.numel(); i++) {
            int[] at = unravel(i, part.shape());
            int[] from = at.clone();
            from[axis] += lo;
            assertEquals(x.get(from), part.get(at), 0.0);
        }
    }

    private static int[] unravel(int flat, int[] shape) {
        int[] at = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            at[d] = flat % shape[d];
            flat /= shape[d];
        }
        return at;
    }

    /** Broadcast binary operations against a plain loop over multi-indices (independent of the kernels' indexing). */
    @Property
    void broadcastingMatchesPlainLoops(@ForAll("shape") int[] s, @ForAll long seed) {
        Random r = new Random(seed);
        int[] sb = Gen.broadcastableTo(r, s);
        Tensor a = Gen.uniform(r, -2, 2, s), b = Gen.uniform(r, 0.5, 2, sb);
        Tensor[] results = {a.add(b), b.sub(a), a.mul(b), a.div(b), b.maximum(a)};
        for (Tensor t : results) assertArrayEquals(s, t.shape());
        int[] idx = new int[s.length];
        for (int i = 0; i < a.numel(); i++) {
            int rem = i;
            for (int d = s.length - 1; d >= 0; d--) { idx[d] = rem % s[d]; rem /= s[d]; }
            int[] jb = new int[sb.length];
            for (int d = 0; d < sb.length; d++) jb[d] = sb[d] == 1 ? 0 : idx[d + s.length - sb.length];
            double x = a.get(idx), y = b.get(jb);
            assertEquals(x + y, results[0].get(idx), 0);
            assertEquals(y - x, results[1].get(idx), 0);
            assertEquals(x * y, results[2].get(idx), 0);
            assertEquals(x / y, results[3].get(idx), 0);
            assertEquals(Math.max(x, y), results[4].get(idx), 0);
        }
    }

    /** The arithmetic loops (equal shapes, scalars, broadcasts by a run of axes, either side) agree with the general kernel. */
    @Property
    void arithmeticFastPathsMatchTheGeneralKernel(@ForAll("shape") int[] s, @ForAll long seed, @ForAll boolean float32) {
        Random r = new Random(seed);
        DType t = float32 ? DType.FLOAT32 : DType.FLOAT64;
        Tensor a = Gen.uniform(r, 0.5, 2, s).to(t), b = Gen.uniform(r, 0.5, 2, s).to(t), c = Tensor.scalar(t, 1.5 + r.nextDouble());
        Tensor small = Gen.uniform(r, 0.5, 2, Gen.broadcastableTo(r, s)).to(t);
        checkArith(new Tensor[][] {{a, b}, {a, c}, {c, b}, {a, small}, {small, b}}, t);
    }

    @Test
    void arithmeticOnLargeBroadcastsSplitsAcrossCores() {
        Random r = new Random(4);
        for (DType t : DType.values()) {
            Tensor x = Tensor.randn(r, t, 64, 8, 28, 28), y = Tensor.randn(r, t, 300, 1000);
            checkArith(new Tensor[][] {{x, Tensor.randn(r, t, 1, 8, 1, 1)}, {Tensor.randn(r, t, 8, 1, 1), x}, {x, Tensor.randn(r, t, 28)},
                    {y, Tensor.randn(r, t, 300, 1)}, {Tensor.randn(r, t, 1000), y}, {y, y}, {y, Tensor.scalar(t, 3)}}, t);
        }
    }

    /** Each operation on each pair against the same operation on both operands expanded to the result's shape, element by element in double. */
    private static void checkArith(Tensor[][] pairs, DType t) {
        String[] names = {"add", "sub", "mul", "div"};
        java.util.List<java.util.function.BinaryOperator<Tensor>> ops = java.util.List.of(Tensor::add, Tensor::sub, Tensor::mul, Tensor::div);
        java.util.function.DoubleBinaryOperator[] fns = {Double::sum, (x, y) -> x - y, (x, y) -> x * y, (x, y) -> x / y};
        for (int k = 0; k < 4; k++) {
            for (Tensor[] pair : pairs) {
                Tensor fast = ops.get(k).apply(pair[0], pair[1]);
                double[] x = pair[0].expand(fast.shape()).toDoubleArray(), y = pair[1].expand(fast.shape()).toDoubleArray(), want = new double[x.length];
                for (int i = 0; i < want.length; i++) want[i] = fns[k].applyAsDouble(x[i], y[i]);
                Tensor expected = Tensor.of(want, fast.shape()).to(t);
                assertArrayEquals(expected.toDoubleArray(), fast.toDoubleArray(), 0,
                        names[k] + " " + t + " " + Shape.str(pair[0].shape()) + " " + Shape.str(pair[1].shape()));
            }
        }
    }

    @Test
    void matmulVectorCases() {
        Tensor m = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3), v = Tensor.of(new double[] {1, 0, -1});
        assertArrayEquals(new double[] {-2, -2}, m.matmul(v).toDoubleArray(), 0);
        assertArrayEquals(new int[] {2}, m.matmul(v).shape());
        assertEquals(2, v.matmul(v).item(), 0);
        assertArrayEquals(new int[] {}, v.matmul(v).shape());
        assertArrayEquals(new double[] {-3, -3, -3}, Tensor.of(new double[] {1, -1}).matmul(m).toDoubleArray(), 0);
    }

    @Property
    void reductionsMatchLoops(@ForAll @IntRange(min = 1, max = 5) int rows, @ForAll @IntRange(min = 1, max = 5) int cols, @ForAll long seed) {
        Tensor x = Gen.uniform(new Random(seed), -3, 3, rows, cols);
        Tensor sum = x.sum(1, false), max = x.max(0, true), var = x.var(1, false), sm = x.softmax(1), lse = x.logSumExp(1, true);
        Tensor arg = x.argmax(0);
        for (int i = 0; i < rows; i++) {
            double s = 0, mx = Double.NEGATIVE_INFINITY, ex = 0;
            for (int j = 0; j < cols; j++) { s += x.get(i, j); mx = Math.max(mx, x.get(i, j)); }
            double mean = s / cols, sq = 0;
            for (int j = 0; j < cols; j++) { sq += Math.pow(x.get(i, j) - mean, 2); ex += Math.exp(x.get(i, j)); }
            assertEquals(s, sum.get(i), 1e-12);
            assertEquals(cols > 1 ? sq / (cols - 1) : Double.NaN, var.get(i), 1e-12);
            assertEquals(Math.log(ex), lse.get(i, 0), 1e-12);
            for (int j = 0; j < cols; j++) assertEquals(Math.exp(x.get(i, j)) / ex, sm.get(i, j), 1e-12);
        }
        for (int j = 0; j < cols; j++) {
            int best = 0;
            for (int i = 1; i < rows; i++) if (x.get(i, j) > x.get(best, j)) best = i;
            assertEquals(x.get(best, j), max.get(0, j), 0);
            assertEquals(best, arg.get(j), 0);
        }
    }

    @Test
    void knownValues() {
        assertEquals(0.8413447460685429, Tensor.scalar(1).gelu().item(), 1e-15);
        assertEquals(0.5204998778130465, Tensor.scalar(0.5).erf().item(), 1e-15);
        assertEquals(Math.log1p(Math.E), Tensor.scalar(1).softplus().item(), 1e-15);
        assertEquals(1000, Tensor.scalar(1000).softplus().item(), 0);
        assertEquals(1, Tensor.scalar(800).sigmoid().item(), 0);
        assertEquals(0, Tensor.scalar(-800).sigmoid().item(), 0);
        assertEquals(1000 + Math.log(2), Tensor.of(new double[] {1000, 1000}).logSumExp().item(), 1e-12);
        assertArrayEquals(new double[] {0.5, 0.5}, Tensor.of(new double[] {-1000, -1000}).softmax(0).toDoubleArray(), 0);
        assertArrayEquals(new double[] {-0.2, 0, 3}, Tensor.of(new double[] {-2, 0, 3}).leakyRelu(0.1).toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {-1, 0.5, 1}, Tensor.of(new double[] {-7, 0.5, 7}).clamp(-1, 1).toDoubleArray(), 0);
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1}, Tensor.linspace(0, 1, 5).toDoubleArray(), 0);
        assertArrayEquals(new double[] {1, 3}, Tensor.arange(1, 4, 2).toDoubleArray(), 0);
        assertArrayEquals(new double[] {1, 0, 0, 1}, Tensor.eye(2).toDoubleArray(), 0);
        assertArrayEquals(new double[] {0, 0, 0, 0, 1, 2, 0, 3, 4}, Tensor.of(new double[] {1, 2, 3, 4}, 2, 2).pad(1, 0, 1, 0)
                .toDoubleArray(), 0);
        assertArrayEquals(new double[] {1, 3, 2, 4}, Tensor.of(new double[] {1, 2, 3, 4}, 2, 2).transpose(0, 1).toDoubleArray(), 0);
        Tensor g = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2).gather(1, Tensor.of(new double[] {1, 1, 0, 1}, 2, 2));
        assertArrayEquals(new double[] {2, 2, 3, 4}, g.toDoubleArray(), 0);
        assertArrayEquals(new double[] {3, 4, 1, 2}, Tensor.of(new double[] {1, 2, 3, 4}, 2, 2).indexSelect(0, 1, 0).toDoubleArray(), 0);
        assertArrayEquals(new double[] {1, 5, 2, 6}, Tensor.stack(1, Tensor.of(new double[] {1, 2}), Tensor.of(new double[] {5, 6})).toDoubleArray(), 0);
        assertArrayEquals(new double[] {11, 21, 31, 12, 22, 32},
                Tensor.of(new double[] {1, 2}, 2, 1).add(Tensor.of(new double[] {10, 20, 30})).toDoubleArray(), 0);
        assertArrayEquals(new double[] {7, 2}, Tensor.where(Tensor.of(new double[] {1, 0}), Tensor.scalar(7), Tensor.of(new double[] {1, 2})).toDoubleArray(), 0);
    }

    @Test
    void zeroSizeAndScalars() {
        Tensor e = Tensor.zeros(DType.FLOAT64, 0, 3);
        assertArrayEquals(new double[] {0, 0, 0}, e.sum(0, false).toDoubleArray(), 0);
        assertArrayEquals(new int[] {0}, e.sum(1, false).shape());
        assertTrue(Double.isNaN(e.mean().item()));
        assertArrayEquals(new double[] {0, 0, 0, 0, 0, 0}, Tensor.zeros(2, 0).matmul(Tensor.zeros(0, 3)).toDoubleArray(), 0);
        assertArrayEquals(new int[] {0, 3}, e.exp().add(Tensor.ones(DType.FLOAT64, 3)).shape());
        assertArrayEquals(new int[] {3, 0}, e.transpose(0, 1).shape());
        assertArrayEquals(new int[] {2, 3}, Tensor.cat(0, e, Tensor.ones(DType.FLOAT64, 2, 3)).shape());
        Tensor s = Tensor.scalar(3);
        assertArrayEquals(new int[] {}, s.exp().shape());
        assertEquals(9, s.mul(s).item(), 0);
        assertArrayEquals(new int[] {1}, s.reshape(1).shape());
        assertArrayEquals(new int[] {2, 2}, s.expand(2, 2).shape());
        Tensor x = Tensor.scalar(2).requiresGrad();
        try (GradientTape tape = GradientTape.record()) {
            assertEquals(4, x.expand(2, 2).sum().backward().get(x).item(), 0);
            Tensor z = Tensor.zeros(DType.FLOAT64, 0, 2).requiresGrad();
            assertArrayEquals(new int[] {0, 2}, z.exp().sum().backward().get(z).shape());
        }
    }

    @Provide
    Arbitrary<int[]> shape() { return Gen.shapes(0, 3, 0, 5); }

    /** Each operation in FLOAT32 agrees with FLOAT64 to float precision. */
    @Property
    void float32AgreesWithFloat64(@ForAll("shape") int[] s, @ForAll long seed) {
        Random r = new Random(seed);
        Tensor x = Gen.uniform(r, 0.1, 2, s), y = Gen.uniform(r, 0.1, 2, s);
        java.util.List<UnaryOperator<Tensor>> ops = java.util.List.of(Tensor::exp, Tensor::log, Tensor::tanh, Tensor::sigmoid,
                Tensor::gelu, Tensor::softplus, Tensor::sqrt, t -> t.pow(1.5), Tensor::sin, Tensor::cos, Tensor::relu, Tensor::abs,
                t -> t.sum(), t -> t.rank() > 0 ? t.softmax(-1) : t, t -> t.rank() > 0 && t.size(-1) > 0 ? t.max(-1, false) : t);
        for (UnaryOperator<Tensor> op : ops) close(op.apply(x), op.apply(x.to(DType.FLOAT32)));
        close(x.mul(y).div(y.add(1)).sub(x), x.to(DType.FLOAT32).mul(y.to(DType.FLOAT32)).div(y.to(DType.FLOAT32).add(1)).sub(x.to(DType.FLOAT32)));
        if (s.length >= 2) close(x.matmul(y.transpose(-1, -2)), x.to(DType.FLOAT32).matmul(y.to(DType.FLOAT32).transpose(-1, -2)));
    }

    private static void close(Tensor d, Tensor f) {
        assertEquals(DType.FLOAT32, f.dtype());
        assertArrayEquals(d.shape(), f.shape());
        double[] a = d.toDoubleArray(), b = f.toDoubleArray();
        for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-5 * (1 + Math.abs(a[i])));
    }
}
