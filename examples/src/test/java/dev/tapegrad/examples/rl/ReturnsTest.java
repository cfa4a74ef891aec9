package dev.tapegrad.examples.rl;

import static dev.tapegrad.examples.rl.RlAssert.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tapegrad.autodiff.DType;
import dev.tapegrad.autodiff.GradCheck;
import dev.tapegrad.autodiff.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Discounted returns, advantages, their normalisation and REINFORCE's loss against hand values; the exploration schedule. */
class ReturnsTest {
    @Test
    void discountedReturnsAndAdvantagesByHand() {
        // G_2 = 1, G_1 = 0 + 0.9 * 1 = 0.9, G_0 = 2 + 0.9 * 0.9 = 2.81
        assertArrayEquals(new double[] {2.81, 0.9, 1}, Returns.discounted(new double[] {2, 0, 1}, 0.9), 1e-15);
        assertArrayEquals(new double[] {3, 2, 1}, Returns.discounted(new double[] {1, 1, 1}, 1), 0);
        assertArrayEquals(new double[] {2.31, 0.4, 0.5}, Returns.advantages(new double[] {2.81, 0.9, 1}, new double[] {0.5, 0.5, 0.5}), 1e-15);
        // mean 2, population std sqrt(2/3) = 0.816496580927726: (x - 2) / (0.816496580927726 + 1e-8)
        assertArrayEquals(new double[] {-1.2247448563915893, 0, 1.2247448563915893}, Returns.normalized(new double[] {1, 2, 3}), 1e-15);
        assertArrayEquals(new double[] {0}, Returns.normalized(new double[] {7}), 0);
        assertMessage(IllegalArgumentException.class, () -> Returns.discounted(new double[1], 1.5), "gamma 1.5");
        assertMessage(IllegalArgumentException.class, () -> Returns.advantages(new double[2], new double[3]), "2 returns but 3 values");
        assertMessage(IllegalArgumentException.class, () -> Returns.normalized(new double[0]), "no values");
    }

    @Test
    void policyLossByHandAndGradientChecked() {
        // logits (0, ln 3): pi = (1/4, 3/4). Step 0 took action 1 with advantage 2, step 1 action 0 with advantage -1:
        // -mean(2 ln(3/4), -ln(1/4)) = -(2 * -0.2876821 + 1.3862944) / 2 = -0.4054651
        // entropy per step -(1/4 ln 1/4 + 3/4 ln 3/4) = 0.5623351; with coefficient 0.1 the loss drops by 0.0562335
        Tensor logits = Tensor.of(new double[] {0, Math.log(3), 0, Math.log(3)}, 2, 2), adv = Tensor.of(new double[] {2, -1});
        double pg = -(2 * Math.log(0.75) - Math.log(0.25)) / 2, h = -(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75));
        assertEquals(-0.4054651081081644, pg, 1e-15);
        assertEquals(pg, Reinforce.policyLoss(logits, new int[] {1, 0}, adv, 0).item(), 1e-15);
        assertEquals(pg - 0.1 * h, Reinforce.policyLoss(logits, new int[] {1, 0}, adv, 0.1).item(), 1e-15);
        Tensor x = Tensor.randn(new Random(2), DType.FLOAT64, 5, 3);
        GradCheck.first("policyLoss", t -> Reinforce.policyLoss(t[0], new int[] {0, 2, 1, 1, 0}, t[1], 0.05), 3, x, Tensor.randn(new Random(3), DType.FLOAT64, 5))
                .assertPassed();
        assertMessage(IllegalArgumentException.class, () -> Reinforce.policyLoss(logits, new int[] {1}, adv, 0), "policyLoss", "1 actions", "2 advantages");
    }

    @Test
    void epsilonDecaysLinearlyThenStays() {
        EpsilonSchedule e = new EpsilonSchedule(1, 0.1, 100);
        assertEquals(1, e.value(0));
        assertEquals(0.55, e.value(50), 1e-15);
        assertEquals(0.1, e.value(100), 1e-15);
        assertEquals(0.1, e.value(10_000), 1e-15);
        assertEquals(0.3, new EpsilonSchedule(1, 0.3, 0).value(0));
        assertMessage(IllegalArgumentException.class, () -> new EpsilonSchedule(1.2, 0, 5), "EpsilonSchedule", "start 1.2");
        assertMessage(IllegalArgumentException.class, () -> new EpsilonSchedule(1, 0, -5), "steps -5");
    }

    @Test
    void samplingFollowsTheProbabilities() {
        Random r = new Random(8);
        int[] counts = new int[3];
        for (int i = 0; i < 30_000; i++) counts[Reinforce.sample(new double[] {0.2, 0.5, 0.3}, r)]++;
        assertEquals(0.2, counts[0] / 30_000.0, 0.01);
        assertEquals(0.5, counts[1] / 30_000.0, 0.01);
        assertEquals(0.3, counts[2] / 30_000.0, 0.01);
    }
}
