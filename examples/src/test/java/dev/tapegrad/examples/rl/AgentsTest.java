package dev.tapegrad.examples.rl;

import static dev.tapegrad.examples.rl.RlAssert.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.Sequential;
import dev.tapegrad.nn.io.Checkpoints;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay buffer, the DQN targets and options, reproducible training, and the saved policy. */
class AgentsTest {
    @TempDir
    Path dir;

    static Dqn.Options dqnOptions(boolean doubleDqn, double tau) {
        return new Dqn.Options(new int[] {16}, 0.99, 1e-3, 8, 500, 32, 1, 10, tau, new EpsilonSchedule(1, 0.05, 300), doubleDqn, 1, 10);
    }

    static Reinforce.Options reinforceOptions() { return new Reinforce.Options(new int[] {16}, 0.99, 1e-2, 1e-2, 0.01, 2, true); }

    @Test
    void replayBufferKeepsTheNewestTransitionsAndSamplesReproducibly() {
        ReplayBuffer b = new ReplayBuffer(3, 2);
        for (int i = 0; i < 5; i++) b.add(new double[] {i, -i}, i % 2, 10 * i, new double[] {i + 1, 0}, i == 4);
        assertEquals(3, b.size());
        assertEquals(3, b.capacity());
        ReplayBuffer.Batch x = b.sample(200, new Random(6)), y = b.sample(200, new Random(6));
        assertArrayEquals(x.states().toFloatArray(), y.states().toFloatArray());
        assertArrayEquals(x.actions(), y.actions());
        float[] s = x.states().toFloatArray(), r = x.rewards().toFloatArray(), n = x.nextStates().toFloatArray(), d = x.notDone().toFloatArray();
        Set<Float> firsts = new java.util.HashSet<>();
        for (int i = 0; i < 200; i++) {
            int k = (int) s[2 * i];                                  // transition k: state (k, -k), reward 10k, next (k + 1, 0)
            firsts.add(s[2 * i]);
            assertTrue(k >= 2, "transition " + k + " was overwritten");
            assertEquals(-k, s[2 * i + 1]);
            assertEquals(10 * k, r[i]);
            assertEquals(k % 2, x.actions()[i]);
            assertEquals(k + 1, n[2 * i]);
            assertEquals(k == 4 ? 0 : 1, d[i]);
        }
        assertEquals(Set.of(2f, 3f, 4f), firsts);
        assertArrayEquals(new int[] {200, 2}, x.states().shape());
        assertMessage(IllegalStateException.class, () -> new ReplayBuffer(2, 2).sample(1, new Random()), "ReplayBuffer.sample", "empty");
        assertMessage(IllegalArgumentException.class, () -> b.sample(0, new Random()), "batch size 0");
        assertMessage(IllegalArgumentException.class, () -> b.add(new double[3], 0, 0, new double[2], false), "ReplayBuffer.add", "length 3", "expected 2");
        assertMessage(IllegalArgumentException.class, () -> new ReplayBuffer(0, 2), "capacity 0");
    }

    @Test
    void dqnTargetsByHand() {
        Tensor r = Tensor.of(new double[] {1, 0.5}), notDone = Tensor.of(new double[] {1, 0});
        Tensor nextTarget = Tensor.of(new double[] {1, 3, 2, 4}, 2, 2), nextOnline = Tensor.of(new double[] {5, 0, 0, 5}, 2, 2);
        // DQN: y = r + 0.9 notDone max_a Q'(s', a) = (1 + 0.9 * 3, 0.5)
        assertArrayEquals(new double[] {3.7, 0.5}, Dqn.targets(r, notDone, nextTarget, null, 0.9).toDoubleArray(), 1e-15);
        // double DQN: a* = argmax_a Q(s', a) = (0, 1), so y = (1 + 0.9 * Q'(s'_0, 0), 0.5) = (1.9, 0.5)
        Tensor y = Dqn.targets(r, notDone, nextTarget, nextOnline, 0.9);
        assertArrayEquals(new double[] {1.9, 0.5}, y.toDoubleArray(), 1e-15);
        assertFalse(y.tracksGradient());
        assertMessage(IllegalArgumentException.class, () -> Dqn.targets(r, notDone, Tensor.zeros(3, 2), null, 0.9), "Dqn.targets", "[3, 2]");
        assertMessage(IllegalArgumentException.class, () -> Dqn.targets(r, notDone, nextTarget, Tensor.zeros(2, 3), 0.9), "Dqn.targets", "[2, 3]");
    }

    @Test
    void sameSeedSameEpisodesDifferentSeedOtherEpisodes() {
        List<Supplier<Agent>> agents = List.of(() -> new Reinforce(4, 2, reinforceOptions(), new Random(1)),
                () -> new Dqn(4, 2, dqnOptions(true, 0.05), new Random(1)), () -> new Dqn(4, 2, dqnOptions(false, 1), new Random(1)));
        for (Supplier<Agent> a : agents) {
            double[] first = episodes(a.get(), 7), again = episodes(a.get(), 7), other = episodes(a.get(), 8);
            assertArrayEquals(first, again);
            assertFalse(java.util.Arrays.equals(first, other));
        }
    }

