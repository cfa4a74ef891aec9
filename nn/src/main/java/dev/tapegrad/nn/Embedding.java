package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Shape;
import dev.tapegrad.autodiff.Tensor;

/**
 * A lookup table of {@code num} vectors of size {@code dim} ({@code torch.nn.Embedding}): an index tensor
 * of any shape {@code S} (integral values in {@code [0, num)}) gives {@code [S..., dim]}. The weight starts
 * as {@code N(0, 1)}.
 */
public final class Embedding extends Module {
    public final Parameter weight;
    private final int num;

    public Embedding(int num, int dim, java.util.Random random) {
        if (num <= 0 || dim <= 0) throw new IllegalArgumentException("Embedding: num " + num + " and dim " + dim + " must be positive");
        Checks.fits("Embedding", new long[] {num, dim});
        this.num = num;
        weight = param("weight", Init.normal(random, 0, 1, num, dim));
    }

    @Override
    public Tensor forward(Tensor indices) {
        int[] idx = Checks.integers("Embedding", "indices", Checks.input("Embedding", "indices", indices));
        for (int i = 0; i < idx.length; i++)
            if (idx[i] < 0 || idx[i] >= num)
                throw new IllegalArgumentException("Embedding: index " + idx[i] + " at position " + i + " of " + Shape.str(indices.shape())
                        + " is not in [0, " + num + ")");
        int[] s = indices.shape(), out = java.util.Arrays.copyOf(s, s.length + 1);
        out[s.length] = weight.shape()[1];
        return weight.value().indexSelect(0, idx).reshape(out);
    }
}
