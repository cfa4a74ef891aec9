package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Tensor;

/** Merges every axis after the batch axis, {@code [N, d1, d2, ...] -> [N, d1*d2*...]} (as {@code torch.nn.Flatten}). */
public final class Flatten extends Module {
    @Override
    public Tensor forward(Tensor x) { return Checks.input("Flatten", "x", x).rank() <= 1 ? x : x.flatten(1, -1); }
}
