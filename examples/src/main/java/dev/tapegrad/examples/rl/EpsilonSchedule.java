package dev.tapegrad.examples.rl;

/**
 * Exploration rate of an epsilon-greedy policy, decaying linearly from {@code start} to {@code end} over
 * {@code steps} steps and constant after: {@code eps(t) = end + (start - end) max(0, 1 - t / steps)}
 * (Stable-Baselines3's linear schedule; {@code steps = 0} gives {@code end} throughout).
 */
public record EpsilonSchedule(double start, double end, long steps) {
    /** Checks that both rates are in [0, 1] and {@code steps} is non-negative. */
    public EpsilonSchedule {
        if (!(start >= 0 && start <= 1 && end >= 0 && end <= 1) || steps < 0)
            throw new IllegalArgumentException("EpsilonSchedule: start " + start + " and end " + end + " must be in [0, 1], steps " + steps + " non-negative");
    }

    /** The rate at step {@code t} (0-based). */
    public double value(long t) {
        return steps == 0 ? end : end + (start - end) * Math.max(0, 1 - (double) t / steps);
    }
}
