package dev.tapegrad.examples.rl;

/**
 * Value iteration on a {@link GridWorld}'s model: sweeps
 * {@code Q(s, a) = sum_{s'} P(s'|s, a) (r + gamma (1 - terminal(s')) V(s'))}, {@code V(s) = max_a Q(s, a)} over
 * every non-terminal state until no value changes by more than {@code tolerance} (terminal states keep
 * {@code V = 0}: entering them ends the episode). The result is the optimal {@code Q*} and {@code V*},
 * against which learned greedy policies are checked.
 */
public final class ValueIteration {
    private ValueIteration() {}

    /** {@code Q*} per state and action ({@code q[s]} all zero for terminal states), {@code V*}, and the number of sweeps. */
    public record Solution(double[][] q, double[] values, int sweeps) {
        /** Whether {@code action} is optimal in {@code state}: {@code Q*(s, a) >= V*(s) - tolerance}. */
        public boolean isOptimal(int state, int action, double tolerance) { return q[state][action] >= values[state] - tolerance; }

        /**
         * The share of non-terminal states of {@code world} in which {@code greedy[s]} is an optimal action
         * (within {@code tolerance} of {@code V*(s)}; ties between equally good actions all count).
         */
        public double optimalShare(GridWorld world, int[] greedy, double tolerance) {
            int states = 0, right = 0;
            for (int s = 0; s < world.stateCount(); s++) {
                if (world.isTerminal(s)) continue;
                states++;
                if (isOptimal(s, greedy[s], tolerance)) right++;
            }
            return (double) right / states;
        }
    }

    /**
     * Solves {@code world} with discount {@code gamma} in [0, 1] to {@code tolerance}; at most 100,000 sweeps.
     * {@code gamma = 1} (Russell &amp; Norvig's undiscounted 4x3 world) converges when a negative step reward
     * makes every optimal policy end its episodes; otherwise the sweep limit gives an {@link IllegalStateException}.
     */
    public static Solution solve(GridWorld world, double gamma, double tolerance) {
        if (!(gamma >= 0 && gamma <= 1)) throw new IllegalArgumentException("ValueIteration: gamma " + gamma + " must be in [0, 1]");
        if (!(tolerance > 0)) throw new IllegalArgumentException("ValueIteration: tolerance " + tolerance + " must be positive");
        int n = world.stateCount();
        double[] v = new double[n];
        double[][] q = new double[n][4];
        for (int sweep = 1; sweep <= 100_000; sweep++) {
            double change = 0;
            for (int s = 0; s < n; s++) {
                if (world.isTerminal(s)) continue;
                double best = Double.NEGATIVE_INFINITY;
                for (int a = 0; a < 4; a++) {
                    double sum = 0;
                    for (GridWorld.Transition t : world.transitions(s, a)) sum += t.probability() * (t.reward() + (t.terminal() ? 0 : gamma * v[t.next()]));
                    q[s][a] = sum;
                    best = Math.max(best, sum);
                }
                change = Math.max(change, Math.abs(best - v[s]));
                v[s] = best;
            }
            if (change <= tolerance) return new Solution(q, v, sweep);
        }
        throw new IllegalStateException("ValueIteration: no convergence to " + tolerance + " in 100,000 sweeps");
    }
}