    static double[] episodes(Agent agent, long seed) {
        CartPole env = new CartPole(200);
        Random r = new Random(seed);
        double[] out = new double[25];
        for (int i = 0; i < out.length; i++) out[i] = agent.trainEpisode(env, r);
        return out;
    }

    @Test
    void targetNetworkStartsAsACopyAndMovesByTau() {
        for (double tau : new double[] {1, 0.25}) {
            Dqn dqn = new Dqn(4, 2, dqnOptions(true, tau), new Random(2));
            List<dev.tapegrad.autodiff.Parameter> online = dqn.online().parameters(), target = dqn.target().parameters();
            for (int i = 0; i < online.size(); i++) assertArrayEquals(online.get(i).value().toFloatArray(), target.get(i).value().toFloatArray());
            float[][] before = target.stream().map(p -> p.value().toFloatArray()).toArray(float[][]::new);
            for (dev.tapegrad.autodiff.Parameter p : online) p.assign(p.value().add(1).detach());
            dqn.updateTarget();
            for (int i = 0; i < online.size(); i++) {
                float[] now = target.get(i).value().toFloatArray();
                for (int j = 0; j < now.length; j++) assertEquals(before[i][j] + tau, now[j], 1e-6, "tau " + tau);
            }
        }
        Dqn dqn = new Dqn(4, 2, dqnOptions(false, 1), new Random(2));
        CartPole env = new CartPole(200);
        Random r = new Random(3);
        while (dqn.steps() < 40) dqn.trainEpisode(env, r);
        double loss = dqn.trainStep(r);
        assertTrue(loss >= 0 && Double.isFinite(loss), "loss " + loss);
    }

    @Test
    void savedPolicyLoadsBackWithPyTorchNamesAndGivesTheSameOutputs() {
        Reinforce agent = new Reinforce(4, 2, reinforceOptions(), new Random(4));
        CartPole env = new CartPole(200);
        Random r = new Random(5);
        for (int i = 0; i < 4; i++) agent.trainEpisode(env, r);
        Path file = dir.resolve("policy.safetensors");
        Checkpoints.saveModel(file, agent.policy());
        Sequential fresh = Networks.mlp(new Random(99), 4, 16, 2);
        Tensor x = Tensor.randn(new Random(6), 10, 4);
        assertFalse(java.util.Arrays.equals(agent.policy().forward(x).toFloatArray(), fresh.forward(x).toFloatArray()));
        Checkpoints.loadModel(file, fresh);
        assertArrayEquals(agent.policy().forward(x).toFloatArray(), fresh.forward(x).toFloatArray());
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(fresh.stateDict().keySet()));
        assertMessage(IllegalArgumentException.class, () -> Checkpoints.loadModel(file, Networks.mlp(new Random(1), 4, 8, 2)), "shape mismatch for '0.weight'");
    }

    @Test
    void badOptionsAreNamed() {
        assertMessage(IllegalArgumentException.class, () -> new Dqn.Options(new int[] {16}, 0.99, 1e-3, 64, 32, 0, 1, 1, 1, new EpsilonSchedule(1, 0, 1), true, 1, 10),
                "Dqn", "batch size 64", "capacity 32");
        assertMessage(IllegalArgumentException.class, () -> new Dqn.Options(new int[] {16}, 0.99, 1e-3, 8, 32, 0, 1, 1, 0, new EpsilonSchedule(1, 0, 1), true, 1, 10),
                "Dqn", "tau 0.0");
        assertMessage(IllegalArgumentException.class, () -> new Dqn.Options(new int[0], 0.99, 1e-3, 8, 32, 0, 1, 1, 1, new EpsilonSchedule(1, 0, 1), true, 1, 10),
                "Dqn", "hidden sizes []");
        assertMessage(IllegalArgumentException.class, () -> new Reinforce.Options(new int[] {8}, 1.1, 1e-3, 1e-3, 0, 1, true), "Reinforce", "gamma 1.1");
        assertMessage(IllegalArgumentException.class, () -> new Reinforce.Options(new int[] {8}, 0.9, 1e-3, 1e-3, -1, 1, true), "Reinforce", "entropy coefficient -1.0");
        assertMessage(IllegalArgumentException.class, () -> new Reinforce.Options(new int[] {8}, 0.9, 1e-3, 1e-3, 0, 0, true), "Reinforce", "episodes per update 0");
        assertMessage(IllegalArgumentException.class, () -> Networks.mlp(new Random(), 4), "Networks.mlp", "1 sizes");
        Reinforce agent = new Reinforce(4, 2, reinforceOptions(), new Random(4));
        assertMessage(IllegalArgumentException.class, () -> agent.trainEpisode(new GridWorld(GridWorld.RUSSELL_NORVIG, 0, GridWorld.Rewards.RUSSELL_NORVIG, 10, false),
                new Random()), "Linear", "[1, 11]");
    }
}
