package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Shape;
import dev.tapegrad.autodiff.Tensor;

/**
 * Batch normalisation of {@code [N, C]} or {@code [N, C, L]} input over N (and L) per channel
 * ({@code torch.nn.BatchNorm1d}); see {@link BatchNorm}. Defaults: eps 1e-5, momentum 0.1.
 */
public final class BatchNorm1d extends BatchNorm {
    public BatchNorm1d(int features) { this(features, 1e-5, 0.1); }

    public BatchNorm1d(int features, double eps, double momentum) { super("BatchNorm1d", features, eps, momentum); }

    @Override
    int[] statisticsAxes(Tensor x) {
        if ((x.rank() != 2 && x.rank() != 3) || x.size(1) != features)
            throw new IllegalArgumentException("BatchNorm1d: expected input [N, " + features + "] or [N, " + features + ", L], got " + Shape.str(x.shape()));
        return x.rank() == 2 ? new int[] {0} : new int[] {0, 2};
    }
}
