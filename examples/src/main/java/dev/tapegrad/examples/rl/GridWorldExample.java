package dev.tapegrad.examples.rl;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code examples/run gridworld}: tabular Q-learning and DQN on one-hot states of a {@link GridWorld}, both
 * checked against the optimal policy from {@link ValueIteration} on the same model. Training starts each
 * episode in a uniformly drawn non-terminal state (exploring starts), so every state is visited. The score
 * is the share of non-terminal states in which the learned greedy action is optimal (within 1e-6 of
 * {@code V*}; all tied actions count). Writes {@code value-iteration.png}, {@code q-learning.png} and
 * {@code dqn.png}: each state's value ({@code V*}, or {@code max_a Q}) as a colour with the greedy action's arrow.
 */
@Command(name = "gridworld", mixinStandardHelpOptions = true,
        description = "Tabular Q-learning and DQN on a grid world, scored against value iteration's optimal policy.")
public final class GridWorldExample implements Callable<Integer> {
    static final double TOLERANCE = 1e-6;

    @Option(names = "--layout", defaultValue = "large", description = "large (8x8 maze), russell-norvig (4x3) or a text file of rows over . S # G P (default ${DEFAULT-VALUE})")
    String layout;
    @Option(names = "--slip", defaultValue = "0", description = "probability of moving perpendicular to the intended direction (default ${DEFAULT-VALUE})")
    double slip;
    @Option(names = "--gamma", defaultValue = "0.95", description = "discount (default ${DEFAULT-VALUE})")
    double gamma;
    @Option(names = "--q-episodes", defaultValue = "3000", description = "tabular Q-learning episodes (default ${DEFAULT-VALUE})")
    int qEpisodes;
    @Option(names = "--alpha", defaultValue = "0.5", description = "tabular Q-learning rate (default ${DEFAULT-VALUE})")
    double alpha;
    @Option(names = "--dqn-episodes", defaultValue = "1500", description = "DQN episodes (default ${DEFAULT-VALUE})")
    int dqnEpisodes;
    @Option(names = "--seed", defaultValue = "1", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--out", defaultValue = "out/gridworld", description = "folder for the pictures (default ${DEFAULT-VALUE})")
    Path out;

    /** The optimal solution and each learner's greedy actions, values and score. */
    record Result(GridWorld world, ValueIteration.Solution optimal, int[] qGreedy, double[] qValues, double qShare, int[] dqnGreedy, double[] dqnValues,
                  double dqnShare, double seconds) {}

    GridWorld world() {
        String text = switch (layout) {
            case "large" -> GridWorld.LARGE;
            case "russell-norvig" -> GridWorld.RUSSELL_NORVIG;
            default -> {
                try {
                    yield Files.readString(Path.of(layout));
                } catch (java.io.IOException e) {
                    throw new IllegalArgumentException("gridworld: --layout '" + layout + "' is neither large, russell-norvig nor a readable file (" + e + ")");
                }
            }
        };
        return new GridWorld(text, slip, GridWorld.Rewards.RUSSELL_NORVIG, 100, true);
    }

    Result run() {
        GridWorld world = world();
        int n = world.stateCount();
        long start = System.nanoTime();
        ValueIteration.Solution optimal = ValueIteration.solve(world, gamma, 1e-10);

        QLearning q = new QLearning(n, alpha, gamma, new EpsilonSchedule(1, 0.1, 20_000));
        Random random = new Random(seed);
        for (int e = 0; e < qEpisodes; e++) q.trainEpisode(world, random);
        int[] qGreedy = new int[n];
        double[] qValues = new double[n];
        for (int s = 0; s < n; s++) {
            qGreedy[s] = q.greedy(s);
            qValues[s] = world.isTerminal(s) ? 0 : q.table()[s][qGreedy[s]];
        }

        Dqn dqn = new Dqn(n, 4, new Dqn.Options(new int[] {64}, gamma, 1e-3, 64, 20_000, 500, 1, 1, 0.01,
                new EpsilonSchedule(1, 0.1, 10_000), true, 1, 10), new Random(seed + 1));
        Random dqnRandom = new Random(seed + 2);
        for (int e = 0; e < dqnEpisodes; e++) dqn.trainEpisode(world, dqnRandom);
        int[] dqnGreedy = new int[n];
        double[] dqnValues = new double[n];
        for (int s = 0; s < n; s++) {
            float[] qs = Networks.outputs(dqn.online(), world.oneHot(s));
            dqnGreedy[s] = Networks.argmax(qs);
            dqnValues[s] = world.isTerminal(s) ? 0 : qs[dqnGreedy[s]];
        }
        return new Result(world, optimal, qGreedy, qValues, optimal.optimalShare(world, qGreedy, TOLERANCE), dqnGreedy, dqnValues,
                optimal.optimalShare(world, dqnGreedy, TOLERANCE), (System.nanoTime() - start) / 1e9);
    }

    /** The largest {@code |values[s] - V*(s)|} over non-terminal states. */
    static double maxValueError(GridWorld world, double[] values, double[] optimal) {
        double worst = 0;
        for (int s = 0; s < world.stateCount(); s++) if (!world.isTerminal(s)) worst = Math.max(worst, Math.abs(values[s] - optimal[s]));
        return worst;
    }

    @Override
    public Integer call() throws Exception {
        Result r = run();
        GridWorld w = r.world();
        int[] optimalGreedy = new int[w.stateCount()];
        for (int s = 0; s < optimalGreedy.length; s++)
            for (int a = 1; a < 4; a++) if (r.optimal().q()[s][a] > r.optimal().q()[s][optimalGreedy[s]]) optimalGreedy[s] = a;
        RlPlots.grid(w, r.optimal().values(), optimalGreedy, "value iteration: V* and an optimal action", out.resolve("value-iteration.png"));
        RlPlots.grid(w, r.qValues(), r.qGreedy(), String.format("Q-learning: max Q, greedy action (%.0f%% optimal)", 100 * r.qShare()), out.resolve("q-learning.png"));
        RlPlots.grid(w, r.dqnValues(), r.dqnGreedy(), String.format("DQN: max Q, greedy action (%.0f%% optimal)", 100 * r.dqnShare()), out.resolve("dqn.png"));
        System.out.println("pictures in " + out);
        System.out.printf("RESULT gridworld layout=%s slip=%s states=%d qlearning_optimal_share=%.3f dqn_optimal_share=%.3f qlearning_max_value_error=%.4f "
                        + "dqn_max_value_error=%.4f value_iteration_sweeps=%d q_episodes=%d dqn_episodes=%d train_seconds=%.1f%n", layout, slip, w.stateCount(),
                r.qShare(), r.dqnShare(), maxValueError(w, r.qValues(), r.optimal().values()), maxValueError(w, r.dqnValues(), r.optimal().values()),
                r.optimal().sweeps(), qEpisodes, dqnEpisodes, r.seconds());
        return 0;
    }
}
