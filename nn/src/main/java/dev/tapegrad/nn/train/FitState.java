package dev.tapegrad.nn.train;

import dev.tapegrad.nn.io.RandomState;
import java.util.Arrays;

/**
 * Where a {@link Model#fit} call is: the epoch it began at, the current epoch and the number of its batches
 * done, the epoch's running sums (for its logs), whether a non-finite loss was reported, and the shuffle's
 * generator as it was when the epoch drew its order. A training checkpoint saves it; a resumed fit continues
 * from it.
 */
final class FitState {
    final int firstEpoch;
    int epoch, step, seen;
    double lossSum;
    final double[] metricSums;
    boolean nonFinite;
    RandomState shuffleAtEpochStart;

    FitState(int firstEpoch, int metrics) {
        this.firstEpoch = firstEpoch;
        this.epoch = firstEpoch;
        this.metricSums = new double[metrics];
    }

    /** Starts epoch {@code e}, whose order is about to be drawn from a shuffle in state {@code shuffle}. */
    void beginEpoch(int e, RandomState shuffle) {
        epoch = e;
        step = seen = 0;
        lossSum = 0;
        Arrays.fill(metricSums, 0);
        shuffleAtEpochStart = shuffle;
    }
}
