package dev.tapegrad.nn.train;

import dev.tapegrad.nn.data.Dataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Options of {@link Model#fit}, Keras' names and defaults: 1 epoch, batch size 32, shuffled each epoch by
 * a {@link java.util.Random} seeded with {@code seed} (default 0), no validation. {@code validationSplit}
 * holds out the last fraction of the training data before shuffling, as Keras does.
 */
public final class FitOptions {
    int epochs = 1, batchSize = 32;
    long seed;
    boolean shuffle = true;
    Dataset validation;
    double validationSplit;
    double clipGradNorm;
    final List<Callback> callbacks = new ArrayList<>();
    Progress.Mode progress = Progress.Mode.AUTO;
    int checkpointEvery;
    Path checkpointFile, resumeFrom;

    public static FitOptions epochs(int epochs) { return new FitOptions().withEpochs(epochs); }

    public FitOptions withEpochs(int e) {
        if (e < 0) throw new IllegalArgumentException("FitOptions: epochs " + e + " is negative");
        epochs = e;
        return this;
    }

    public FitOptions batchSize(int b) {
        if (b <= 0) throw new IllegalArgumentException("FitOptions: batch size " + b + " must be positive");
        batchSize = b;
        return this;
    }

    public FitOptions seed(long s) { seed = s; return this; }

    public FitOptions shuffle(boolean s) { shuffle = s; return this; }

    public FitOptions validation(Dataset v) { validation = v; return this; }

    public FitOptions validationSplit(double f) {
        if (!(f >= 0 && f < 1)) throw new IllegalArgumentException("FitOptions: validation split " + f + " must be in [0, 1)");
        validationSplit = f;
        return this;
    }

    /** Clips the gradients' global norm to {@code maxNorm} before each step (0: no clipping). */
    public FitOptions clipGradNorm(double maxNorm) {
        if (maxNorm < 0) throw new IllegalArgumentException("FitOptions: clip norm " + maxNorm + " is negative");
        clipGradNorm = maxNorm;
        return this;
    }

    public FitOptions callbacks(Callback... cs) {
        Objects.requireNonNull(cs, "FitOptions: callbacks is null");
        for (int i = 0; i < cs.length; i++) Objects.requireNonNull(cs[i], "FitOptions: callback " + i + " of " + cs.length + " is null");
        callbacks.addAll(List.of(cs));
        return this;
    }

    public FitOptions progress(Progress.Mode m) {
        progress = Objects.requireNonNull(m, "FitOptions: progress mode is null");
        return this;
    }

    /**
     * Writes a training checkpoint ({@link TrainingCheckpoint}) to {@code file} after every {@code steps}
     * training steps, counted over the whole training (epoch {@code e}, batch {@code b} is step
     * {@code e * batchesPerEpoch + b + 1}), atomically (a crash mid-write leaves the previous checkpoint), after
     * the step's {@code onTrainBatchEnd} callbacks. It holds everything {@link #resumeFrom} needs to continue
     * exactly. Keras' {@code BackupAndRestore(save_freq=steps)}; use the same file with {@code resumeFrom} after a
     * crash.
     */
    public FitOptions checkpointEvery(int steps, Path file) {
        if (steps <= 0) throw new IllegalArgumentException("FitOptions: checkpoint every " + steps + " steps must be positive");
        checkpointFile = Objects.requireNonNull(file, "FitOptions: checkpoint file is null");
        checkpointEvery = steps;
        return this;
    }

    /**
     * Continues the interrupted {@code fit} call that wrote {@code file} (see {@link #checkpointEvery}), from the
     * step after the checkpoint, so that the run ends exactly as it would have without the interruption: give
     * the resumed {@code fit} the same data, model and optimizer built the same way, and the same options. The
     * model, optimizer (with its learning rate), the random generators of the layers ({@link
     * dev.tapegrad.nn.Module#namedRandoms}), of the data set ({@link Dataset#namedRandoms}) and of the shuffle,
     * the epoch's order and position, the epoch's running sums, the earlier epochs' logs (the returned
     * {@link History} holds the whole call's epochs) and each callback's {@link Callback#stateDict} are restored;
     * the {@code epochs} count is that of the interrupted call. A checkpoint of another data set size, batch size,
     * seed, metric list or callback list is refused with an {@link IllegalArgumentException} naming both values.
     * Callbacks get {@code onTrainBegin}, then their state, and no {@code onEpochBegin} for the resumed epoch.
     */
    public FitOptions resumeFrom(Path file) {
        resumeFrom = Objects.requireNonNull(file, "FitOptions: resume file is null");
        return this;
    }
}
