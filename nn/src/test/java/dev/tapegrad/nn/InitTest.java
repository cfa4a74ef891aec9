package dev.tapegrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autodiff.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Initialisers have PyTorch's bounds and standard deviations, and the same seed gives the same values. */
class InitTest {

    private static double std(Tensor t) { return Math.sqrt(t.var().item()); }

    @Test
    void fansFollowPyTorch() {
        assertArrayEquals(new int[] {30, 20}, Init.fans(20, 30));
        assertArrayEquals(new int[] {3 * 25, 16 * 25}, Init.fans(16, 3, 5, 5));
    }

    @Test
    void boundsAndStandardDeviations() {
        Random r = new Random(1);
        Tensor xu = Init.xavierUniform(r, 200, 300);
        double a = Math.sqrt(6.0 / 500);
        assertTrue(xu.max().item() <= a && xu.min().item() >= -a && xu.max().item() > 0.99 * a);
        assertEquals(Math.sqrt(2.0 / 500), std(Init.xavierNormal(r, 200, 300)), 0.002);
        Tensor ku = Init.kaimingUniform(r, 200, 300);
        double b = Math.sqrt(2) * Math.sqrt(3.0 / 300);
        assertTrue(ku.max().item() <= b && ku.min().item() >= -b && ku.max().item() > 0.99 * b);
        assertEquals(Math.sqrt(2.0 / 300), std(Init.kaimingNormal(r, 200, 300)), 0.002);
        assertEquals(5.0 / 3 / Math.sqrt(200), std(Init.kaimingNormal(r, Init.Mode.FAN_OUT, Init.Nonlinearity.TANH, 0, 200, 300)), 0.003);
        assertEquals(Math.sqrt(2 / (1 + 0.04)), Init.gain(Init.Nonlinearity.LEAKY_RELU, 0.2), 1e-15);
        Tensor w = new Linear(100, 50, r).weight.value();
        assertTrue(w.abs().max().item() <= 0.1 && w.abs().max().item() > 0.098);
    }

    @Test
    void sameSeedSameValues() {
        assertArrayEquals(Init.kaimingUniform(new Random(3), 4, 5).toFloatArray(), Init.kaimingUniform(new Random(3), 4, 5).toFloatArray());
    }

    @Test
    void tooFewDimensionsAreRefused() {
        LayerGradientTest.assertMessage(() -> Init.xavierUniform(new Random(1), 5), "Init", "[5]");
    }
}
