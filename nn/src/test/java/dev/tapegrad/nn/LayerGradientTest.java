package dev.tapegrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autodiff.DType;
import dev.tapegrad.autodiff.Tensor;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Every layer's gradients (input and parameters) against finite differences, and its forward formula. */
class LayerGradientTest {

    private static Tensor x(long seed, int... shape) { return Tensor.randn(new Random(seed), DType.FLOAT64, shape); }

    @Property(tries = 25)
    void linear(@ForAll @IntRange(min = 1, max = 4) int n, @ForAll @IntRange(min = 1, max = 5) int in,
                @ForAll @IntRange(min = 1, max = 4) int out, @ForAll boolean bias, @ForAll long seed) {
        ModuleCheck.check(new Linear(in, out, bias, new Random(seed)), x(seed, n, in), seed, true);
    }

    @Property(tries = 15)
    void mlpOfEveryActivation(@ForAll long seed) {
        Random r = new Random(seed);
        Sequential mlp = new Sequential(new Linear(3, 4, r), new Tanh(), new Linear(4, 4, r), new Sigmoid(), new Linear(4, 4, r),
                new GELU(), new Linear(4, 3, r), new Softmax(1));
        ModuleCheck.check(mlp, x(seed, 2, 3), seed, true);
    }

    @Property(tries = 15)
    void batchNorm1dInTrainingAndEvalMode(@ForAll @IntRange(min = 2, max = 4) int n, @ForAll boolean withLength, @ForAll long seed) {
        BatchNorm1d bn = new BatchNorm1d(3);
        bn.to(DType.FLOAT64);
        Random r = new Random(seed);
        bn.weight.assign(Tensor.randn(r, DType.FLOAT64, 3));
        bn.bias.assign(Tensor.randn(r, DType.FLOAT64, 3));
        Tensor input = withLength ? x(seed, n, 3, 2) : x(seed, n, 3);
        ModuleCheck.check(bn, input, seed, true);
        bn.eval();
        ModuleCheck.check(bn, input, seed, true);
    }

    @Property(tries = 15)
    void layerNorm(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll long seed) {
        LayerNorm ln = new LayerNorm(2, 3);
        ln.to(DType.FLOAT64);
        Random r = new Random(seed);
        ln.weight.assign(Tensor.randn(r, DType.FLOAT64, 2, 3));
        ln.bias.assign(Tensor.randn(r, DType.FLOAT64, 2, 3));
        ModuleCheck.check(ln, x(seed, n, 2, 3), seed, true);
    }

    @Property(tries = 15)
    void embedding(@ForAll long seed) {
        Embedding e = new Embedding(5, 3, new Random(seed));
        Tensor idx = Tensor.of(new double[] {0, 4, 4, 2, 1, 0}, 2, 3);
        ModuleCheck.check(e, idx, seed, false);
        assertArrayEquals(new int[] {2, 3, 3}, e.forward(idx).shape());
    }

    @Test
    void batchNormMatchesItsFormulaAndTracksRunningStatistics() {
        BatchNorm1d bn = new BatchNorm1d(2, 1e-5, 0.1);
        Tensor in = Tensor.of(new float[] {1, 10, 3, 20, 5, 30}, 3, 2);
        Tensor y = bn.forward(in);
        // channel 0: mean 3, biased var 8/3; channel 1: mean 20, biased var 200/3
        assertEquals((1 - 3) / Math.sqrt(8 / 3.0 + 1e-5), y.get(0, 0), 1e-5);
        assertEquals((30 - 20) / Math.sqrt(200 / 3.0 + 1e-5), y.get(2, 1), 1e-5);
        assertArrayEquals(new float[] {0.3f, 2f}, bn.runningMean.value().toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {0.9f + 0.1f * 4, 0.9f + 0.1f * 100}, bn.runningVar.value().toFloatArray(), 1e-4f);
        bn.eval();
        assertEquals((1 - 0.3) / Math.sqrt(1.3 + 1e-5), bn.forward(in).get(0, 0), 1e-5);
    }

    @Test
    void dropoutIsSeededScaledAndTheIdentityInEval() {
        Tensor ones = Tensor.ones(100, 100);
        Tensor a = new Dropout(0.3, new Random(7)).forward(ones), b = new Dropout(0.3, new Random(7)).forward(ones);
        assertArrayEquals(a.toFloatArray(), b.toFloatArray());
        double kept = a.gt(0).mean().item();
        assertEquals(0.7, kept, 0.02);
        assertEquals(1 / 0.7, a.max().item(), 1e-6);
        assertEquals(1.0, a.mean().item(), 0.03);
        Dropout d = new Dropout(0.5, new Random(1));
        d.eval();
        assertTrue(d.forward(ones) == ones);
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1, new Random(1)));
    }

    @Test
    void layersRefuseBadInputsNamingThemselves() {
        Random r = new Random(0);
        assertMessage(() -> new Linear(3, 2, r).forward(Tensor.zeros(4, 5)), "Linear", "[4, 5]");
        assertMessage(() -> new BatchNorm1d(3).forward(Tensor.zeros(4, 5)), "BatchNorm1d", "[4, 5]");
        assertMessage(() -> new BatchNorm1d(3).forward(Tensor.zeros(1, 3)), "BatchNorm1d", "more than one value");
        assertMessage(() -> new LayerNorm(3).forward(Tensor.zeros(4, 5)), "LayerNorm", "[4, 5]");
        assertMessage(() -> new Embedding(3, 2, r).forward(Tensor.of(new double[] {3})), "Embedding", "[0, 3)");
        assertMessage(() -> new Linear(0, 2, r), "Linear", "positive");
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable e, String... parts) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        for (String p : parts) assertTrue(ex.getMessage().contains(p), () -> "'" + ex.getMessage() + "' lacks '" + p + "'");
    }
}
