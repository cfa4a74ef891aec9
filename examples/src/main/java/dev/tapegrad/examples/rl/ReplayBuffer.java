package dev.tapegrad.examples.rl;

import dev.tapegrad.autodiff.Tensor;
import java.util.Random;

/**
 * A fixed-capacity ring of transitions {@code (s, a, r, s', terminal)}: once full, each new transition
 * overwrites the oldest. {@link #sample} draws a batch uniformly with replacement (as Stable-Baselines3
 * does). Only {@code terminated} counts as terminal; a truncated step is stored as non-terminal, so its
 * target still bootstraps from {@code s'}. Observations are kept as float32.
 */
public final class ReplayBuffer {
    /** A sampled batch: states and next states {@code [B, n]} (FLOAT32), actions, rewards {@code [B]}, {@code notDone[i] = 1 - terminal[i]} {@code [B]}. */
    public record Batch(Tensor states, int[] actions, Tensor rewards, Tensor nextStates, Tensor notDone) {}

    private final int capacity, size;
    private final float[] states, next, rewards, notDone;
    private final int[] actions;
    private int count, head;

    /** A buffer of {@code capacity} transitions of observations of length {@code observationSize}. */
    public ReplayBuffer(int capacity, int observationSize) {
        if (capacity <= 0 || observationSize <= 0)
            throw new IllegalArgumentException("ReplayBuffer: capacity " + capacity + " and observation size " + observationSize + " must be positive");
        this.capacity = capacity;
        this.size = observationSize;
        states = new float[capacity * observationSize];
        next = new float[capacity * observationSize];
        rewards = new float[capacity];
        notDone = new float[capacity];
        actions = new int[capacity];
    }

    /** Stores one transition, overwriting the oldest when full. */
    public void add(double[] state, int action, double reward, double[] nextState, boolean terminal) {
        if (state.length != size || nextState.length != size)
            throw new IllegalArgumentException("ReplayBuffer.add: observations of length " + state.length + " and " + nextState.length
                    + ", expected " + size);
        for (int j = 0; j < size; j++) {
            states[head * size + j] = (float) state[j];
            next[head * size + j] = (float) nextState[j];
        }
        actions[head] = action;
        rewards[head] = (float) reward;
        notDone[head] = terminal ? 0 : 1;
        head = (head + 1) % capacity;
        count = Math.min(count + 1, capacity);
    }

    /** The number of stored transitions (at most the capacity). */
    public int size() { return count; }

    /** The most transitions it holds. */
    public int capacity() { return capacity; }

    /** {@code batchSize} transitions drawn uniformly with replacement with {@code random}. */
    public Batch sample(int batchSize, Random random) {
        if (batchSize <= 0) throw new IllegalArgumentException("ReplayBuffer.sample: batch size " + batchSize + " must be positive");
        if (count == 0) throw new IllegalStateException("ReplayBuffer.sample: the buffer is empty");
        float[] s = new float[batchSize * size], n = new float[batchSize * size], r = new float[batchSize], d = new float[batchSize];
        int[] a = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            int k = random.nextInt(count);
            System.arraycopy(states, k * size, s, i * size, size);
            System.arraycopy(next, k * size, n, i * size, size);
            a[i] = actions[k];
            r[i] = rewards[k];
            d[i] = notDone[k];
        }
        return new Batch(Tensor.of(s, batchSize, size), a, Tensor.of(r, batchSize), Tensor.of(n, batchSize, size), Tensor.of(d, batchSize));
    }
}
