package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Tensor;

/** {@code tanh(x)}, elementwise (as {@code torch.nn.Tanh}). */
public final class Tanh extends Module {
    @Override
    public Tensor forward(Tensor x) { return Checks.input("Tanh", "x", x).tanh(); }
}
