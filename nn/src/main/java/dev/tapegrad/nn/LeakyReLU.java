package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Tensor;

/** {@code x} where positive, else {@code slope * x} (default slope 0.01, as {@code torch.nn.LeakyReLU}). */
public final class LeakyReLU extends Module {
    private final double slope;

    public LeakyReLU() { this(0.01); }

    public LeakyReLU(double slope) { this.slope = slope; }

    @Override
    public Tensor forward(Tensor x) { return Checks.input("LeakyReLU", "x", x).leakyRelu(slope); }
}
