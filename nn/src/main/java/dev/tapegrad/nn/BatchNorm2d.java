package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Shape;
import dev.tapegrad.autodiff.Tensor;

/**
 * Batch normalisation of {@code [N, C, H, W]} over N, H and W per channel ({@code torch.nn.BatchNorm2d});
 * see {@link BatchNorm}. Defaults: eps 1e-5, momentum 0.1.
 */
public final class BatchNorm2d extends BatchNorm {
    public BatchNorm2d(int features) { this(features, 1e-5, 0.1); }

    public BatchNorm2d(int features, double eps, double momentum) { super("BatchNorm2d", features, eps, momentum); }

    @Override
    int[] statisticsAxes(Tensor x) {
        if (x.rank() != 4 || x.size(1) != features)
            throw new IllegalArgumentException("BatchNorm2d: expected input [N, " + features + ", H, W], got " + Shape.str(x.shape()));
        return new int[] {0, 2, 3};
    }
}
