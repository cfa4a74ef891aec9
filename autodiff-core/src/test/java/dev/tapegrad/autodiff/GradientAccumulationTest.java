package dev.tapegrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The sweep adds gradients into its own sums in place (and slices' gradients into their region): the result
 * must be exactly what the recorded, allocating sweep gives, for tensors reached along many paths, through
 * {@code add}'s aliased gradients, for kept intermediate tensors, and must stay right to second order.
 */
class GradientAccumulationTest {
    /**
     * x reaches the loss through overlapping slices, an add of itself, a reshape and directly; {@code s = u + v}
     * is used twice, so its gradient is a sum that {@code add} hands on to both {@code u} and {@code v}, and
     * {@code u} and {@code v} get more terms before and after it.
     */
    private static Tensor manyPaths(Tensor x) {
        Tensor a = x.slice(0, 0, 2), b = x.slice(0, 1, 4), c = x.slice(1, 1, 3);
        Tensor twice = x.add(x);
        Tensor u = x.slice(0, 0, 2).mul(1.5), v = x.slice(0, 2, 4).tanh(), s = u.add(v);
        return u.exp().sum().add(a.square().sum()).add(b.mul(a.slice(0, 0, 1)).sum()).add(c.exp().sum()).add(twice.reshape(-1).slice(0, 2, 9).sum())
                .add(s.square().sum()).add(s.sin().sum()).add(x.mul(twice).sum()).add(v.square().sum()).add(u.cos().sum());
    }

    /**
     * {@code y = u + v} is used twice, so its gradient is a sum, which {@code add} hands to both {@code u} and
     * {@code v}; {@code c = u v} adds to {@code u}'s gradient before or after that (by {@code yFirst}), while
     * {@code v} is still waiting: an in-place add into the shared sum would change {@code v}'s gradient.
     */
    private static Tensor sharedSum(Tensor x, boolean yFirst) {
        Tensor u = x.slice(0, 0, 2).mul(1.5), v = x.slice(0, 2, 4).exp(), y = u.add(v), c = u.mul(v).sum();
        Tensor ys = y.square().sum().add(y.sin().sum());
        return yFirst ? ys.add(c) : c.add(ys);
    }

    private static Tensor input(DType t, long seed) {
        return Tensor.randn(new Random(seed), 4, 3).to(t).requiresGrad();
    }

    /** The gradient of {@code f} at {@code x}, by the in-place sweep and by a sweep that a second tape records. */
    private static Tensor[] bothWays(Function<Tensor, Tensor> f, Tensor x) {
        Tensor inPlace, recorded;
        try (GradientTape tape = GradientTape.record()) {
            inPlace = tape.gradient(f.apply(x), x)[0];
        }
        try (GradientTape outer = GradientTape.record(); GradientTape inner = GradientTape.record()) {
            recorded = inner.gradient(f.apply(x), x)[0];
            assertTrue(recorded.tracksGradient(), "the second sweep must have been recorded");
        }
        return new Tensor[] {inPlace, recorded.detach()};
    }

    @Test
    void inPlaceSumsEqualTheRecordedSweepExactly() {
        for (DType t : DType.values()) {
            Tensor[] g = bothWays(GradientAccumulationTest::manyPaths, input(t, 1));
            assertArrayEquals(g[1].toDoubleArray(), g[0].toDoubleArray(), 0.0, t.toString());
        }
    }

    @Test
    void aSumHandedToTwoInputsIsNotChangedForEither() {
        for (boolean yFirst : new boolean[] {true, false}) {
            Tensor[] g = bothWays(x -> sharedSum(x, yFirst), input(DType.FLOAT64, 7));
            assertArrayEquals(g[1].toDoubleArray(), g[0].toDoubleArray(), 0.0, "y first: " + yFirst);
        }
    }

    @Test
    void manyStepsOfOneProjectionEqualTheRecordedSweep() {
        // An RNN-like use: every step slices one projection, and each step's state feeds the next.
        Function<Tensor, Tensor> unrolled = x -> {
            Tensor proj = x.matmul(x.transpose(0, 1)), h = Tensor.zeros(x.dtype(), 1, 4);
            for (int t = 0; t < 4; t++) h = proj.slice(0, t, t + 1).add(h.mul(0.5)).tanh();
            return h.sum();
        };
        Tensor[] g = bothWays(unrolled, input(DType.FLOAT64, 2));
        assertArrayEquals(g[1].toDoubleArray(), g[0].toDoubleArray(), 0.0);
    }

    @Test
    void aMatrixInManyProductsEqualsTheRecordedSweep() {
        // A weight in many products, as a recurrent layer's: the terms of its 2-D products (plain and transposed, and a
        // batch of rows times it, which is one product) are multiplied straight into its sum; the term of a product that
        // broadcasts it over a batch axis is a batch of products summed, and takes the ordinary path.
        Random r = new Random(8);
        for (DType t : DType.values()) {
            Tensor h0 = Tensor.randn(r, 2, 4).to(t), seq = Tensor.randn(r, 2, 5, 4).to(t), batch = Tensor.randn(r, 2, 3, 6).to(t);
            Function<Tensor, Tensor> uses = w -> {
                Tensor h = h0, loss = seq.matmul(w).square().sum().add(w.matmul(batch).sin().sum());
                for (int s = 0; s < 5; s++) h = h.matmul(w).matmulTransposed(w).tanh();   // h w w^T
                return loss.add(h.sum()).add(w.transpose(0, 1).matmul(h0.transpose(0, 1)).sum());
            };
            Tensor[] g = bothWays(uses, Tensor.randn(r, 4, 3).to(t).requiresGrad());
            assertArrayEquals(g[1].toDoubleArray(), g[0].toDoubleArray(), 0.0, t.toString());
        }
    }

    @Test
    void keptIntermediatesGetTheirOwnUnchangedGradient() {
        Tensor x = input(DType.FLOAT64, 3);
        Tensor gx, gm, expectM;
        try (GradientTape tape = GradientTape.record()) {
            Tensor m = x.mul(2);
            Tensor loss = m.slice(0, 0, 2).sum().add(m.slice(0, 1, 3).square().sum()).add(m.add(m).sum());
            Tensor[] g = tape.gradient(loss, x, m);
            gx = g[0];
            gm = g[1];
            // d loss / d m, written out: 1 on rows 0-1, 2 m on rows 1-2, and 2 everywhere.
            double[] mv = m.toDoubleArray(), e = new double[mv.length];
            for (int i = 0; i < e.length; i++) {
                int row = i / 3;
                e[i] = 2 + (row <= 1 ? 1 : 0) + (row == 1 || row == 2 ? 2 * mv[i] : 0);
            }
            expectM = Tensor.of(e, 4, 3);
        }
        assertArrayEquals(expectM.toDoubleArray(), gm.toDoubleArray(), 1e-12);
        assertArrayEquals(expectM.mul(2).toDoubleArray(), gx.toDoubleArray(), 1e-12);
    }

    @Test
    void firstAndSecondOrderMatchFiniteDifferences() {
        GradCheck.first("many paths", in -> manyPaths(in[0]), 5, input(DType.FLOAT64, 4)).assertPassed();
        GradCheck.second("many paths", in -> manyPaths(in[0]), 6, input(DType.FLOAT64, 5)).assertPassed();
    }
}
