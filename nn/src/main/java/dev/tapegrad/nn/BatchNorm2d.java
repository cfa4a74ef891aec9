package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Shape;
import dev.tapegrad.autodiff.Tensor;

/**
 * Batch normalisation of {@code [N, C, H, W]} over N, H and W per channel ({@code torch.nn.BatchNorm2d});
 * the same statistics, running averages and modes as {@link BatchNorm1d}. Defaults: eps 1e-5, momentum 0.1.
 */
public final class BatchNorm2d extends Module {
    public final Parameter weight, bias;
    public final Buffer runningMean, runningVar;
    private final int features;
    private final double eps, momentum;

    public BatchNorm2d(int features) { this(features, 1e-5, 0.1); }

    public BatchNorm2d(int features, double eps, double momentum) {
        if (features <= 0) throw new IllegalArgumentException("BatchNorm2d: features " + features + " must be positive");
        this.features = features;
        this.eps = eps;
        this.momentum = momentum;
        weight = param("weight", Tensor.ones(features));
        bias = param("bias", Tensor.zeros(features));
        runningMean = buffer("running_mean", Tensor.zeros(features));
        runningVar = buffer("running_var", Tensor.ones(features));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4 || x.size(1) != features)
            throw new IllegalArgumentException("BatchNorm2d: expected input [N, " + features + ", H, W], got " + Shape.str(x.shape()));
        return BatchNorm.apply(x, new int[] {0, 2, 3}, this, weight, bias, runningMean, runningVar, eps, momentum);
    }
}
