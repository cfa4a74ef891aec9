package dev.tapegrad.examples.rl;

import dev.tapegrad.nn.Sequential;
import dev.tapegrad.nn.io.Checkpoints;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/**
 * What the CartPole examples share: train an {@link Agent} on {@code CartPole-v1} (or v0) until solved as
 * gymnasium defines it, then measure that. Every {@code validate-every} training episodes the greedy
 * policy is validated like the final evaluation, on other seeds and with a margin: {@code validation-episodes}
 * (100) greedy episodes whose mean return must reach halfway from the threshold (475 for v1, 195 for v0)
 * to the most an episode can return ({@code max-steps}): 487.5 for v1, 197.5 for v0. (A policy that only
 * just passes on the validation seeds can fall short on the evaluation's: without the margin, one REINFORCE
 * run on v0 did, with 194.91.) Validation
 * stops early once the mean can no longer get there, so a weak policy costs a few episodes. When validation passes, or the time or episode budget runs out,
 * training stops. The greedy policy is then evaluated on 100 consecutive episodes, and {@code solved} is
 * whether their mean return reaches the threshold.
 *
 * <p>Seeds: training resets and exploration draw from one stream {@code new Random(seed)} (the networks'
 * initialisation from {@code new Random(seed + 1)}); validation episode {@code j} (counted over the whole
 * run) resets from {@code new Random(2_000_000 + j)}, evaluation episode {@code i} from
 * {@code new Random(1_000_000 + i)}, so the evaluation's start states are used neither in training nor in
 * the decision to stop. Writes {@code returns.png} and the policy network as {@code policy.safetensors}
 * ({@code torch.nn.Sequential} names).
 */
abstract class CartPoleExample implements Callable<Integer> {
    static final long EVAL_SEEDS = 1_000_000, VALIDATION_SEEDS = 2_000_000;

    @Option(names = "--max-steps", defaultValue = "500", description = "episode length limit: 500 is CartPole-v1 (solved at 475), 200 is v0 (solved at 195) (default ${DEFAULT-VALUE})")
    int maxSteps;
    @Option(names = "--seed", defaultValue = "1", description = "seed of training and initialisation, below 1000000 (default ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--max-episodes", defaultValue = "5000", description = "training episode budget (default ${DEFAULT-VALUE})")
    int maxEpisodes;
    @Option(names = "--max-seconds", defaultValue = "300", description = "training time budget in seconds (default ${DEFAULT-VALUE})")
    double maxSeconds;
    @Option(names = "--validate-every", defaultValue = "10", description = "training episodes between greedy validations (default ${DEFAULT-VALUE})")
    int validateEvery;
    @Option(names = "--validation-episodes", defaultValue = "100", description = "greedy episodes per validation, stopped early once it cannot pass (default ${DEFAULT-VALUE})")
    int validationEpisodes;
    @Option(names = "--eval-episodes", defaultValue = "100", description = "greedy evaluation episodes after training (default ${DEFAULT-VALUE}, as gymnasium's criterion)")
    int evalEpisodes;
    @Option(names = "--hidden", split = ",", defaultValue = "64,64", description = "hidden layer sizes of the networks (default ${DEFAULT-VALUE})")
    int[] hidden;
    @Option(names = "--gamma", defaultValue = "0.99", description = "discount (default ${DEFAULT-VALUE})")
    double gamma;
    @Option(names = "--out", description = "folder for the plot and the policy (default out/NAME)")
    Path out;

    /** How a run went: the training returns, the evaluation's mean and returns, whether that solved the task, the threshold, the training time and the agent. */
    record Result(List<Double> returns, double evalMeanReturn, double[] evalReturns, boolean solved, double threshold, double trainSeconds, Agent agent) {}

    /** The example's name ({@code cartpole-reinforce}, ...). */
    abstract String name();

    /** A fresh agent for CartPole's 4 observations and 2 actions, initialised from {@code random}. */
    abstract Agent agent(Random random);

    /** The agent's network that {@code policy.safetensors} holds. */
    abstract Sequential policy(Agent agent);

    /** Key-value pairs added to the RESULT line (the agent's own counters). */
    String extra(Agent agent) { return ""; }

