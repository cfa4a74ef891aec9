package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Tensor;
import java.util.List;
import java.util.function.Supplier;

/**
 * What {@link TransformerEncoder} and {@link TransformerDecoder} share: {@code numLayers} layers under
 * {@code layers.0}, {@code layers.1}, ... and an optional final norm under {@code norm}, as PyTorch names them.
 */
abstract sealed class TransformerStack<L extends TransformerLayer> extends Module permits TransformerEncoder, TransformerDecoder {
    final List<L> layers;
    private final Sequential stack;
    /** The final normalisation, or null. */
    public final LayerNorm norm;

    TransformerStack(Supplier<L> layer, int numLayers, LayerNorm norm) {
        String name = getClass().getSimpleName();
        if (numLayers <= 0) throw new IllegalArgumentException(name + ": numLayers " + numLayers + " must be positive");
        java.util.Objects.requireNonNull(layer, () -> name + ": layer is null");
        List<L> ls = new java.util.ArrayList<>();
        for (int i = 0; i < numLayers; i++) {
            ls.add(java.util.Objects.requireNonNull(layer.get(), () -> name + ": the layer supplier returned null"));
            if (i == 0) Checks.fits(name, new long[] {numLayers, ls.get(0).parameterCount()});
        }
        layers = List.copyOf(ls);
        stack = child("layers", new Sequential(layers.toArray(Module[]::new)));
        this.norm = norm == null ? null : child("norm", norm);
    }

    /** Layer {@code i}. */
    public final L layer(int i) { return layers.get(Checks.index(getClass().getSimpleName() + ".layer", i, layers.size())); }

    /** The number of layers. */
    public final int numLayers() { return layers.size(); }

    /** {@code norm(x)}, or {@code x} without a final norm. */
    final Tensor normed(Tensor x) { return norm == null ? x : norm.forward(x); }

    /** The summary rows of the layers ({@code layers.0}, ...), then of the final norm. */
    @Override
    final Tensor summarize(String name, Tensor x, List<String[]> rows) {
        String prefix = name.isEmpty() ? "" : name + ".";
        Tensor y = stack.summarize(prefix + "layers", x, rows);
        return norm == null ? y : norm.summarize(prefix + "norm", y, rows);
    }
}
