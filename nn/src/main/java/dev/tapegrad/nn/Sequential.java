package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Tensor;
import java.util.List;

/** Applies its layers in order; they are named {@code 0, 1, 2, ...} as in PyTorch. */
public final class Sequential extends Module {
    private final Module[] layers;

    public Sequential(Module... layers) {
        this.layers = java.util.Objects.requireNonNull(layers, "Sequential: layers is null").clone();
        for (int i = 0; i < layers.length; i++)
            if (layers[i] == null) throw new NullPointerException("Sequential: layer " + i + " of " + layers.length + " is null");
        for (int i = 0; i < layers.length; i++) child(Integer.toString(i), layers[i]);
    }

    /** The layer at position {@code i}. */
    public Module get(int i) { return layers[Checks.index("Sequential.get", i, layers.length)]; }

    public int size() { return layers.length; }

    @Override
    public Tensor forward(Tensor x) {
        Checks.input("Sequential", "x", x);
        for (Module m : layers) x = m.forward(x);
        return x;
    }

    @Override
    Tensor summarize(String name, Tensor x, List<String[]> rows) {
        for (int i = 0; i < layers.length; i++) x = layers[i].summarize(name.isEmpty() ? Integer.toString(i) : name + "." + i, x, rows);
        return x;
    }
}
