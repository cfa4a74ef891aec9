package dev.tapegrad.autodiff;

import static dev.tapegrad.autodiff.Checks.firstAndSecond;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The matrix product (all operand ranks, broadcast batches) and dtype conversion. */
class MatMulGradientProperties {

    @Property @GradientProperty(Op.MATMUL)
    void matmul(@ForAll @IntRange(min = 0, max = 4) int m, @ForAll @IntRange(min = 0, max = 4) int k,
                @ForAll @IntRange(min = 0, max = 4) int n, @ForAll @IntRange(min = 0, max = 5) int layout, @ForAll long seed) {
        Random r = new Random(seed);
        int[][] shapes = switch (layout) {
            case 0 -> new int[][] {{m, k}, {k, n}};
            case 1 -> new int[][] {{2, m, k}, {k, n}};
            case 2 -> new int[][] {{3, 1, m, k}, {2, k, n}};
            case 3 -> new int[][] {{k}, {2, k, n}};
            case 4 -> new int[][] {{m, k}, {k}};
            default -> new int[][] {{k}, {k}};
        };
        Tensor a = Gen.uniform(r, -2, 2, shapes[0]), b = Gen.uniform(r, -2, 2, shapes[1]);
        firstAndSecond("matmul " + Shape.str(shapes[0]) + " x " + Shape.str(shapes[1]), seed, x -> x[0].matmul(x[1]), a, b);
    }

    /** The primitive with either operand read transposed (whose backward rules differ), batches broadcast. */
    @Property @GradientProperty(Op.MATMUL)
    void transposedOperands(@ForAll @IntRange(min = 0, max = 4) int m, @ForAll @IntRange(min = 0, max = 4) int k,
                            @ForAll @IntRange(min = 0, max = 4) int n, @ForAll boolean ta, @ForAll boolean tb,
                            @ForAll @IntRange(min = 0, max = 2) int batch, @ForAll long seed) {
        Random r = new Random(seed);
        int[] sa = ta ? new int[] {k, m} : new int[] {m, k}, sb = tb ? new int[] {n, k} : new int[] {k, n};
        if (batch == 1) sa = new int[] {2, sa[0], sa[1]};
        if (batch == 2) { sa = new int[] {3, 1, sa[0], sa[1]}; sb = new int[] {2, sb[0], sb[1]}; }
        Tensor a = Gen.uniform(r, -2, 2, sa), b = Gen.uniform(r, -2, 2, sb);
        firstAndSecond("mm " + Shape.str(sa) + (ta ? "^T" : "") + " x " + Shape.str(sb) + (tb ? "^T" : ""), seed,
                x -> MatMul.mm(x[0], x[1], ta, tb), a, b);
    }

    @Property(tries = 50)
    void matmulTransposedIsMatmulOfTheTranspose(@ForAll @IntRange(min = 1, max = 5) int m, @ForAll @IntRange(min = 0, max = 5) int k,
                                                @ForAll @IntRange(min = 1, max = 5) int n, @ForAll boolean vector, @ForAll long seed) {
        Random r = new Random(seed);
        Tensor a = vector ? Gen.uniform(r, -2, 2, k) : Gen.uniform(r, -2, 2, 2, m, k), b = Gen.uniform(r, -2, 2, n, k);
        org.junit.jupiter.api.Assertions.assertArrayEquals(a.matmul(b.transpose(-1, -2)).toDoubleArray(), a.matmulTransposed(b).toDoubleArray(), 1e-12);
        org.junit.jupiter.api.Assertions.assertArrayEquals(a.matmul(b.transpose(-1, -2)).shape(), a.matmulTransposed(b).shape());
        firstAndSecond("matmulTransposed", seed, x -> x[0].matmulTransposed(x[1]), a, b);
    }

    /**
     * The primitive with a bias, {@code linear}: {@code x W^T + b} for inputs of rank 1 to 3 (and no features), against
     * {@code matmulTransposed} plus the bias, and its first and second derivatives in all three.
     */
    @Property @GradientProperty(Op.MATMUL)
    void linear(@ForAll @IntRange(min = 1, max = 3) int rank, @ForAll @IntRange(min = 0, max = 4) int in, @ForAll @IntRange(min = 1, max = 4) int out,
                @ForAll long seed) {
        Random r = new Random(seed);
        int[] shape = rank == 1 ? new int[] {in} : rank == 2 ? new int[] {3, in} : new int[] {2, 3, in};
        Tensor x = Gen.uniform(r, -2, 2, shape), w = Gen.uniform(r, -2, 2, out, in), b = Gen.uniform(r, -2, 2, out);
        Tensor want = x.matmulTransposed(w).add(b), got = x.linear(w, b);
        org.junit.jupiter.api.Assertions.assertArrayEquals(want.shape(), got.shape());
        org.junit.jupiter.api.Assertions.assertArrayEquals(want.toDoubleArray(), got.toDoubleArray(), 1e-12);
        firstAndSecond("linear " + Shape.str(shape) + " x " + Shape.str(w.shape()) + "^T + b", seed, t -> t[0].linear(t[1], t[2]), x, w, b);
        firstAndSecond("linear without bias", seed, t -> t[0].linear(t[1], null), x, w);
    }

    @Property(tries = 30) @GradientProperty(Op.CAST)
    void castRoundTrip(@ForAll @IntRange(min = 0, max = 6) int n, @ForAll long seed) {
        // Through FLOAT32 the function is exact only to float precision, so the step must be far above it
        // (1e-2 against values of size ~1 leaves a relative rounding error of ~1e-5 in the quotient).
        Tensor x = Gen.uniform(new Random(seed), -2, 2, n);
        GradCheck check = GradCheck.withTolerances(1e-2, 1e-4, 1e-4);
        java.util.function.Function<Tensor[], Tensor> f = a -> a[0].to(DType.FLOAT32).square().to(DType.FLOAT64);
        check.checkFirst("cast", a -> a[0].to(DType.FLOAT32).mul(3).to(DType.FLOAT64), seed, x).assertPassed();
        check.checkSecond("cast", f, seed, x).assertPassed();
    }
}
