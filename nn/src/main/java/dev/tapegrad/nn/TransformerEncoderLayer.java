package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Tensor;
import java.util.Random;

/**
 * One Transformer encoder layer, {@code torch.nn.TransformerEncoderLayer}: self-attention and a feed-forward
 * block, each with a residual connection and layer norm:
 * <pre>
 *   post-norm (default):  x = norm1(x + sa(x));        x = norm2(x + ff(x))
 *   pre-norm (normFirst): x = x + sa(norm1(x));        x = x + ff(norm2(x))
 *   sa(x) = dropout1(self_attn(x, x, x, srcMask, srcKeyPaddingMask))
 *   ff(x) = dropout2(linear2(dropout(activation(linear1(x)))))
 * </pre>
 * Sub-modules and parameters carry PyTorch's names ({@code self_attn.in_proj_weight}, {@code linear1.weight},
 * {@code norm1.bias}, ...), so a PyTorch state dict loads unchanged. {@code src} is {@code [B, L, dModel]} with
 * {@code batchFirst}, {@code [L, B, dModel]} otherwise, or unbatched {@code [L, dModel]}; masks as in
 * {@link MultiheadAttention} (additive: 0 keeps, {@code -inf} drops).
 */
public final class TransformerEncoderLayer extends TransformerLayer {

    /** PyTorch's defaults: feed-forward 2048, dropout 0.1, ReLU, eps 1e-5, sequence first, post-norm. */
    public TransformerEncoderLayer(int dModel, int nHead, Random random) { this(dModel, nHead, 2048, 0.1, "relu", 1e-5, false, false, random); }

    /** {@code activation} is {@code "relu"} or {@code "gelu"}; {@code dModel} must be a multiple of {@code nHead}. */
    public TransformerEncoderLayer(int dModel, int nHead, int dimFeedforward, double dropout, String activation, double layerNormEps,
                                   boolean batchFirst, boolean normFirst, Random random) {
        super(false, dModel, nHead, dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst, random);
    }

    /** The layer without masks. */
    @Override
    public Tensor forward(Tensor src) { return forward(src, null, null); }

    /** The layer with an attention mask {@code [L, L]} or {@code [B * nHead, L, L]} and a key padding mask {@code [B, L]}; either may be null. */
    public Tensor forward(Tensor src, Tensor srcMask, Tensor srcKeyPaddingMask) {
        checkInput("src", src);
        Tensor x = residual(norm1, src, y -> selfAttention(y, srcMask, srcKeyPaddingMask, "srcMask, srcKeyPaddingMask"));
        return residual(norm2, x, y -> feedForward(y));
    }
}
