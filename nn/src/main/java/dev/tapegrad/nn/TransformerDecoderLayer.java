package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Tensor;
import java.util.Random;

/**
 * One Transformer decoder layer, {@code torch.nn.TransformerDecoderLayer}: self-attention over the target,
 * attention over the encoder's output ({@code memory}) and a feed-forward block, each with a residual connection
 * and layer norm:
 * <pre>
 *   post-norm (default):  x = norm1(x + sa(x));   x = norm2(x + mha(x, memory));   x = norm3(x + ff(x))
 *   pre-norm (normFirst): x = x + sa(norm1(x));   x = x + mha(norm2(x), memory);   x = x + ff(norm3(x))
 *   sa(x)  = dropout1(self_attn(x, x, x, tgtMask, tgtKeyPaddingMask))
 *   mha(x) = dropout2(multihead_attn(x, memory, memory, memoryMask, memoryKeyPaddingMask))
 *   ff(x)  = dropout3(linear2(dropout(activation(linear1(x)))))
 * </pre>
 * Names as PyTorch's ({@code self_attn}, {@code multihead_attn}, {@code linear1}, {@code linear2},
 * {@code norm1..norm3}); layouts and masks as in {@link TransformerEncoderLayer}; {@code memory} has length
 * {@code S}, the target {@code L}.
 */
public final class TransformerDecoderLayer extends TransformerLayer {

    /** PyTorch's defaults: feed-forward 2048, dropout 0.1, ReLU, eps 1e-5, sequence first, post-norm. */
    public TransformerDecoderLayer(int dModel, int nHead, Random random) { this(dModel, nHead, 2048, 0.1, "relu", 1e-5, false, false, random); }

    /** {@code activation} is {@code "relu"} or {@code "gelu"}; {@code dModel} must be a multiple of {@code nHead}. */
    public TransformerDecoderLayer(int dModel, int nHead, int dimFeedforward, double dropout, String activation, double layerNormEps,
                                   boolean batchFirst, boolean normFirst, Random random) {
        super(true, dModel, nHead, dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst, random);
    }

    /**
     * The layer with its own input as the memory, {@code forward(tgt, tgt, null, null, null, null)}, so that it
     * works where only one tensor flows (a {@link Sequential}, {@link Module#summary}); a decoder normally takes
     * the encoder's output through the six-argument form.
     */
    @Override
    public Tensor forward(Tensor tgt) { return forward(tgt, tgt, null, null, null, null); }

    /**
     * The layer: {@code tgtMask} {@code [L, L]} (or {@code [B * nHead, L, L]}), {@code memoryMask} {@code [L, S]}
     * (or {@code [B * nHead, L, S]}), {@code tgtKeyPaddingMask} {@code [B, L]}, {@code memoryKeyPaddingMask}
     * {@code [B, S]}; any mask may be null.
     */
    public Tensor forward(Tensor tgt, Tensor memory, Tensor tgtMask, Tensor memoryMask, Tensor tgtKeyPaddingMask, Tensor memoryKeyPaddingMask) {
        checkInput("tgt", tgt);
        checkInput("memory", memory);
        if (tgt.rank() != memory.rank())
            throw new IllegalArgumentException("TransformerDecoderLayer: tgt " + dev.tapegrad.autodiff.Shape.str(tgt.shape()) + " and memory "
                    + dev.tapegrad.autodiff.Shape.str(memory.shape()) + " must both be batched or both unbatched");
        Tensor x = residual(norm1, tgt, y -> selfAttention(y, tgtMask, tgtKeyPaddingMask, "tgtMask, tgtKeyPaddingMask"));
        x = residual(norm2, x, y -> crossAttention(y, memory, memoryMask, memoryKeyPaddingMask));
        return residual(norm3, x, y -> feedForward(y));
    }
}
