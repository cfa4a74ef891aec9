package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Tensor;
import java.util.List;
import java.util.function.Supplier;

/**
 * A stack of {@link TransformerDecoderLayer}s with an optional final {@link LayerNorm}, as
 * {@code torch.nn.TransformerDecoder}: every layer attends to the same {@code memory}, then {@code norm}. Names
 * as PyTorch's ({@code layers.0.multihead_attn.in_proj_weight}, ..., {@code norm.weight}); each layer has its own
 * initialisation (see {@link TransformerEncoder}).
 */
public final class TransformerDecoder extends Module {
    private final TransformerDecoderLayer[] layers;
    private final Sequential stack;
    /** The final normalisation, or null. */
    public final LayerNorm norm;

    /** {@code numLayers} layers from {@code layer}; {@code norm} may be null. */
    public TransformerDecoder(Supplier<TransformerDecoderLayer> layer, int numLayers, LayerNorm norm) {
        if (numLayers <= 0) throw new IllegalArgumentException("TransformerDecoder: numLayers " + numLayers + " must be positive");
        layers = new TransformerDecoderLayer[numLayers];
        for (int i = 0; i < numLayers; i++) layers[i] = layer.get();
        stack = child("layers", new Sequential(layers));
        this.norm = norm == null ? null : child("norm", norm);
    }

    /** Layer {@code i}. */
    public TransformerDecoderLayer layer(int i) { return layers[i]; }

    /** The stack with its own input as the memory (see {@link TransformerDecoderLayer#forward(Tensor)}). */
    @Override
    public Tensor forward(Tensor tgt) { return forward(tgt, tgt, null, null, null, null); }

    /** The stack; the masks (any may be null) are given to every layer, as {@link TransformerDecoderLayer}'s six-argument form. */
    public Tensor forward(Tensor tgt, Tensor memory, Tensor tgtMask, Tensor memoryMask, Tensor tgtKeyPaddingMask, Tensor memoryKeyPaddingMask) {
        return forward(Weights.CURRENT, tgt, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask);
    }

    Tensor forward(Weights w, Tensor tgt, Tensor memory, Tensor tgtMask, Tensor memoryMask, Tensor tgtKeyPaddingMask, Tensor memoryKeyPaddingMask) {
        Tensor x = tgt;
        for (TransformerDecoderLayer l : layers) x = l.forward(w, x, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask);
        return norm == null ? x : norm.forward(x, w);
    }

    @Override
    Tensor summarize(String name, Tensor x, List<String[]> rows) { return TransformerLayer.summarizeStack(name, stack, norm, x, rows); }
}
