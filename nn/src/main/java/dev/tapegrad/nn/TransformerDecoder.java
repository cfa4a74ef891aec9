package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Tensor;
import java.util.function.Supplier;

/**
 * A stack of {@link TransformerDecoderLayer}s with an optional final {@link LayerNorm}, as
 * {@code torch.nn.TransformerDecoder}: every layer attends to the same {@code memory}, then {@code norm}. Names
 * as PyTorch's ({@code layers.0.multihead_attn.in_proj_weight}, ..., {@code norm.weight}); each layer has its own
 * initialisation (see {@link TransformerEncoder}).
 */
public final class TransformerDecoder extends TransformerStack<TransformerDecoderLayer> {

    /** {@code numLayers} layers from {@code layer}; {@code norm} may be null. */
    public TransformerDecoder(Supplier<TransformerDecoderLayer> layer, int numLayers, LayerNorm norm) { super(layer, numLayers, norm); }

    /** The stack with its own input as the memory (see {@link TransformerDecoderLayer#forward(Tensor)}). */
    @Override
    public Tensor forward(Tensor tgt) { return forward(tgt, tgt, null, null, null, null); }

    /** The stack; the masks (any may be null) are given to every layer, as {@link TransformerDecoderLayer}'s six-argument form. */
    public Tensor forward(Tensor tgt, Tensor memory, Tensor tgtMask, Tensor memoryMask, Tensor tgtKeyPaddingMask, Tensor memoryKeyPaddingMask) {
        Tensor x = tgt;
        for (TransformerDecoderLayer l : layers) x = l.forward(x, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask);
        return normed(x);
    }
}
