package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Tensor;

/** Softmax over {@code axis} (default the last), as {@code torch.nn.Softmax(dim)}. */
public final class Softmax extends Module {
    private final int axis;

    public Softmax() { this(-1); }

    public Softmax(int axis) { this.axis = axis; }

    @Override
    public Tensor forward(Tensor x) { return Checks.input("Softmax", "x", x).softmax(axis); }
}