    double threshold() {
        return switch (maxSteps) {
            case 500 -> 475;
            case 200 -> 195;
            default -> throw new IllegalArgumentException(name() + ": --max-steps " + maxSteps + " must be 500 (CartPole-v1) or 200 (CartPole-v0)");
        };
    }

    Result train() {
        double threshold = threshold(), target = (threshold + maxSteps) / 2;
        if (seed < 0 || seed >= EVAL_SEEDS) throw new IllegalArgumentException(name() + ": --seed " + seed + " must be in [0, " + EVAL_SEEDS + ")");
        if (maxEpisodes <= 0 || validateEvery <= 0 || validationEpisodes <= 0 || evalEpisodes <= 0 || !(maxSeconds > 0))
            throw new IllegalArgumentException(name() + ": --max-episodes, --max-seconds, --validate-every, --validation-episodes and --eval-episodes must be positive");
        CartPole env = new CartPole(maxSteps);
        Agent agent = agent(new Random(seed + 1));
        Random random = new Random(seed);
        List<Double> returns = new ArrayList<>();
        long start = System.nanoTime(), validations = 0;
        double seconds = 0;
        while (returns.size() < maxEpisodes && seconds < maxSeconds) {
            returns.add(agent.trainEpisode(env, random));
            seconds = (System.nanoTime() - start) / 1e9;
            if (returns.size() % validateEvery != 0) continue;
            double[] validation = greedyReturns(agent, env, VALIDATION_SEEDS + validations++ * validationEpisodes, validationEpisodes, target);
            seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("episode %5d  return %6.1f  mean of the last 10 %6.1f  greedy validation %6.1f over %3d episodes  %5.1f s%n", returns.size(),
                    returns.get(returns.size() - 1), mean(returns.subList(Math.max(0, returns.size() - 10), returns.size()).stream().mapToDouble(Double::doubleValue).toArray()),
                    mean(validation), validation.length, seconds);
            if (validation.length == validationEpisodes && mean(validation) >= target) break;
        }
        double[] eval = greedyReturns(agent, env, EVAL_SEEDS, evalEpisodes, Double.NEGATIVE_INFINITY);
        return new Result(returns, mean(eval), eval, mean(eval) >= threshold, threshold, seconds, agent);
    }

    /**
     * Returns of up to {@code count} greedy episodes, episode {@code i} reset from {@code new Random(firstSeed + i)},
     * stopping as soon as even returns of {@code maxSteps} in all the remaining episodes could not bring
     * the mean to {@code stopBelow} (pass negative infinity to play them all).
     */
    double[] greedyReturns(Agent agent, Environment env, long firstSeed, int count, double stopBelow) {
        double[] r = new double[count];
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += r[i] = agent.greedyEpisode(env, new Random(firstSeed + i));
            if (sum + (double) maxSteps * (count - i - 1) < stopBelow * count) return java.util.Arrays.copyOf(r, i + 1);
        }
        return r;
    }

    static double mean(double[] v) { return java.util.Arrays.stream(v).average().orElse(Double.NaN); }

    @Override
    public Integer call() throws Exception {
        Result r = train();
        Path dir = out != null ? out : Path.of("out", name());
        String env = maxSteps == 500 ? "CartPole-v1" : "CartPole-v0";
        RlPlots.returns(r.returns(), 20, r.threshold(), name() + " on " + env + ": training returns", dir.resolve("returns.png"));
        Checkpoints.saveModel(dir.resolve("policy.safetensors"), policy(r.agent()));
        System.out.printf("evaluation: %d greedy episodes, returns from %.0f to %.0f; plot and policy in %s%n", r.evalReturns().length,
                java.util.Arrays.stream(r.evalReturns()).min().orElseThrow(), java.util.Arrays.stream(r.evalReturns()).max().orElseThrow(), dir);
        System.out.printf("RESULT %s solved=%b episodes=%d eval_mean_return=%.2f train_seconds=%.1f env=%s threshold=%.0f eval_episodes=%d%s%n", name(), r.solved(),
                r.returns().size(), r.evalMeanReturn(), r.trainSeconds(), env, r.threshold(), r.evalReturns().length, extra(r.agent()));
        return 0;
    }
}
