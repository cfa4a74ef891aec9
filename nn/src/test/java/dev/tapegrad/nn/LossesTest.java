package dev.tapegrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autodiff.DType;
import dev.tapegrad.autodiff.GradCheck;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.Losses.Reduction;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Each loss against a plain-double reference of its documented formula, and gradient-checked. */
class LossesTest {

    private static double[][] rows(Tensor t) {
        int n = t.size(0), c = t.size(1);
        double[] v = t.toDoubleArray();
        double[][] r = new double[n][c];
        for (int i = 0; i < n; i++) System.arraycopy(v, i * c, r[i], 0, c);
        return r;
    }

    private static double[] logSoftmax(double[] x) {
        double m = Double.NEGATIVE_INFINITY, s = 0;
        for (double v : x) m = Math.max(m, v);
        for (double v : x) s += Math.exp(v - m);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = x[i] - m - Math.log(s);
        return out;
    }

    @Property(tries = 50)
    void crossEntropyMatchesItsFormula(@ForAll @IntRange(min = 1, max = 5) int n, @ForAll @IntRange(min = 2, max = 5) int c,
                                       @ForAll @DoubleRange(min = 0, max = 0.5) double eps, @ForAll boolean weighted, @ForAll long seed) {
        Random r = new Random(seed);
        Tensor logits = Tensor.randn(r, DType.FLOAT64, n, c).mul(3);
        int[] y = r.ints(n, 0, c).toArray();
        double[] w = weighted ? r.doubles(c, 0.1, 2).toArray() : null;
        double sum = 0, wsum = 0;
        double[][] x = rows(logits);
        for (int i = 0; i < n; i++) {
            double[] lsm = logSoftmax(x[i]);
            double wy = w == null ? 1 : w[y[i]], smooth = 0;
            for (int k = 0; k < c; k++) smooth -= (w == null ? 1 : w[k]) * lsm[k];
            sum += (1 - eps) * (-wy * lsm[y[i]]) + eps / c * smooth;
            wsum += wy;
        }
        assertEquals(sum / wsum, Losses.crossEntropy(logits, y, eps, w, Reduction.MEAN).item(), 1e-12);
        assertEquals(sum, Losses.crossEntropy(logits, y, eps, w, Reduction.SUM).item(), 1e-12);
        GradCheck.first("crossEntropy", t -> Losses.crossEntropy(t[0], y, eps, w, Reduction.MEAN), seed, logits).assertPassed();
        GradCheck.second("crossEntropy", t -> Losses.crossEntropy(t[0], y, eps, w, Reduction.NONE), seed, logits).assertPassed();
    }

    @Test
    void crossEntropyIsStableForHugeLogits() {
        Tensor logits = Tensor.of(new double[] {1000, 0, -1000, 0}, 2, 2);
        assertEquals(1000 / 2.0, Losses.crossEntropy(logits, new int[] {1, 1}).item(), 1e-9);
        Tensor f = Tensor.of(new float[] {1e4f, 0}, 1, 2);
        assertEquals(0, Losses.crossEntropy(f, new int[] {0}).item(), 0);
    }

    @Property(tries = 30)
    void pointwiseLossesMatchTheirFormulas(@ForAll @IntRange(min = 1, max = 6) int n, @ForAll long seed) {
        Random r = new Random(seed);
        Tensor a = Tensor.randn(r, DType.FLOAT64, n, 2), t = Tensor.rand(r, DType.FLOAT64, n, 2);
        Tensor p = a.sigmoid();
        double[] av = a.toDoubleArray(), tv = t.toDoubleArray(), pv = p.toDoubleArray();
        double mse = 0, bce = 0, kl = 0;
        for (int i = 0; i < av.length; i++) {
            mse += Math.pow(av[i] - tv[i], 2);
            bce += -(tv[i] * Math.log(pv[i]) + (1 - tv[i]) * Math.log(1 - pv[i]));
            kl += tv[i] * (Math.log(tv[i]) - Math.log(pv[i]));
        }
        int count = av.length;
        assertEquals(mse / count, Losses.mse(a, t).item(), 1e-12);
        assertEquals(bce / count, Losses.binaryCrossEntropy(p, t).item(), 1e-12);
        assertEquals(bce / count, Losses.bceWithLogits(a, t).item(), 1e-12);
        assertEquals(kl / n, Losses.klDiv(p.log(), t, Reduction.BATCH_MEAN).item(), 1e-12);
        assertEquals(kl / count, Losses.klDiv(p.log(), t, Reduction.MEAN).item(), 1e-12);
        GradCheck.first("mse", x -> Losses.mse(x[0], x[1]), seed, a, t).assertPassed();
        GradCheck.first("binaryCrossEntropy", x -> Losses.binaryCrossEntropy(x[0].sigmoid(), x[1]), seed, a, t).assertPassed();
        GradCheck.first("bceWithLogits", x -> Losses.bceWithLogits(x[0], x[1], Reduction.NONE), seed, a, t).assertPassed();
        GradCheck.first("klDiv", x -> Losses.klDiv(x[0].logSoftmax(1), x[1], Reduction.SUM), seed, a, t).assertPassed();
        GradCheck.first("nll", x -> Losses.nll(x[0].logSoftmax(1), new int[n], null, Reduction.MEAN), seed, a).assertPassed();
    }

