package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Tensor;
import java.util.List;

/** Applies its layers in order; they are named {@code 0, 1, 2, ...} as in PyTorch. */
public final class Sequential extends Module {
    private final Module[] layers;

    public Sequential(Module... layers) {
        this.layers = layers.clone();
        for (int i = 0; i < layers.length; i++) child(Integer.toString(i), layers[i]);
    }

    /** The layer at position {@code i}. */
    public Module get(int i) { return layers[i]; }

    public int size() { return layers.length; }

    @Override
    public Tensor forward(Tensor x) {
        for (Module m : layers) x = m.forward(x);
        return x;
    }

    @Override
    Tensor summarize(String name, Tensor x, List<String[]> rows) {
        for (int i = 0; i < layers.length; i++) x = layers[i].summarize(name.isEmpty() ? Integer.toString(i) : name + "." + i, x, rows);
        return x;
    }
}
