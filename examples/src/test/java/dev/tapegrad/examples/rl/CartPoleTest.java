package dev.tapegrad.examples.rl;

import static dev.tapegrad.examples.rl.RlAssert.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** CartPole against a hand-computed step, against gymnasium's CartPole-v1 step for step, and its episode rules. */
class CartPoleTest {
    static double[] doubles(JsonNode a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) v[i] = a.get(i).asDouble();
        return v;
    }

    @Test
    void oneStepMatchesTheEquationsWorkedByHand() {
        // From (x, xDot, theta, thetaDot) = (0.1, -0.2, 0.05, 0.3), pushing left (F = -10):
        //   sin 0.05 = 0.0499791692707, cos 0.05 = 0.998750260395
        //   temp     = (-10 + 0.05 * 0.3^2 * 0.0499791692707) / 1.1                  = -9.0907046306712
        //   thetaAcc = (9.8 * 0.0499791692707 - 0.998750260395 * temp)
        //              / (0.5 * (4/3 - 0.1 * 0.998750260395^2 / 1.1))               = 15.401165680308
        //   xAcc     = temp - 0.05 * thetaAcc * 0.998750260395 / 1.1                  = -9.7898827321981
        //   Euler: x = 0.1 + 0.02 * -0.2, xDot = -0.2 + 0.02 xAcc, theta = 0.05 + 0.02 * 0.3, thetaDot = 0.3 + 0.02 thetaAcc
        CartPole env = new CartPole(500);
        env.reset(new double[] {0.1, -0.2, 0.05, 0.3});
        Environment.Step s = env.step(0);
        assertArrayEquals(new double[] {0.096, -0.3957976546439626, 0.056, 0.6080233136061515}, env.state(), 1e-13);
        assertArrayEquals(new double[] {(float) 0.096, (float) -0.3957976546439626, (float) 0.056, (float) 0.6080233136061515}, s.observation(), 0);
        assertEquals(1, s.reward());
        assertFalse(s.terminated() || s.truncated());
    }

    @Test
    void matchesGymnasiumStepForStep() throws Exception {
        JsonNode fixture;
        try (InputStream in = CartPoleTest.class.getResourceAsStream("/rl/cartpole-gymnasium.json")) {
            fixture = new ObjectMapper().readTree(in);
        }
        assertEquals(4, fixture.size());
        for (Map.Entry<String, JsonNode> e : fixture.properties()) {
            JsonNode t = e.getValue();
            CartPole env = new CartPole(500);
            env.reset(doubles(t.get("start")));
            for (int i = 0; i < t.get("actions").size(); i++) {
                String at = e.getKey() + " step " + (i + 1);
                Environment.Step s = env.step(t.get("actions").get(i).asInt());
                assertArrayEquals(doubles(t.get("states").get(i)), env.state(), 1e-12, at);
                assertArrayEquals(doubles(t.get("observations").get(i)), s.observation(), 0, at);
                assertEquals(t.get("rewards").get(i).asDouble(), s.reward(), at);
                assertEquals(t.get("terminated").get(i).asBoolean(), s.terminated(), at);
                assertEquals(t.get("truncated").get(i).asBoolean(), s.truncated(), at);
            }
        }
    }

    @Test
    void terminatesBeyondTheTrackOrTwelveDegreesAndTruncatesAtTheLimit() {
        CartPole env = new CartPole(500);
        double limit = 12 * 2 * Math.PI / 360;
        // x moves by tau xDot = 0.02 first: 2.39 + 0.02 = 2.41 leaves the track, 2.37 + 0.02 = 2.39 does not
        env.reset(new double[] {2.39, 1, 0, 0});
        assertTrue(env.step(1).terminated());
        env.reset(new double[] {-2.37, -1, 0, 0});
        assertFalse(env.step(0).terminated());
        env.reset(new double[] {0, 0, limit - 0.01, 1});           // theta += 0.02
        assertTrue(env.step(1).terminated());
        env.reset(new double[] {0, 0, -limit + 0.03, -1});
        assertFalse(env.step(0).terminated());
        CartPole v0 = new CartPole(3);
        v0.reset(new double[] {0, 0, 0, 0});
        assertFalse(v0.step(0).done());
        assertFalse(v0.step(1).done());
        Environment.Step last = v0.step(0);
        assertTrue(last.truncated() && !last.terminated() && last.done());
        assertEquals(3, v0.maxSteps());
    }

    @Test
    void startsUniformlyNearUprightAndReproducibly() {
        CartPole env = new CartPole(500);
        double[] a = env.reset(new Random(5)), b = new CartPole(500).reset(new Random(5));
        assertArrayEquals(a, b, 0);
        Random r = new Random(9);
        double lo = 1, hi = -1;
        for (int i = 0; i < 2000; i++)
            for (double v : env.reset(r)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        assertTrue(lo >= -0.05 && lo < -0.049 && hi <= 0.05 && hi > 0.049, lo + " " + hi);
        assertEquals(4, env.observationSize());
        assertEquals(2, env.actionCount());
    }

    @Test
    void misuseIsReportedClearly() {
        CartPole env = new CartPole(500);
        assertMessage(IllegalStateException.class, () -> env.step(0), "CartPole.step", "never started", "reset");
        env.reset(new double[] {0, 0, 0.2, 5});
        assertMessage(IllegalArgumentException.class, () -> env.step(2), "CartPole.step", "action 2", "[0, 2)");
        assertTrue(env.step(1).terminated());
        assertMessage(IllegalStateException.class, () -> env.step(1), "CartPole.step", "ended after 1 steps", "reset");
        assertMessage(IllegalArgumentException.class, () -> env.reset(new double[3]), "CartPole.reset", "4 finite values");
        assertMessage(IllegalArgumentException.class, () -> env.reset(new double[] {0, Double.NaN, 0, 0}), "CartPole.reset", "NaN");
        assertMessage(IllegalArgumentException.class, () -> new CartPole(0), "CartPole", "maxSteps 0");
    }
}
