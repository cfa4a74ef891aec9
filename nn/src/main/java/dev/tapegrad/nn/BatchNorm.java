package dev.tapegrad.nn;

import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Normalization;
import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Shape;
import dev.tapegrad.autodiff.Tensor;

/**
 * Batch normalisation per channel (axis 1), the base of {@link BatchNorm1d} and {@link BatchNorm2d}, as
 * PyTorch's {@code _BatchNorm}: {@code y = (x - mean) / sqrt(var + eps) * weight + bias}. In training mode
 * mean and (biased) variance come from the batch over every axis but the channel's, and the running
 * statistics move by {@code running = (1 - momentum) * running + momentum * batch} (the running variance
 * takes the unbiased batch variance); in eval mode the running statistics are used. Training mode runs the fused
 * {@link Normalization#batchNormWithStatistics} (three passes forward, two backward), eval mode the composite
 * {@link Normalization#normalize}. {@code weight} starts
 * at ones, {@code bias} at zeros. The counter {@code num_batches_tracked} counts the training batches, so
 * that PyTorch's state dicts and ours load into each other unchanged.
 */
public abstract class BatchNorm extends Module {
    public final Parameter weight, bias;
    public final Buffer runningMean, runningVar, numBatchesTracked;
    final int features;
    private final double eps, momentum;

    BatchNorm(String layer, int features, double eps, double momentum) {
        if (features <= 0) throw new IllegalArgumentException(layer + ": features " + features + " must be positive");
        if (!(eps > 0) || !(momentum >= 0 && momentum <= 1))
            throw new IllegalArgumentException(layer + ": eps " + eps + " must be positive and momentum " + momentum + " in [0, 1]");
        Checks.fits(layer, new long[] {4, features});   // weight, bias and the running statistics
        this.features = features;
        this.eps = eps;
        this.momentum = momentum;
        weight = param("weight", Tensor.ones(features));
        bias = param("bias", Tensor.zeros(features));
        runningMean = buffer("running_mean", Tensor.zeros(features));
        runningVar = buffer("running_var", Tensor.ones(features));
        numBatchesTracked = counter("num_batches_tracked");
    }

    /** The axes the statistics are taken over, after checking that {@code x} fits this layer. */
    abstract int[] statisticsAxes(Tensor x);

    @Override
    public final Tensor forward(Tensor x) {
        statisticsAxes(Checks.input(getClass().getSimpleName(), "x", x, weight.dtype()));
        if (!isTraining()) return Normalization.normalize(x, runningMean.value().to(x.dtype()), runningVar.value().to(x.dtype()), weight.value(), bias.value(), eps);
        long n = Shape.size(x.shape()) / features;
        if (n < 2) throw new IllegalArgumentException(getClass().getSimpleName() + ": training needs more than one value per channel, got input "
                + Shape.str(x.shape()));
        Tensor[] out = Normalization.batchNormWithStatistics(x, weight.value(), bias.value(), eps);
        try (var pause = GradientTape.pause()) {
            runningMean.set(runningMean.value().mul(1 - momentum).add(out[1].to(runningMean.value().dtype()).mul(momentum)));
            runningVar.set(runningVar.value().mul(1 - momentum).add(out[2].to(runningVar.value().dtype()).mul(momentum * n / (n - 1.0))));
            numBatchesTracked.set(numBatchesTracked.value().add(1));
        }
        return out[0];
    }
}
