package dev.tapegrad.examples.rl;

import dev.tapegrad.nn.Sequential;
import java.util.Random;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code examples/run cartpole-dqn}: {@link Dqn} (double DQN by default) on CartPole, trained until solved. */
@Command(name = "cartpole-dqn", mixinStandardHelpOptions = true,
        description = "Deep Q-learning on CartPole-v1 until solved (greedy mean >= 475 over 100 held-out episodes).")
public final class CartPoleDqn extends CartPoleExample {
    @Option(names = "--lr", defaultValue = "0.0005", description = "Adam learning rate (default ${DEFAULT-VALUE})")
    double lr;
    @Option(names = "--batch-size", defaultValue = "64", description = "replay batch size (default ${DEFAULT-VALUE})")
    int batchSize;
    @Option(names = "--buffer", defaultValue = "50000", description = "replay buffer capacity (default ${DEFAULT-VALUE})")
    int buffer;
    @Option(names = "--learning-starts", defaultValue = "1000", description = "transitions stored before training starts (default ${DEFAULT-VALUE})")
    int learningStarts;
    @Option(names = "--train-every", defaultValue = "1", description = "environment steps per gradient step (default ${DEFAULT-VALUE})")
    int trainEvery;
    @Option(names = "--target-update-every", defaultValue = "1", description = "environment steps between target updates (default ${DEFAULT-VALUE})")
    int targetUpdateEvery;
    @Option(names = "--tau", defaultValue = "0.005", description = "target update rate, 1 for a hard copy (default ${DEFAULT-VALUE})")
    double tau;
    @Option(names = "--epsilon-steps", defaultValue = "10000", description = "steps over which epsilon decays from 1 to --epsilon-end (default ${DEFAULT-VALUE})")
    long epsilonSteps;
    @Option(names = "--epsilon-end", defaultValue = "0.05", description = "final exploration rate (default ${DEFAULT-VALUE})")
    double epsilonEnd;
    @Option(names = "--no-double", negatable = true, defaultValue = "true", description = "double DQN targets (default on)")
    boolean doubleDqn;
    @Option(names = "--max-grad-norm", defaultValue = "10", description = "gradient clipping by global norm (default ${DEFAULT-VALUE})")
    double maxGradNorm;

    @Override
    String name() { return "cartpole-dqn"; }

    @Override
    Agent agent(Random random) {
        return new Dqn(4, 2, new Dqn.Options(hidden, gamma, lr, batchSize, buffer, learningStarts, trainEvery, targetUpdateEvery, tau,
                new EpsilonSchedule(1, epsilonEnd, epsilonSteps), doubleDqn, 1, maxGradNorm), random);
    }

    @Override
    Sequential policy(Agent agent) { return ((Dqn) agent).online(); }

    @Override
    String extra(Agent agent) { return " env_steps=" + ((Dqn) agent).steps(); }
}
