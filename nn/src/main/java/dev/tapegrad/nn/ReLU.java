package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Tensor;

/** {@code max(x, 0)}, elementwise (as {@code torch.nn.ReLU}). */
public final class ReLU extends Module {
    @Override
    public Tensor forward(Tensor x) { return Checks.input("ReLU", "x", x).relu(); }
}