    @Test
    void edgeCasesFollowPyTorch() {
        // BCE clamps each log at -100; KL treats 0 log 0 as 0; bceWithLogits stays finite for huge logits
        assertEquals(100, Losses.binaryCrossEntropy(Tensor.of(new double[] {0}), Tensor.of(new double[] {1})).item(), 0);
        assertEquals(0, Losses.klDiv(Tensor.of(new double[] {-5}), Tensor.of(new double[] {0}), Reduction.SUM).item(), 0);
        assertEquals(1000, Losses.bceWithLogits(Tensor.of(new double[] {-1000}), Tensor.of(new double[] {1})).item(), 1e-9);
    }

    @Test
    void huberMatchesPyTorch() throws Exception {
        com.fasterxml.jackson.databind.JsonNode f;
        try (var in = LossesTest.class.getResourceAsStream("/huber.json")) {
            f = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
        }
        Tensor pred = Tensor.of(doubles(f.get("pred")), 5, 3), target = Tensor.of(doubles(f.get("target")), 5, 3);
        for (com.fasterxml.jackson.databind.JsonNode c : f.get("cases")) {
            double delta = c.get("delta").asDouble();
            Reduction r = Reduction.valueOf(c.get("reduction").asText().toUpperCase());
            Tensor p = pred.requiresGrad(), loss;
            double[] grad;
            try (dev.tapegrad.autodiff.GradientTape tape = dev.tapegrad.autodiff.GradientTape.record()) {
                loss = Losses.huber(p, target, delta, r);
                grad = loss.sum().backward().get(p).toDoubleArray();
            }
            org.junit.jupiter.api.Assertions.assertArrayEquals(doubles(c.get("loss")), loss.toDoubleArray(), 1e-14, "huber " + delta + " " + r);
            org.junit.jupiter.api.Assertions.assertArrayEquals(doubles(c.get("grad")), grad, 1e-14, "huber gradient " + delta + " " + r);
            GradCheck.first("huber", x -> Losses.huber(x[0], x[1], delta, r), 7, pred, target).assertPassed();
        }
        assertEquals(Losses.huber(pred, target, 1, Reduction.MEAN).item(), Losses.huber(pred, target).item(), 0);
    }

