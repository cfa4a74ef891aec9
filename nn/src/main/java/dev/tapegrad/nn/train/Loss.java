package dev.tapegrad.nn.train;

import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.Losses;

/** A training objective of a model's output and a batch's targets, a scalar tensor. */
@FunctionalInterface
public interface Loss {
    Tensor apply(Tensor output, Tensor target);

    /** Cross entropy of logits {@code [B, C]} against class indices {@code [B]}. */
    static Loss crossEntropy() { return (out, t) -> Losses.crossEntropy(out, Metrics.labels(t)); }

    /** Mean squared error. */
    static Loss mse() { return (out, t) -> Losses.mse(out, t.to(out.dtype())); }

    /** Binary cross entropy of logits against 0/1 targets of the output's shape. */
    static Loss bceWithLogits() { return (out, t) -> Losses.bceWithLogits(out, t.to(out.dtype())); }
}
