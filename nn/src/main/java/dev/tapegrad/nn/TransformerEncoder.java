package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Tensor;
import java.util.List;
import java.util.function.Supplier;

/**
 * A stack of {@link TransformerEncoderLayer}s with an optional final {@link LayerNorm}, as
 * {@code torch.nn.TransformerEncoder}: {@code x = layer_N(...layer_1(src, mask, keyPaddingMask)...)}, then
 * {@code norm(x)}. Names as PyTorch's: {@code layers.0.self_attn.in_proj_weight}, ..., {@code norm.weight}.
 * Unlike PyTorch, which deep-copies one layer (so every layer starts with the same weights), each layer comes
 * from its own call of the supplier and has its own initialisation; the state dict is the same either way.
 */
public final class TransformerEncoder extends Module {
    private final TransformerEncoderLayer[] layers;
    private final Sequential stack;
    /** The final normalisation, or null. */
    public final LayerNorm norm;

    /** {@code numLayers} layers from {@code layer}; {@code norm} may be null. */
    public TransformerEncoder(Supplier<TransformerEncoderLayer> layer, int numLayers, LayerNorm norm) {
        if (numLayers <= 0) throw new IllegalArgumentException("TransformerEncoder: numLayers " + numLayers + " must be positive");
        layers = new TransformerEncoderLayer[numLayers];
        for (int i = 0; i < numLayers; i++) layers[i] = layer.get();
        stack = child("layers", new Sequential(layers));
        this.norm = norm == null ? null : child("norm", norm);
    }

    /** Layer {@code i}. */
    public TransformerEncoderLayer layer(int i) { return layers[i]; }

    @Override
    public Tensor forward(Tensor src) { return forward(src, null, null); }

    /** The stack with masks (as {@link TransformerEncoderLayer#forward(Tensor, Tensor, Tensor)}) given to every layer. */
    public Tensor forward(Tensor src, Tensor mask, Tensor srcKeyPaddingMask) { return forward(Weights.CURRENT, src, mask, srcKeyPaddingMask); }

    Tensor forward(Weights w, Tensor src, Tensor mask, Tensor srcKeyPaddingMask) {
        Tensor x = src;
        for (TransformerEncoderLayer l : layers) x = l.forward(w, x, mask, srcKeyPaddingMask);
        return norm == null ? x : norm.forward(x, w);
    }

    @Override
    Tensor summarize(String name, Tensor x, List<String[]> rows) { return TransformerLayer.summarizeStack(name, stack, norm, x, rows); }
}
