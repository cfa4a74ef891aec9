package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Tensor;

/** {@code x Phi(x), the exact erf form}, elementwise (as {@code torch.nn.GELU}). */
public final class GELU extends Module {
    @Override
    public Tensor forward(Tensor x) { return Checks.input("GELU", "x", x).gelu(); }
}
