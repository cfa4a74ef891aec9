package dev.tapegrad.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.BatchNorm1d;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.Module;
import dev.tapegrad.nn.Sequential;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The weight average against its formula, step by step, with batch norm's buffers; and its misuse. */
class ExponentialMovingAverageTest {
    private static Module net(long seed) { return new Sequential(new Linear(3, 4, new Random(seed)), new BatchNorm1d(4)); }

    /** Moves every parameter of {@code m} by a random step and runs one training-mode forward pass (which moves the buffers). */
    private static void perturb(Module m, Random r) {
        try (GradientTape.Pause p = GradientTape.pause()) {
            m.parameters().forEach(q -> q.assign(q.value().add(Tensor.randn(r, q.shape()).to(q.dtype())).detach()));
        }
        m.train().forward(Tensor.randn(r, 8, 3).to(m.parameters().get(0).dtype()));
    }

    @Test
    void firstUpdateCopiesThenEachUpdateBlendsByTheDecay() {
        Module model = net(1), average = net(2);
        ExponentialMovingAverage ema = new ExponentialMovingAverage(model, average, 0.75, false);
        Random r = new Random(3);
        perturb(model, r);
        ema.update();
        Map<String, Tensor> want = model.stateDict();
        average.stateDict().forEach((k, v) -> assertArrayEquals(want.get(k).toDoubleArray(), v.toDoubleArray(), "copied " + k));
        for (int step = 2; step <= 4; step++) {
            Map<String, Tensor> before = average.stateDict();
            perturb(model, r);
            ema.update();
            Map<String, Tensor> now = model.stateDict(), after = average.stateDict();
            for (String k : now.keySet()) {
                double[] a = before.get(k).toDoubleArray(), m = now.get(k).toDoubleArray(), got = after.get(k).toDoubleArray();
                for (int i = 0; i < got.length; i++) {
                    double expected = k.endsWith("num_batches_tracked") ? m[i] : 0.75 * a[i] + 0.25 * m[i];
                    assertEquals(expected, got[i], 1e-6 * (1 + Math.abs(expected)), k + "[" + i + "] after update " + step);
                }
            }
        }
        assertEquals(4, ema.updates());
        assertEquals(4.0, average.stateDict().get("1.num_batches_tracked").item(), "the counter is the model's, not averaged");
        assertTrue(!average.isTraining(), "the average is in eval mode");
    }

    @Test
    void warmupRampsTheDecayAsTensorFlowsNumUpdates() {
        Module model = net(1), average = net(2);
        ExponentialMovingAverage ema = new ExponentialMovingAverage(model, average, 0.9, true);
        Random r = new Random(4);
        perturb(model, r);
        ema.update();
        for (int t = 2; t <= 200; t++) {
            double want = Math.min(0.9, (1.0 + t) / (10.0 + t));
            assertEquals(want, ema.currentDecay(), 1e-15, "decay of update " + t);
            double before = average.stateDict().get("0.bias").toDoubleArray()[0];
            perturb(model, r);
            ema.update();
            double m = model.stateDict().get("0.bias").toDoubleArray()[0], got = average.stateDict().get("0.bias").toDoubleArray()[0];
            assertEquals(want * before + (1 - want) * m, got, 1e-5 * (1 + Math.abs(got)), "update " + t);
        }
        assertEquals(0.9, ema.currentDecay(), "the ramp ends at the decay");
    }

    @Test
    void refusesAMismatchedCopyABadDecayAndAnUpdateWhileRecording() {
        Module model = net(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ExponentialMovingAverage(model, new Sequential(new Linear(3, 5, new Random(1)), new BatchNorm1d(5)), 0.9, false));
        assertTrue(e.getMessage().contains("ExponentialMovingAverage") && e.getMessage().contains("[4, 3]") && e.getMessage().contains("[5, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ExponentialMovingAverage(model, new Linear(3, 4, new Random(1)), 0.9, false));
        assertTrue(e.getMessage().contains("differs"), e.getMessage());
        for (double bad : new double[] {-0.1, 1, Double.NaN})
            assertThrows(IllegalArgumentException.class, () -> new ExponentialMovingAverage(model, net(2), bad, false), "decay " + bad);
        assertThrows(IllegalArgumentException.class, () -> new ExponentialMovingAverage(model, model, 0.9, false));
        ExponentialMovingAverage ema = new ExponentialMovingAverage(model, net(2), 0.9, false);
        try (GradientTape t = GradientTape.record()) {
            IllegalStateException s = assertThrows(IllegalStateException.class, ema::update);
            assertTrue(s.getMessage().contains("ExponentialMovingAverage.update"), s.getMessage());
        }
    }
}
