package dev.tapegrad.nn;

import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Shape;
import dev.tapegrad.autodiff.Tensor;
import java.util.Arrays;
import java.util.Objects;

/**
 * Loss functions with PyTorch's definitions ({@code torch.nn.functional}), built from tensor operations.
 * Each takes a {@link Reduction}; the default is {@code MEAN}.
 */
public final class Losses {
    private Losses() {}

    /** How per-element losses are combined. {@code BATCH_MEAN} divides the sum by the batch size (for {@link #klDiv}). */
    public enum Reduction { MEAN, SUM, NONE, BATCH_MEAN }

    /** Mean squared error {@code mean((pred - target)^2)}; the shapes must be equal. */
    public static Tensor mse(Tensor pred, Tensor target) { return mse(pred, target, Reduction.MEAN); }

    public static Tensor mse(Tensor pred, Tensor target, Reduction r) {
        sameShape("mse", pred, target);
        return reduce("mse", pred.sub(target).square(), r);
    }

    /** Cross entropy of logits {@code [N, C]} against class labels, {@code mean_i -log softmax(x_i)[y_i]}. */
    public static Tensor crossEntropy(Tensor logits, int[] labels) { return crossEntropy(logits, labels, 0, null, Reduction.MEAN); }

    /** {@link #crossEntropy(Tensor, int[])} with the labels held as integral values in a tensor {@code [N]} (as {@code F.cross_entropy}). */
    public static Tensor crossEntropy(Tensor logits, Tensor labels) {
        Objects.requireNonNull(labels, "crossEntropy: labels is null");
        if (labels.rank() != 1) throw new IllegalArgumentException("crossEntropy: labels " + Shape.str(labels.shape()) + " must be [N]");
        return crossEntropy(logits, Checks.integers("crossEntropy", "labels", labels));
    }

    /**
     * Cross entropy with label smoothing {@code eps} and optional class weights {@code w} (length C, or null):
     * {@code loss_i = (1 - eps) * (-w[y_i] * lsm_i[y_i]) + eps / C * sum_c(-w[c] * lsm_i[c])}, with
     * {@code lsm = logSoftmax(logits)}. {@code MEAN} divides the sum by {@code sum_i w[y_i]} (by N without weights).
     */
    public static Tensor crossEntropy(Tensor logits, int[] labels, double labelSmoothing, double[] classWeights, Reduction r) {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
            throw new IllegalArgumentException("crossEntropy: label smoothing " + labelSmoothing + " must be in [0, 1]");
        Tensor lsm = checkLogits("crossEntropy", logits, labels).logSoftmax(1);
        return weightedNll("crossEntropy", lsm, labels, labelSmoothing, classWeights, r);
    }

    /** Negative log-likelihood of log-probabilities {@code [N, C]}: {@code mean_i -logProbs[i, y_i]}. */
    public static Tensor nll(Tensor logProbs, int[] labels) { return nll(logProbs, labels, null, Reduction.MEAN); }

    public static Tensor nll(Tensor logProbs, int[] labels, double[] classWeights, Reduction r) {
        return weightedNll("nll", checkLogits("nll", logProbs, labels), labels, 0, classWeights, r);
    }

    private static Tensor weightedNll(String op, Tensor lsm, int[] labels, double eps, double[] weights, Reduction r) {
        int n = lsm.size(0), c = lsm.size(1);
        double[] idx = new double[n];
        for (int i = 0; i < n; i++) idx[i] = labels[i];
        Tensor index = Tensor.of(idx, n, 1);
        Tensor w = null, wy;
        if (weights != null) {
            if (weights.length != c) throw new IllegalArgumentException(op + ": " + weights.length + " class weights for " + c + " classes");
            w = Tensor.of(weights).to(lsm.dtype());
            wy = w.indexSelect(0, labels);
        } else {
            wy = Tensor.ones(lsm.dtype(), n);
        }
        Tensor loss = lsm.gather(1, index).reshape(n).mul(wy).neg();
        if (eps > 0) {
            Tensor smooth = (w == null ? lsm : lsm.mul(w)).sum(1, false).neg();
            loss = loss.mul(1 - eps).add(smooth.mul(eps / c));
        }
        if (r == Reduction.MEAN) return loss.sum().div(wy.sum());
        return reduce(op, loss, r);
    }