    private static double[] doubles(com.fasterxml.jackson.databind.JsonNode a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) v[i] = a.get(i).asDouble();
        return v;
    }

    @Test
    void badInputsNameTheLossAndShapes() {
        LayerGradientTest.assertMessage(() -> Losses.crossEntropy(Tensor.zeros(2, 3), new int[] {0, 3}), "crossEntropy", "label 3", "3 classes");
        LayerGradientTest.assertMessage(() -> Losses.crossEntropy(Tensor.zeros(2, 3), new int[] {0}), "crossEntropy", "1 labels", "[2, 3]");
        LayerGradientTest.assertMessage(() -> Losses.crossEntropy(Tensor.zeros(6), new int[] {0}), "crossEntropy", "[N, C]");
        LayerGradientTest.assertMessage(() -> Losses.crossEntropy(Tensor.zeros(1, 3), new int[] {0}, 0, new double[2], Reduction.MEAN), "2 class weights");
        LayerGradientTest.assertMessage(() -> Losses.mse(Tensor.zeros(2, 3), Tensor.zeros(3)), "mse", "[2, 3]", "[3]");
        Tensor logits = Tensor.randn(new java.util.Random(3), 4, 3);
        assertEquals(Losses.crossEntropy(logits, new int[] {2, 0, 1, 2}).item(), Losses.crossEntropy(logits, Tensor.of(new float[] {2, 0, 1, 2})).item(), 0);
        LayerGradientTest.assertMessage(() -> Losses.crossEntropy(logits, Tensor.of(new float[] {0.5f, 0, 1, 2})), "non-integral", "0.5");
        LayerGradientTest.assertMessage(() -> Losses.crossEntropy(logits, Tensor.of(new float[] {0, 0.5f, 1, 2})), "crossEntropy: labels must hold integers", "0.5");
        Tensor saturated = Tensor.of(new float[] {0, 1, 0, 1}).requiresGrad();
        try (var tape = dev.tapegrad.autodiff.GradientTape.record()) {
            Tensor loss = Losses.binaryCrossEntropy(saturated, Tensor.of(new float[] {0, 1, 1, 0}));
            assertEquals(50, loss.item(), 1e-4, "each wrong certainty costs 100, as PyTorch's clamp");
            for (double g : loss.backward().get(saturated).toDoubleArray()) assertTrue(Double.isFinite(g), "finite gradient at p = 0 or 1");
        }
        LayerGradientTest.assertMessage(() -> Losses.binaryCrossEntropy(Tensor.full(1.5, 2), Tensor.zeros(2)), "binaryCrossEntropy", "1.5", "[0, 1]");
        LayerGradientTest.assertMessage(() -> Losses.binaryCrossEntropy(Tensor.full(-0.5, 2), Tensor.zeros(2)), "binaryCrossEntropy", "-0.5");
        LayerGradientTest.assertMessage(() -> Losses.huber(Tensor.zeros(2), Tensor.zeros(3)), "huber", "[2]", "[3]");
        LayerGradientTest.assertMessage(() -> Losses.huber(Tensor.zeros(2), Tensor.zeros(2), 0, Reduction.MEAN), "huber", "delta 0");
    }

    @Test
    void gradientPenaltyOfALinearCriticIsTheClosedForm() {
        // D(x) = x w + 1 has grad_x D = w for every row: ||w|| = 5, so the penalty is (5 - 1)^2 whatever x_hat is.
        Tensor w = Tensor.of(new double[] {3, 4}, 2, 1);
        assertEquals(16, Losses.gradientPenalty(x -> x.matmul(w).add(1), Tensor.randn(new Random(1), DType.FLOAT64, 5, 2)).item(), 1e-9);
    }

    @Test
    void gradientPenaltyIsDifferentiatedThroughNestedTapes() {
        // First and second derivatives in the critic's parameters and x_hat (the second is a third derivative of D).
        Random r = new Random(4);
        Sequential dense = new Sequential(new Linear(4, 5, r), new Tanh(), new Linear(5, 1, r));
        ModuleCheck.check(dense, x -> Losses.gradientPenalty(dense::forward, x), Tensor.randn(r, DType.FLOAT64, 3, 4), 9, true);
        Sequential conv = new Sequential(new Conv2d(1, 2, 3, 2, 1, r), new Tanh(), new Flatten(), new Linear(2 * 3 * 3, 1, r));
        ModuleCheck.check(conv, x -> Losses.gradientPenalty(conv::forward, x), Tensor.randn(r, DType.FLOAT64, 2, 1, 5, 5), 10, true);
        try (var tape = dev.tapegrad.autodiff.GradientTape.record()) {
            Tensor gp = Losses.gradientPenalty(conv::forward, Tensor.randn(r, DType.FLOAT64, 2, 1, 5, 5));
            assertTrue(gp.tracksGradient(), "the penalty must be recorded on the outer tape");
            assertTrue(gp.backward().get(conv.parameters().get(0)) != null, "the first layer's weight gets a gradient");
        }
    }

    @Test
    void gradientPenaltyRejectsCriticsThatDoNotScoreEachImage() {
        Tensor x = Tensor.randn(new Random(2), 3, 4);
        LayerGradientTest.assertMessage(() -> Losses.gradientPenalty(t -> t.sum(), x), "gradientPenalty", "each of the 3 images", "[]");
        LayerGradientTest.assertMessage(() -> Losses.gradientPenalty(t -> t, x), "gradientPenalty", "[3, 4]");
        LayerGradientTest.assertMessage(() -> Losses.gradientPenalty(t -> t.sum(1, false), Tensor.zeros(0, 4)), "gradientPenalty", "B >= 1");
        LayerGradientTest.assertMessage(() -> Losses.gradientPenalty(t -> Tensor.zeros(3), x), "gradientPenalty", "do not depend");
        assertEquals("gradientPenalty: critic is null", org.junit.jupiter.api.Assertions.assertThrows(NullPointerException.class,
                () -> Losses.gradientPenalty(null, x)).getMessage());
        assertEquals("gradientPenalty: xHat is null", org.junit.jupiter.api.Assertions.assertThrows(NullPointerException.class,
                () -> Losses.gradientPenalty(t -> t, null)).getMessage());
    }
}
