package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Tensor;

/** {@code 1 / (1 + exp(-x))}, elementwise (as {@code torch.nn.Sigmoid}). */
public final class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor x) { return Checks.input("Sigmoid", "x", x).sigmoid(); }
}
