package dev.tapegrad.nn.train;

import dev.tapegrad.autodiff.Tensor;

/**
 * A per-example score of a batch's output against its targets, averaged over the examples of an epoch
 * (weighted by batch size), as Keras metrics are.
 */
public interface Metric {
    String name();

    /** The mean score over the batch. */
    double compute(Tensor output, Tensor target);

    /** Fraction of examples whose arg-max class is the label ({@code accuracy}). */
    static Metric accuracy() { return topK(1); }

    /** Fraction of examples whose label is among the {@code k} highest outputs ({@code top_k_accuracy}); ties go to the lower class index, as arg-max. */
    static Metric topK(int k) {
        if (k <= 0) throw new IllegalArgumentException("Metric.topK: k " + k + " must be positive");
        return new Metric() {
            @Override
            public String name() { return k == 1 ? "accuracy" : "top" + k + "_accuracy"; }

            @Override
            public double compute(Tensor output, Tensor target) { return Metrics.topKAccuracy(output, Metrics.labels(target), k); }
        };
    }
}
