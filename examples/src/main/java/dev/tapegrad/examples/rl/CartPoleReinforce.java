package dev.tapegrad.examples.rl;

import dev.tapegrad.nn.Sequential;
import java.util.Random;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code examples/run cartpole-reinforce}: {@link Reinforce} with a value baseline on CartPole, trained until solved. */
@Command(name = "cartpole-reinforce", mixinStandardHelpOptions = true,
        description = "REINFORCE with a learned baseline on CartPole-v1 until solved (greedy mean >= 475 over 100 held-out episodes).")
public final class CartPoleReinforce extends CartPoleExample {
    @Option(names = "--lr", defaultValue = "0.003", description = "Adam learning rate of the policy (default ${DEFAULT-VALUE})")
    double lr;
    @Option(names = "--value-lr", defaultValue = "0.003", description = "Adam learning rate of the value network (default ${DEFAULT-VALUE})")
    double valueLr;
    @Option(names = "--entropy", defaultValue = "0.0", description = "entropy bonus coefficient (default ${DEFAULT-VALUE})")
    double entropy;
    @Option(names = "--episodes-per-update", defaultValue = "4", description = "episodes per gradient step (default ${DEFAULT-VALUE})")
    int episodesPerUpdate;
    @Option(names = "--no-normalize", negatable = true, defaultValue = "true", description = "normalise the advantages (default on)")
    boolean normalize;

    @Override
    String name() { return "cartpole-reinforce"; }

    @Override
    Agent agent(Random random) {
        return new Reinforce(4, 2, new Reinforce.Options(hidden, gamma, lr, valueLr, entropy, episodesPerUpdate, normalize), random);
    }

    @Override
    Sequential policy(Agent agent) { return ((Reinforce) agent).policy(); }
}
