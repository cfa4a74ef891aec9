package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Tensor;
import java.util.Random;

/**
 * Learned absolute positions, as GPT-2/nanoGPT's {@code wpe = nn.Embedding(maxLen, dModel)} added to the token
 * embeddings: {@code x + weight[:L]} for an input {@code [B, L, dModel]} ({@code batchFirst}), {@code [L, B, dModel]}
 * or unbatched {@code [L, dModel]}, {@code L <= maxLen}. The parameter {@code weight [maxLen, dModel]} starts as
 * {@link Embedding}'s ({@code N(0, 1)}), so an {@code nn.Embedding} state dict loads into it.
 */
public final class LearnedPositionalEncoding extends Module {
    /** {@code weight [maxLen, dModel]}: row {@code p} is added at position {@code p}. */
    public final Parameter weight;
    private final boolean batchFirst;

    /** {@code maxLen} learned position vectors of {@code dModel} features, drawn from {@code random}. */
    public LearnedPositionalEncoding(int maxLen, int dModel, boolean batchFirst, Random random) {
        if (dModel <= 0 || maxLen <= 0)
            throw new IllegalArgumentException("LearnedPositionalEncoding: maxLen " + maxLen + " and dModel " + dModel + " must be positive");
        Checks.fits("LearnedPositionalEncoding", new long[] {maxLen, dModel});
        this.batchFirst = batchFirst;
        weight = param("weight", Init.normal(random, 0, 1, maxLen, dModel));
    }

    @Override
    public Tensor forward(Tensor x) {
        return Positions.add("LearnedPositionalEncoding", x, weight.value(), batchFirst);
    }
}
