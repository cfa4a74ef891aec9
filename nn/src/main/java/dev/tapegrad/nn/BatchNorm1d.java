package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Shape;
import dev.tapegrad.autodiff.Tensor;

/**
 * Batch normalisation over the batch (and length) axes of {@code [N, C]} or {@code [N, C, L]} input, as
 * {@code torch.nn.BatchNorm1d}: {@code y = (x - mean) / sqrt(var + eps) * weight + bias}. In training mode
 * mean and (biased) variance come from the batch, and the running statistics move by
 * {@code running = (1 - momentum) * running + momentum * batch} (the running variance takes the unbiased
 * batch variance); in eval mode the running statistics are used. Defaults: eps 1e-5, momentum 0.1.
 */
public final class BatchNorm1d extends Module {
    public final Parameter weight, bias;
    public final Buffer runningMean, runningVar;
    private final int features;
    private final double eps, momentum;

    public BatchNorm1d(int features) { this(features, 1e-5, 0.1); }

    public BatchNorm1d(int features, double eps, double momentum) {
        if (features <= 0) throw new IllegalArgumentException("BatchNorm1d: features " + features + " must be positive");
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
        if ((x.rank() != 2 && x.rank() != 3) || x.size(1) != features)
            throw new IllegalArgumentException("BatchNorm1d: expected input [N, " + features + "] or [N, " + features + ", L], got " + Shape.str(x.shape()));
        return BatchNorm.apply(x, x.rank() == 2 ? new int[] {0} : new int[] {0, 2}, this, weight, bias, runningMean, runningVar, eps, momentum);
    }
}
