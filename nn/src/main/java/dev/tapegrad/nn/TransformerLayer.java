package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Shape;
import dev.tapegrad.autodiff.Tensor;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * What {@link TransformerEncoderLayer} and {@link TransformerDecoderLayer} share: the sub-modules under PyTorch's
 * names (registered in PyTorch's order, so state dicts match), the residual wiring (post-norm
 * {@code norm(x + block(x))} or pre-norm {@code x + block(norm(x))}) and the blocks themselves.
 */
abstract sealed class TransformerLayer extends Module permits TransformerEncoderLayer, TransformerDecoderLayer {
    /** Self-attention over the layer's input. */
    public final MultiheadAttention selfAttn;
    /** The decoder's attention over the memory; null in an encoder layer. */
    public final MultiheadAttention multiheadAttn;
    /** The feed-forward block: {@code linear1} {@code dModel -> dimFeedforward}, {@code linear2} back. */
    public final Linear linear1, linear2;
    /** {@code norm3} exists in decoder layers only. */
    public final LayerNorm norm1, norm2, norm3;
    private final Dropout dropout, dropout1, dropout2, dropout3;
    private final UnaryOperator<Tensor> activation;
    private final boolean normFirst;
    final int dModel;

    TransformerLayer(boolean decoder, int dModel, int nHead, int dimFeedforward, double dropout, String activation, double layerNormEps,
                     boolean batchFirst, boolean normFirst, Random random) {
        String name = getClass().getSimpleName();
        if (dModel <= 0 || nHead <= 0 || dModel % nHead != 0)
            throw new IllegalArgumentException(name + ": dModel " + dModel + " must be a positive multiple of nHead " + nHead);
        if (dimFeedforward <= 0) throw new IllegalArgumentException(name + ": dimFeedforward " + dimFeedforward + " must be positive");
        this.activation = switch (String.valueOf(activation)) {
            case "relu" -> Tensor::relu;
            case "gelu" -> Tensor::gelu;
            default -> throw new IllegalArgumentException(name + ": activation '" + activation + "' must be \"relu\" or \"gelu\"");
        };
        this.dModel = dModel;
        this.normFirst = normFirst;
        selfAttn = child("self_attn", new MultiheadAttention(dModel, nHead, dropout, true, batchFirst, random));
        multiheadAttn = decoder ? child("multihead_attn", new MultiheadAttention(dModel, nHead, dropout, true, batchFirst, random)) : null;
        linear1 = child("linear1", new Linear(dModel, dimFeedforward, random));
        this.dropout = child("dropout", new Dropout(dropout, random));
        linear2 = child("linear2", new Linear(dimFeedforward, dModel, random));
        norm1 = child("norm1", new LayerNorm(layerNormEps, dModel));
        norm2 = child("norm2", new LayerNorm(layerNormEps, dModel));
        norm3 = decoder ? child("norm3", new LayerNorm(layerNormEps, dModel)) : null;
        dropout1 = child("dropout1", new Dropout(dropout, random));
        dropout2 = child("dropout2", new Dropout(dropout, random));
        dropout3 = decoder ? child("dropout3", new Dropout(dropout, random)) : null;
    }

    /** {@code x + block(norm(x))} with {@code normFirst}, otherwise {@code norm(x + block(x))}. */
    final Tensor residual(LayerNorm norm, Tensor x, UnaryOperator<Tensor> block) {
        return normFirst ? x.add(block.apply(norm.forward(x))) : norm.forward(x.add(block.apply(x)));
    }

    /** {@code dropout1(self_attn(x, x, x))}; {@code masks} names the caller's mask arguments for messages. */
    final Tensor selfAttention(Tensor x, Tensor mask, Tensor keyPaddingMask, String masks) {
        return dropout1.forward(attend(selfAttn, "self_attn", masks, x, x, mask, keyPaddingMask));
    }

    /** {@code dropout2(multihead_attn(x, memory, memory))}. */
    final Tensor crossAttention(Tensor x, Tensor memory, Tensor mask, Tensor keyPaddingMask) {
        return dropout2.forward(attend(multiheadAttn, "multihead_attn", "memoryMask, memoryKeyPaddingMask", x, memory, mask, keyPaddingMask));
    }

    /** {@code linear2(dropout(activation(linear1(x))))}, then the layer's last dropout. */
    final Tensor feedForward(Tensor x) {
        Tensor y = linear2.forward(dropout.forward(activation.apply(linear1.forward(x))));
        return (dropout3 != null ? dropout3 : dropout2).forward(y);
    }

    private Tensor attend(MultiheadAttention m, String sub, String masks, Tensor x, Tensor kv, Tensor mask, Tensor keyPaddingMask) {
        try {
            return m.attend(x, kv, kv, mask, keyPaddingMask, false).output();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": " + sub + " (masks " + masks + "): " + e.getMessage(), e);
        }
    }

    /** Checks that {@code x} is {@code [B, L, dModel]}, {@code [L, B, dModel]} or unbatched {@code [L, dModel]}. */
    final void checkInput(String argument, Tensor x) {
        Checks.input(getClass().getSimpleName(), argument, x);
        if ((x.rank() != 2 && x.rank() != 3) || x.size(-1) != dModel)
            throw new IllegalArgumentException(getClass().getSimpleName() + ": " + argument + " must be [B, L, " + dModel + "], [L, B, " + dModel
                    + "] or unbatched [L, " + dModel + "], got " + argument + " " + Shape.str(x.shape()));
    }
}
