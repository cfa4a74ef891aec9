package dev.tapegrad.nn.data;

import dev.tapegrad.autodiff.Tensor;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * Batches of a {@link Dataset}: each {@link #iterator()} is one epoch, in order or shuffled by the
 * loader's own {@link Random} (so a seed fixes every epoch's order), with the last short batch kept or
 * dropped. Inputs come out as the dataset stores them (FLOAT32 for the built-in loaders).
 */
public final class DataLoader implements Iterable<DataLoader.Batch> {
    /** One batch: inputs {@code [B, ...]} and targets {@code [B, ...]}. */
    public record Batch(Tensor inputs, Tensor targets) {
        public int size() { return inputs.size(0); }
    }

    private final Dataset dataset;
    private final int batchSize;
    private final Random shuffle;
    private final boolean dropLast;

    /** Batches in dataset order. */
    public DataLoader(Dataset dataset, int batchSize) { this(dataset, batchSize, null, false); }

    /** Batches shuffled by {@code shuffle} (null: in order), dropping a last short batch when {@code dropLast}. */
    public DataLoader(Dataset dataset, int batchSize, Random shuffle, boolean dropLast) {
        if (batchSize <= 0) throw new IllegalArgumentException("DataLoader: batch size " + batchSize + " must be positive");
        this.dataset = java.util.Objects.requireNonNull(dataset, "DataLoader: dataset is null");
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
    }

    /** Number of batches per epoch. */
    public int batches() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    @Override
    public Iterator<Batch> iterator() { return iterator(0); }

    /**
     * The epoch from batch {@code firstBatch} on (to resume an epoch): the order is drawn in full, exactly as by
     * {@link #iterator()} (so the shuffling {@code Random} advances the same), and the first {@code firstBatch}
     * batches are skipped without being read, so an augmenting dataset draws nothing for them.
     */
    public Iterator<Batch> iterator(int firstBatch) {
        if (firstBatch < 0 || firstBatch > batches())
            throw new IllegalArgumentException("DataLoader: first batch " + firstBatch + " is outside the epoch's " + batches() + " batches");
        int n = dataset.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        if (shuffle != null) {
            for (int i = n - 1; i > 0; i--) {
                int j = shuffle.nextInt(i + 1), t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        int count = batches();
        return new Iterator<>() {
            int b = firstBatch;

            @Override
            public boolean hasNext() { return b < count; }

            @Override
            public Batch next() {
                if (!hasNext()) throw new NoSuchElementException();
                int from = b++ * batchSize, to = Math.min(n, from + batchSize);
                int[] idx = java.util.Arrays.copyOfRange(order, from, to);
                return new Batch(dataset.inputs(idx), dataset.targets(idx));
            }
        };
    }
}
