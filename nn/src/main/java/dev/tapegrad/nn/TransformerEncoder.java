package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Tensor;
import java.util.function.Supplier;

/**
 * A stack of {@link TransformerEncoderLayer}s with an optional final {@link LayerNorm}, as
 * {@code torch.nn.TransformerEncoder}: {@code x = layer_N(...layer_1(src, mask, keyPaddingMask)...)}, then
 * {@code norm(x)}. Names as PyTorch's: {@code layers.0.self_attn.in_proj_weight}, ..., {@code norm.weight}.
 * Unlike PyTorch, which deep-copies one layer (so every layer starts with the same weights), each layer comes
 * from its own call of the supplier and has its own initialisation; the state dict is the same either way.
 */
public final class TransformerEncoder extends TransformerStack<TransformerEncoderLayer> {

    /** {@code numLayers} layers from {@code layer}; {@code norm} may be null. */
    public TransformerEncoder(Supplier<TransformerEncoderLayer> layer, int numLayers, LayerNorm norm) { super(layer, numLayers, norm); }

    @Override
    public Tensor forward(Tensor src) { return forward(src, null, null); }

    /** The stack with masks (as {@link TransformerEncoderLayer#forward(Tensor, Tensor, Tensor)}) given to every layer. */
    public Tensor forward(Tensor src, Tensor mask, Tensor srcKeyPaddingMask) {
        Tensor x = src;
        for (TransformerEncoderLayer l : layers) x = l.forward(x, mask, srcKeyPaddingMask);
        return normed(x);
    }
}
