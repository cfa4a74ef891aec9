package dev.tapegrad.autodiff;

import static dev.tapegrad.autodiff.BadInputTest.fails;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link AdamUpdate}'s contract beside its values (which optim's {@code FusedAdamTest} compares bit for bit with
 * the tensor-operation composite): inputs unchanged, results not recorded, bad arguments refused by name.
 */
class AdamUpdateTest {

    static final AdamUpdate.Hyperparameters H = new AdamUpdate.Hyperparameters(1e-3, 0.9, 0.999, 1e-8, 0.01, false);

    @Test
    void leavesItsInputsUnchangedAndReturnsPlainTensors() {
        Random r = new Random(5);
        Tensor p = Tensor.randn(r, 5, 3).requiresGrad(), g = Tensor.randn(r, 5, 3), m = Tensor.randn(r, 5, 3), v = Tensor.rand(r, 5, 3);
        Tensor vMax = v.mul(2);
        double[][] before = {p.toDoubleArray(), g.toDoubleArray(), m.toDoubleArray(), v.toDoubleArray(), vMax.toDoubleArray()};
        AdamUpdate u = AdamUpdate.of(H, 3, p, g, m, v, vMax);
        Tensor[] inputs = {p, g, m, v, vMax};
        for (int i = 0; i < inputs.length; i++) assertArrayEquals(before[i], inputs[i].toDoubleArray(), "input " + i);
        for (Tensor t : new Tensor[] {u.value(), u.expAvg(), u.expAvgSq(), u.maxExpAvgSq()}) {
            assertArrayEquals(new int[] {5, 3}, t.shape());
            assertEquals(DType.FLOAT32, t.dtype());
            assertFalse(t.tracksGradient());
        }
        // the running maximum keeps vmax = 2 v where that is larger than the new v
        double[] newV = u.expAvgSq().toDoubleArray(), newMax = u.maxExpAvgSq().toDoubleArray();
        for (int i = 0; i < newV.length; i++) assertEquals((float) Math.max(before[4][i], newV[i]), newMax[i]);
        assertNull(AdamUpdate.of(H, 1, p, g, m, v, null).maxExpAvgSq());
    }

    @Test
    void isRefusedWhileATapeRecordsAndAllowedInsideAPause() {
        Tensor p = Tensor.ones(DType.FLOAT64, 4), z = Tensor.zerosLike(p);
        try (GradientTape tape = GradientTape.record()) {
            fails(IllegalStateException.class, () -> AdamUpdate.of(H, 1, p, p, z, z, null), "AdamUpdate", "records", "[4]", "pause");
            try (GradientTape.Pause pause = GradientTape.pause()) {
                assertEquals(4, AdamUpdate.of(H, 1, p, p, z, z, null).value().numel());
            }
        }
    }

    @Test
    void badArgumentsAreNamed() {
        Tensor p = Tensor.zeros(2, 3), z = Tensor.zeros(2, 3);
        fails(IllegalArgumentException.class, () -> AdamUpdate.of(H, 1, p, Tensor.zeros(3, 2), z, z, null), "AdamUpdate", "g", "[3, 2]", "[2, 3]");
        fails(IllegalArgumentException.class, () -> AdamUpdate.of(H, 1, p, z, Tensor.zeros(DType.FLOAT64, 2, 3), z, null), "expAvg", "FLOAT64", "FLOAT32");
        fails(IllegalArgumentException.class, () -> AdamUpdate.of(H, 1, p, z, z, Tensor.zeros(6), null), "expAvgSq", "[6]");
        fails(IllegalArgumentException.class, () -> AdamUpdate.of(H, 1, p, z, z, z, Tensor.zeros()), "maxExpAvgSq", "[]");
        fails(IllegalArgumentException.class, () -> AdamUpdate.of(H, 0, p, z, z, z, null), "AdamUpdate", "step 0");
        fails(NullPointerException.class, () -> AdamUpdate.of(H, 1, p, null, z, z, null), "AdamUpdate", "g is null");
        fails(NullPointerException.class, () -> AdamUpdate.of(H, 1, null, z, z, z, null), "AdamUpdate", "value p is null");
        fails(NullPointerException.class, () -> AdamUpdate.of(null, 1, p, z, z, z, null), "AdamUpdate", "hyperparameters");
    }

    /** Checked as the optimizers check them (a beta of 1 gave -Infinity and NaN, an lr of NaN NaN). */
    @Test
    void hyperparametersOutOfRangeAreRefused() {
        fails(IllegalArgumentException.class, () -> new AdamUpdate.Hyperparameters(1e-3, 1, 0.999, 1e-8, 0, false), "AdamUpdate: invalid beta1 1.0", "[0, 1)");
        fails(IllegalArgumentException.class, () -> new AdamUpdate.Hyperparameters(Double.NaN, 0.9, 0.999, 1e-8, 0, false), "AdamUpdate: invalid lr NaN");
        fails(IllegalArgumentException.class, () -> new AdamUpdate.Hyperparameters(-1, 0.9, 0.999, 1e-8, 0, false), "AdamUpdate: invalid lr -1.0", "non-negative");
        fails(IllegalArgumentException.class, () -> new AdamUpdate.Hyperparameters(1e-3, 0.9, -0.5, 1e-8, 0, false), "AdamUpdate: invalid beta2 -0.5");
        fails(IllegalArgumentException.class, () -> new AdamUpdate.Hyperparameters(1e-3, 0.9, 0.999, -1e-8, 0, false), "AdamUpdate: invalid eps -1.0E-8");
        fails(IllegalArgumentException.class, () -> new AdamUpdate.Hyperparameters(1e-3, 0.9, 0.999, 1e-8, Double.NaN, true), "AdamUpdate: invalid weight decay NaN");
        assertEquals(0, new AdamUpdate.Hyperparameters(0, 0, 0, 0, 0, true).lr());
    }
}
