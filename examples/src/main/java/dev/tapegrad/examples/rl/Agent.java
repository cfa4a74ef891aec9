package dev.tapegrad.examples.rl;

import java.util.Random;

/** A learning agent: it trains on whole episodes and acts greedily for evaluation. */
public interface Agent {
    /** Plays one training episode on {@code env} (reset with {@code random}, which also drives exploration), learning as it goes; returns its undiscounted return. */
    double trainEpisode(Environment env, Random random);

    /** The greedy action for {@code observation}: the most probable (policy) or highest-valued (Q) action. */
    int greedyAction(double[] observation);

    /** The undiscounted return of one greedy episode of {@code env}, reset with {@code random}. */
    default double greedyEpisode(Environment env, Random random) {
        double[] obs = env.reset(random);
        double total = 0;
        while (true) {
            Environment.Step s = env.step(greedyAction(obs));
            total += s.reward();
            if (s.done()) return total;
            obs = s.observation();
        }
    }
}