    private static Tensor checkLogits(String op, Tensor x, int[] labels) {
        Objects.requireNonNull(x, () -> op + ": input is null");
        Objects.requireNonNull(labels, () -> op + ": labels is null");
        if (x.rank() != 2) throw new IllegalArgumentException(op + ": expected input [N, C], got " + Shape.str(x.shape()));
        if (labels.length != x.size(0))
            throw new IllegalArgumentException(op + ": " + labels.length + " labels for input " + Shape.str(x.shape()));
        for (int i = 0; i < labels.length; i++)
            if (labels[i] < 0 || labels[i] >= x.size(1))
                throw new IllegalArgumentException(op + ": label " + labels[i] + " at position " + i + " is out of range for " + x.size(1) + " classes");
        return x;
    }

    /** Binary cross entropy of probabilities: {@code -(t log p + (1 - t) log(1 - p))}, each log clamped at -100 as in PyTorch. */
    public static Tensor binaryCrossEntropy(Tensor probs, Tensor targets) { return binaryCrossEntropy(probs, targets, Reduction.MEAN); }

    public static Tensor binaryCrossEntropy(Tensor probs, Tensor targets, Reduction r) {
        sameShape("binaryCrossEntropy", probs, targets);
        double[] p = probs.toDoubleArray();
        for (int i = 0; i < p.length; i++)
            if (!(p[i] >= 0 && p[i] <= 1))
                throw new IllegalArgumentException("binaryCrossEntropy: probability " + p[i] + " at position " + i + " of " + Shape.str(probs.shape())
                        + " is outside [0, 1] (for logits use bceWithLogits)");
        Tensor logP = clampedLog(probs), log1mP = clampedLog(probs.neg().add(1));
        return reduce("binaryCrossEntropy", targets.mul(logP).add(targets.neg().add(1).mul(log1mP)).neg(), r);
    }

    /**
     * {@code max(log x, -100)} as PyTorch clamps the logs of binary cross entropy, with a finite gradient (0)
     * where {@code x} is exactly 0: the log only ever sees {@code x} where it is positive (1 elsewhere), since a
     * zero gradient times the infinite derivative of log at 0 would be NaN.
     */
    private static Tensor clampedLog(Tensor x) {
        Tensor positive = x.gt(0);
        return Tensor.where(positive, Tensor.where(positive, x, Tensor.onesLike(x)).log().clamp(-100, Double.POSITIVE_INFINITY),
                Tensor.full(x.dtype(), -100));
    }

    /** Binary cross entropy of logits, computed stably as {@code softplus(x) - x t}. */
    public static Tensor bceWithLogits(Tensor logits, Tensor targets) { return bceWithLogits(logits, targets, Reduction.MEAN); }

    public static Tensor bceWithLogits(Tensor logits, Tensor targets, Reduction r) {
        sameShape("bceWithLogits", logits, targets);
        return reduce("bceWithLogits", logits.softplus().sub(logits.mul(targets)), r);
    }

    /**
     * Kullback-Leibler divergence of {@code input} (log-probabilities) from {@code target} (probabilities),
     * pointwise {@code t (log t - input)} with {@code 0 log 0 = 0}, as {@code F.kl_div}. Use {@code BATCH_MEAN}
     * for the mathematical KL per sample; {@code MEAN} averages over all elements, as PyTorch's default does.
     */
    public static Tensor klDiv(Tensor input, Tensor target, Reduction r) {
        sameShape("klDiv", input, target);
        Tensor positive = target.gt(0);
        Tensor logT = Tensor.where(positive, target, Tensor.onesLike(target)).log();
        return reduce("klDiv", target.mul(logT.sub(input)), r);
    }

    /** Huber loss with {@code delta = 1} and mean reduction ({@code F.huber_loss(pred, target)}). */
    public static Tensor huber(Tensor pred, Tensor target) { return huber(pred, target, 1, Reduction.MEAN); }

