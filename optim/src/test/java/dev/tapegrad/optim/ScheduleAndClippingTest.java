package dev.tapegrad.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autodiff.DType;
import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Gradients;
import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Learning-rate schedules against PyTorch's closed forms; clipping against its definition. */
class ScheduleAndClippingTest {

    @Test
    void schedulesFollowTheirClosedForms() {
        assertEquals(1.0 * 0.5 * 0.5, LrSchedule.step(3, 0.5).lr(7, 1.0), 1e-15);
        assertEquals(0.1 * Math.pow(0.9, 4), LrSchedule.exponential(0.9).lr(4, 0.1), 1e-15);
        assertEquals(0.01 + (0.1 - 0.01) * (1 + Math.cos(Math.PI * 3 / 10)) / 2, LrSchedule.cosine(10, 0.01).lr(3, 0.1), 1e-15);
        assertEquals(0.01, LrSchedule.cosine(10, 0.01).lr(10, 0.1), 1e-15);
        LrSchedule warm = LrSchedule.linearWarmup(4, LrSchedule.exponential(0.5));
        assertArrayEquals(new double[] {0.25, 0.5, 0.75, 1, 1, 0.5, 0.25},
                java.util.stream.LongStream.range(0, 7).mapToDouble(t -> warm.lr(t, 1)).toArray(), 1e-15);
        SGD opt = new SGD(List.of(new Parameter(Tensor.zeros(1))), 1);
        LrSchedule.step(1, 0.1).applyTo(opt, 2, 1);
        assertEquals(0.01, opt.lr(), 1e-15);
    }

    @Test
    void schedulesRefuseBadArgumentsUpFront() {
        // were accepted, each failing epochs later in fit as "Adam: invalid lr -0.01" (or training on NaN)
        refuses(() -> LrSchedule.step(10, -1), "LrSchedule.step: gamma -1.0 must be finite and >= 0");
        assertEquals(0.1, LrSchedule.step(10, 0).lr(9, 0.1), 0);   // PyTorch accepts gamma 0
        assertEquals(0, LrSchedule.exponential(0).lr(1, 0.1), 0);
        refuses(() -> LrSchedule.step(10, Double.NaN), "LrSchedule.step: gamma NaN");
        refuses(() -> LrSchedule.exponential(-1), "LrSchedule.exponential: gamma -1.0");
        refuses(() -> LrSchedule.exponential(Double.POSITIVE_INFINITY), "LrSchedule.exponential: gamma Infinity");
        refuses(() -> LrSchedule.cosine(10, -1), "LrSchedule.cosine: etaMin -1.0 must be finite and >= 0");
        for (LrSchedule s : List.of(LrSchedule.step(2, 0.5), LrSchedule.exponential(0.9), LrSchedule.cosine(10, 0), LrSchedule.constant())) {
            refuses(() -> s.lr(-1, 0.1), "LrSchedule.", "epoch -1 is negative");
            refuses(() -> s.lr(0, Double.NaN), "LrSchedule.", "base rate NaN");
        }
        refuses(() -> LrSchedule.linearWarmup(3, LrSchedule.constant()).lr(-2, 1), "LrSchedule.linearWarmup: epoch -2 is negative");   // was -1 / 3
        SGD opt = new SGD(List.of(new Parameter(Tensor.zeros(1))), 1);
        refuses(() -> new ReduceLrOnPlateau(opt, 0.5, 2, 1e-4, 0, -1), "ReduceLrOnPlateau: minLr -1.0 must be finite and >= 0");   // was: lr -1 at the first reduction
        assertEquals("LrSchedule.applyTo: optimizer is null",
                org.junit.jupiter.api.Assertions.assertThrows(NullPointerException.class, () -> LrSchedule.constant().applyTo(null, 0, 1)).getMessage());
    }

