package dev.tapegrad.nn.train;

import dev.tapegrad.nn.data.Dataset;
import java.util.ArrayList;
import java.util.List;

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

    public FitOptions callbacks(Callback... cs) { callbacks.addAll(List.of(cs)); return this; }

    public FitOptions progress(Progress.Mode m) { progress = m; return this; }
}