    /**
     * Huber loss, as {@code F.huber_loss(pred, target, delta=delta)}: with {@code d = pred - target}, per element
     * {@code 0.5 d^2} where {@code |d| <= delta} and {@code delta (|d| - 0.5 delta)} elsewhere: quadratic near
     * zero, linear (gradient {@code delta sign(d)}) beyond. With {@code delta = 1} it is also
     * {@code F.smooth_l1_loss} (beta 1). Computed without a branch as {@code 0.5 q^2 + delta (|d| - q)} with
     * {@code q = min(|d|, delta)}; the gradient at {@code d = 0} is 0.
     */
    public static Tensor huber(Tensor pred, Tensor target, double delta, Reduction r) {
        if (!(delta > 0 && delta < Double.POSITIVE_INFINITY)) throw new IllegalArgumentException("huber: delta " + delta + " must be positive and finite");
        sameShape("huber", pred, target);
        Tensor abs = pred.sub(target).abs(), q = abs.clamp(0, delta);
        return reduce("huber", q.square().mul(0.5).add(abs.sub(q).mul(delta)), r);
    }

    /**
     * The gradient penalty of WGAN-GP (Gulrajani et al. 2017), {@code mean_i (||grad_x D(x_hat_i)||_2 - 1)^2} over the
     * images (rows) of {@code xHat} {@code [B, ...]}, where {@code critic} scores each image on its own ({@code [B]} or
     * {@code [B, 1]}), so row i of {@code grad_x sum_j D(x_hat_j)} is {@code grad_x D(x_hat_i)}. The gradient is taken by
     * an inner {@link GradientTape} for {@code xHat} alone (none of the critic's weight gradients is formed); called while a
     * tape records, the result is differentiable in the critic's parameters and in {@code xHat}, which is what the critic's
     * update needs (a second derivative of {@code D}). A 1e-12 under the square root keeps the norm differentiable at a
     * zero gradient. The caller forms {@code x_hat = u x + (1 - u) G(z)} and weighs the penalty (the paper's
     * {@code lambda = 10}); as in the paper it is not applied to batch-normalised critics' batches (the rows would not be
     * independent).
     */
    public static Tensor gradientPenalty(java.util.function.UnaryOperator<Tensor> critic, Tensor xHat) {
        Objects.requireNonNull(critic, "gradientPenalty: critic is null");
        Objects.requireNonNull(xHat, "gradientPenalty: xHat is null");
        if (xHat.rank() < 1 || xHat.size(0) == 0)
            throw new IllegalArgumentException("gradientPenalty: xHat " + Shape.str(xHat.shape()) + " must be a batch [B, ...] with B >= 1");
        int b = xHat.size(0);
        Tensor x = xHat.tracksGradient() ? xHat : xHat.requiresGrad();
        Tensor grad;
        try (GradientTape inner = GradientTape.record()) {
            Tensor scores = critic.apply(x);
            if (scores.rank() < 1 || scores.size(0) != b || scores.numel() != b)
                throw new IllegalArgumentException("gradientPenalty: the critic must score each of the " + b + " images once ([" + b + "] or [" + b
                        + ", 1]), got " + Shape.str(scores.shape()));
            grad = scores.tracksGradient() ? inner.gradient(scores.sum(), x)[0] : null;
        }
        if (grad == null) throw new IllegalArgumentException("gradientPenalty: the critic's scores do not depend on its input");
        Tensor norm = grad.reshape(b, grad.numel() / b).square().sum(1, false).add(1e-12).sqrt();
        return norm.sub(1).square().mean();
    }

    private static Tensor reduce(String op, Tensor loss, Reduction r) {
        return switch (Objects.requireNonNull(r, () -> op + ": reduction is null")) {
            case NONE -> loss;
            case SUM -> loss.sum();
            case MEAN -> loss.mean();
            case BATCH_MEAN -> loss.sum().div(loss.rank() == 0 ? 1 : loss.size(0));
        };
    }

    /** Checks that {@code input} and {@code target} are given and have the same shape and dtype. */
    private static void sameShape(String op, Tensor input, Tensor target) {
        Objects.requireNonNull(input, () -> op + ": input is null");
        Objects.requireNonNull(target, () -> op + ": target is null");
        if (!Arrays.equals(input.shape(), target.shape()) || input.dtype() != target.dtype())
            throw new IllegalArgumentException(op + ": input " + input.dtype() + " " + Shape.str(input.shape()) + " and target " + target.dtype() + " "
                    + Shape.str(target.shape()) + " must have the same shape and dtype");
    }
}