    static void refuses(org.junit.jupiter.api.function.Executable e, String... mustMention) {
        IllegalArgumentException ex = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, e);
        for (String m : mustMention) assertTrue(ex.getMessage().contains(m), () -> "'" + ex.getMessage() + "' lacks '" + m + "'");
    }

    @Test
    void reduceOnPlateauWaitsForPatienceThenCoolsDown() {
        SGD opt = new SGD(List.of(new Parameter(Tensor.zeros(1))), 1);
        ReduceLrOnPlateau r = new ReduceLrOnPlateau(opt, 0.5, 2, 1e-4, 1, 0.1);
        double[] metrics = {1, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9};
        double[] lrs = new double[metrics.length];
        for (int i = 0; i < metrics.length; i++) {
            r.step(metrics[i]);
            lrs[i] = opt.lr();
        }
        // improvements at 0 and 1; bad epochs 2, 3, 4 -> reduce at 4; cooldown 1 epoch (5), then bad 6, 7, 8 -> reduce at 8
        assertArrayEquals(new double[] {1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25}, lrs, 1e-15);
        for (int i = 0; i < 20; i++) r.step(0.9);
        assertEquals(0.1, opt.lr(), 1e-15);
        assertFalse(r.step(0.9));
    }

    @Test
    void reduceOnPlateauRefusesABadThresholdAndABadState() {
        SGD opt = new SGD(List.of(new Parameter(Tensor.zeros(1))), 1);
        refuses(() -> new ReduceLrOnPlateau(opt, 0.5, 2, -0.1, 0, 0), "ReduceLrOnPlateau: threshold -0.1 must be in [0, 1)");
        refuses(() -> new ReduceLrOnPlateau(opt, 0.5, 2, Double.NaN, 0, 0), "threshold NaN");
        ReduceLrOnPlateau r = new ReduceLrOnPlateau(opt, 0.5, 2, 1e-4, 1, 0.1);
        r.step(1);
        r.step(2);
        Map<String, Tensor> good = r.stateDict();
        for (Object[] bad : new Object[][] {{"bad_epochs", 2.5}, {"bad_epochs", -1.0}, {"cooldown_left", Double.NaN}, {"best", Double.NaN}}) {
            Map<String, Tensor> s = new java.util.HashMap<>(good);
            s.put((String) bad[0], Tensor.scalar((Double) bad[1]));
            refuses(() -> r.loadStateDict(s), "ReduceLrOnPlateau.loadStateDict: '" + bad[0] + "' is " + bad[1]);   // were cast: 2.5 -> 2, NaN -> 0
        }
        Map<String, Tensor> extra = new java.util.HashMap<>(good);
        extra.put("patience", Tensor.scalar(3.0));
        refuses(() -> r.loadStateDict(extra), "unexpected keys");
        r.loadStateDict(good);
        assertEquals(good.get("bad_epochs").item(), r.stateDict().get("bad_epochs").item(), 0);
        assertEquals(1.0, r.stateDict().get("bad_epochs").item(), 0);
    }

    @Test
    void clippingByNormAndByValue() {
        Parameter a = new Parameter(Tensor.of(new double[] {3, 0})), b = new Parameter(Tensor.of(new double[] {4}));
        Gradients g;
        try (GradientTape tape = GradientTape.record()) {
            g = a.value().square().sum().add(b.value().square().sum()).mul(0.5).backward();   // grads = values: norm 5
        }
        assertEquals(5, g.globalNorm(), 1e-15);
        Gradients clipped = Clipping.byGlobalNorm(g, 1);
        assertArrayEquals(new double[] {3 / (5 + 1e-6), 0}, clipped.get(a).toDoubleArray(), 1e-15);
        assertEquals(1, clipped.globalNorm(), 1e-6);
        assertSame(g, Clipping.byGlobalNorm(g, 10));
        assertArrayEquals(new double[] {2, 0}, Clipping.byValue(g, 2).get(a).toDoubleArray(), 0);
        assertTrue(Clipping.byValue(g, 2).get(b).item() == 2);
        for (var e : java.util.Map.<String, org.junit.jupiter.api.function.Executable>of("Clipping.byGlobalNorm: grads is null", () -> Clipping.byGlobalNorm(null, 1),
                "Clipping.byValue: grads is null", () -> Clipping.byValue(null, 1)).entrySet())
            assertEquals(e.getKey(), org.junit.jupiter.api.Assertions.assertThrows(NullPointerException.class, e.getValue()).getMessage());
    }

    /**
     * The global norm of large gradients (whole blocks of the vector sums and a remainder, and one shorter than a block)
     * against the sum of squares in double: within float resolution for FLOAT32, to rounding for FLOAT64.
     */
    @Test
    void globalNormOfLargeGradientsMatchesTheSumOfSquares() {
        for (DType t : DType.values()) {
            java.util.Random r = new java.util.Random(3);
            Parameter a = new Parameter(Tensor.randn(r, t, 5000).mul(3)), b = new Parameter(Tensor.randn(r, t, 37, 3));
            Gradients g;
            try (GradientTape tape = GradientTape.record()) {
                g = a.value().square().sum().add(b.value().square().sum()).mul(0.5).backward();   // grads = values
            }
            double want = 0;
            for (Parameter p : List.of(a, b)) for (double v : p.value().toDoubleArray()) want += v * v;
            want = Math.sqrt(want);
            assertEquals(want, g.globalNorm(), want * (t == DType.FLOAT32 ? 1e-6 : 1e-14), t.toString());
        }
    }

    /**
     * The global norm adds its per-tensor sums in ascending order, so ten gradients of 1e-8 count beside one of 1
     * whatever order the identity-keyed gradients come in (found by nn's fuzz suite: two runs of one seed differed;
     * from the 1 up, each 1e-16 is lost).
     */
    @Test
    void globalNormDoesNotDependOnTheOrderOfTheGradients() {
        double small = 1e-8 * 1e-8, ascending = 0;
        for (int i = 0; i < 10; i++) ascending += small;
        double expected = Math.sqrt(ascending + 1);
        assertTrue(expected > 1);
        for (int run = 0; run < 20; run++) {
            List<Parameter> ps = new java.util.ArrayList<>();
            for (int i = 0; i < 11; i++) ps.add(new Parameter(Tensor.zeros(DType.FLOAT64, 1)));
            Gradients g;
            try (GradientTape tape = GradientTape.record()) {
                Tensor loss = ps.get(0).value().sum();
                for (Parameter p : ps.subList(1, 11)) loss = loss.add(p.value().mul(1e-8).sum());
                g = loss.backward();
            }
            assertEquals(expected, g.globalNorm(), 0);
        }
    }
}
