package dev.tapegrad.examples.rl;

import java.util.Random;

/**
 * An episodic environment with a discrete action set, as gymnasium's {@code Env}: {@link #reset} starts an
 * episode and returns the first observation, {@link #step} applies an action. An episode ends when a step
 * reports {@code terminated} (a terminal state of the task: the pole fell, the goal was reached) or
 * {@code truncated} (a time limit cut it short; the state is not terminal, so value targets still bootstrap
 * from it). Stepping an ended episode, or one never reset, is an {@link IllegalStateException}.
 */
public interface Environment {
    /** What one step returned: the next observation ({@link #observationSize()} values), the reward and how the episode stands. */
    record Step(double[] observation, double reward, boolean terminated, boolean truncated) {
        /** Whether the episode is over, by either cause. */
        public boolean done() { return terminated || truncated; }
    }

    /** Starts an episode with its random choices (start state) drawn from {@code random}; returns the first observation. */
    double[] reset(Random random);

    /** Applies {@code action} (in {@code [0, actionCount())}); an action out of range is an {@link IllegalArgumentException}. */
    Step step(int action);

    /** Length of every observation. */
    int observationSize();

    /** Number of discrete actions. */
    int actionCount();

    /** Throws the uniform message for an action out of range; returns it otherwise. */
    static int checkAction(String env, int action, int count) {
        if (action < 0 || action >= count)
            throw new IllegalArgumentException(env + ".step: action " + action + " is out of range [0, " + count + ")");
        return action;
    }
}
