package dev.tapegrad.examples.rl;

import static dev.tapegrad.examples.ExamplesSmokeTest.run;
import static dev.tapegrad.examples.rl.RlAssert.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.nn.Sequential;
import dev.tapegrad.nn.io.Checkpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The reinforcement-learning examples on short runs: they learn, write their RESULT line, plot and policy. */
class RlSmokeTest {
    @TempDir
    Path out;

    static double value(String text, String key) {
        Matcher m = Pattern.compile(key + "=([^ \\n]+)").matcher(text);
        assertTrue(m.find(), key + " missing in " + text);
        return Double.parseDouble(m.group(1));
    }

    /** Runs a CartPole example for {@code episodes} episodes on v0 and checks its outputs and saved policy. */
    void cartPole(CartPoleExample example, String name, String episodes, String... extra) {
        String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("--max-steps", "200", "--max-episodes", episodes, "--validate-every", "10",
                "--validation-episodes", "3", "--eval-episodes", "5", "--out", out.toString()), java.util.Arrays.stream(extra)).toArray(String[]::new);
        String text = run(example, args);
        assertTrue(text.contains("RESULT " + name + " solved="), text);
        double eval = value(text, "eval_mean_return");
        assertTrue(value(text, "episodes") <= Integer.parseInt(episodes) && eval >= 1 && eval <= 200 && value(text, "train_seconds") >= 0, text);
        assertTrue(text.contains("env=CartPole-v0 threshold=195"), text);
        assertTrue(Files.exists(out.resolve("returns.png")), "returns.png");
        Sequential net = Networks.mlp(new Random(0), 4, 64, 64, 2);
        Checkpoints.loadModel(out.resolve("policy.safetensors"), net);
    }

    @Test
    void reinforceLearnsOnAShortRun() {
        CartPoleReinforce r = new CartPoleReinforce();
        new CommandLine(r).parseArgs("--max-steps", "200", "--max-episodes", "200", "--validate-every", "20", "--validation-episodes", "5", "--eval-episodes", "10");
        CartPoleExample.Result res = r.train();
        double first = res.returns().subList(0, 20).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertTrue(res.evalMeanReturn() > 2 * first, "greedy evaluation " + res.evalMeanReturn() + " against the first 20 training episodes' " + first);
        cartPole(new CartPoleReinforce(), "cartpole-reinforce", "20");
    }

    @Test
    void dqnLearnsOnAShortRun() {
        CartPoleDqn d = new CartPoleDqn();
        new CommandLine(d).parseArgs("--max-steps", "200", "--max-episodes", "150", "--validate-every", "25", "--validation-episodes", "5", "--eval-episodes", "10",
                "--learning-starts", "500", "--epsilon-steps", "3000");
        CartPoleExample.Result res = d.train();
        assertTrue(res.evalMeanReturn() > 50, "greedy evaluation " + res.evalMeanReturn());
        cartPole(new CartPoleDqn(), "cartpole-dqn", "12", "--learning-starts", "100");
    }

    @Test
    void gridWorldLearnersFindTheOptimalPolicy() throws Exception {
        GridWorldExample g = new GridWorldExample();
        new CommandLine(g).parseArgs("--layout", "russell-norvig", "--q-episodes", "500", "--dqn-episodes", "300");
        GridWorldExample.Result r = g.run();
        assertEquals(1.0, r.qShare());
        assertEquals(1.0, r.dqnShare());
        String text = run(new GridWorldExample(), "--layout", "russell-norvig", "--q-episodes", "50", "--dqn-episodes", "20", "--out", out.toString());
        assertTrue(text.contains("RESULT gridworld layout=russell-norvig") && value(text, "states") == 11, text);
        for (String png : new String[] {"value-iteration.png", "q-learning.png", "dqn.png"}) assertTrue(Files.exists(out.resolve(png)), png);
    }

    @Test
    void optionsParseAndBadOnesAreNamed() {
        CartPoleDqn single = new CartPoleDqn();
        new CommandLine(single).parseArgs("--no-double", "--hidden", "32,16");
        assertFalse(single.doubleDqn);
        assertArrayEquals(new int[] {32, 16}, single.hidden);
        CartPoleReinforce plain = new CartPoleReinforce();
        new CommandLine(plain).parseArgs();
        assertTrue(plain.normalize);
        CartPoleDqn d = new CartPoleDqn();
        new CommandLine(d).parseArgs("--max-steps", "300");
        assertMessage(IllegalArgumentException.class, d::train, "cartpole-dqn", "--max-steps 300", "500", "200");
        CartPoleReinforce r = new CartPoleReinforce();
        new CommandLine(r).parseArgs("--seed", "1000000");
        assertMessage(IllegalArgumentException.class, r::train, "cartpole-reinforce", "--seed 1000000", "[0, 1000000)");
        CartPoleReinforce v = new CartPoleReinforce();
        new CommandLine(v).parseArgs("--validate-every", "0");
        assertMessage(IllegalArgumentException.class, v::train, "--validate-every");
        GridWorldExample g = new GridWorldExample();
        new CommandLine(g).parseArgs("--layout", out.resolve("missing.txt").toString());
        assertMessage(IllegalArgumentException.class, g::run, "gridworld", "missing.txt", "large, russell-norvig");
    }
}
