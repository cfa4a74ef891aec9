package dev.tapegrad.examples.rl;

import java.util.Random;

/**
 * Tabular Q-learning (Watkins 1989) on a {@link GridWorld}'s states: epsilon-greedy actions
 * ({@link EpsilonSchedule} over steps) and after each step
 * {@code Q(s, a) += alpha (r + gamma (1 - terminal) max_a' Q(s', a') - Q(s, a))}; a truncated step bootstraps.
 * The table starts at zero; greedy ties go to the lowest action.
 */
public final class QLearning implements Agent {
    private final double[][] q;
    private final double alpha, gamma;
    private final EpsilonSchedule epsilon;
    private long steps;

    /** A table for {@code states} states and 4 actions, learning rate {@code alpha} in (0, 1], discount {@code gamma} in [0, 1]. */
    public QLearning(int states, double alpha, double gamma, EpsilonSchedule epsilon) {
        if (states <= 0) throw new IllegalArgumentException("QLearning: states " + states + " must be positive");
        if (!(alpha > 0 && alpha <= 1) || !(gamma >= 0 && gamma <= 1))
            throw new IllegalArgumentException("QLearning: alpha " + alpha + " must be in (0, 1] and gamma " + gamma + " in [0, 1]");
        q = new double[states][4];
        this.alpha = alpha;
        this.gamma = gamma;
        this.epsilon = epsilon;
    }

    /** The table {@code Q[s][a]} (live, not a copy). */
    public double[][] table() { return q; }

    @Override
    public double trainEpisode(Environment env, Random random) {
        if (!(env instanceof GridWorld g) || g.stateCount() != q.length)
            throw new IllegalArgumentException("QLearning: trains on a GridWorld of " + q.length + " states, got " + env.getClass().getSimpleName());
        g.reset(random);
        double total = 0;
        while (true) {
            int s = g.state();
            int a = random.nextDouble() < epsilon.value(steps++) ? random.nextInt(4) : greedy(s);
            Environment.Step step = g.step(a);
            int next = g.state();
            double target = step.reward() + (step.terminated() ? 0 : gamma * q[next][greedy(next)]);
            q[s][a] += alpha * (target - q[s][a]);
            total += step.reward();
            if (step.done()) return total;
        }
    }

    /** The greedy action of state {@code s}. */
    public int greedy(int s) {
        int best = 0;
        for (int a = 1; a < 4; a++) if (q[s][a] > q[s][best]) best = a;
        return best;
    }

    /** The greedy action for a one-hot observation of the grid's states. */
    @Override
    public int greedyAction(double[] observation) {
        if (observation.length != q.length) throw new IllegalArgumentException("QLearning: observation of length " + observation.length + " for " + q.length + " states");
        for (int s = 0; s < observation.length; s++) if (observation[s] == 1) return greedy(s);
        throw new IllegalArgumentException("QLearning: the observation is not one-hot");
    }
}
