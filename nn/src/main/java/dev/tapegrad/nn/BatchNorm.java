package dev.tapegrad.nn;

import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Shape;
import dev.tapegrad.autodiff.Tensor;

/** The batch-norm computation shared by the 1-d and 2-d layers: statistics over {@code axes}, channel axis 1. */
final class BatchNorm {
    private BatchNorm() {}

    static Tensor apply(Tensor x, int[] axes, Module m, Parameter weight, Parameter bias, Buffer runningMean, Buffer runningVar,
                        double eps, double momentum) {
        int[] channel = new int[x.rank()];
        java.util.Arrays.fill(channel, 1);
        channel[1] = x.size(1);
        Tensor mean, var;
        if (m.isTraining()) {
            long n = Shape.size(x.shape()) / x.size(1);
            if (n < 2) throw new IllegalArgumentException(m.getClass().getSimpleName() + ": training needs more than one value per channel, got input "
                    + Shape.str(x.shape()));
            mean = x.sum(axes, true).div(n);
            Tensor c = x.sub(mean);
            var = c.mul(c).sum(axes, true).div(n);
            try (var pause = GradientTape.pause()) {
                runningMean.set(runningMean.value().mul(1 - momentum).add(mean.detach().reshape(-1).to(runningMean.value().dtype()).mul(momentum)));
                runningVar.set(runningVar.value().mul(1 - momentum).add(var.detach().reshape(-1).to(runningVar.value().dtype()).mul(momentum * n / (n - 1.0))));
            }
        } else {
            mean = runningMean.value().to(x.dtype()).reshape(channel);
            var = runningVar.value().to(x.dtype()).reshape(channel);
        }
        return x.sub(mean).div(var.add(eps).sqrt()).mul(weight.value().reshape(channel)).add(bias.value().reshape(channel));
    }
}
