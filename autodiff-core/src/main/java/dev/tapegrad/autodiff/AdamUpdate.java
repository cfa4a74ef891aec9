package dev.tapegrad.autodiff;

import dev.tapegrad.autodiff.kernel.AdamCoefficients;
import dev.tapegrad.autodiff.kernel.AdamKernelsF32;
import dev.tapegrad.autodiff.kernel.AdamKernelsF64;
import java.util.Objects;

/**
 * One Adam or AdamW update of one parameter in a single pass over memory (the idea of PyTorch's {@code
 * torch.optim.Adam(fused=True)}): the value, gradient and moments are read once and the new value and moments
 * written once, where the same formula in {@link Tensor} operations makes eleven passes and eleven temporaries
 * (twelve with weight decay).
 * It is functional like every tensor operation: the inputs are never changed and the results are new tensors
 * (a tape still open may hold the old value, and an optimizer's earlier {@code stateDict()} the old moments).
 * It is not differentiable and never recorded, and is refused while a tape records: optimizers call it inside
 * {@link GradientTape#pause()}.
 *
 * <p>Element by element, in the tensors' dtype, with {@code t} the step (from 1) and {@code lambda} the weight
 * decay:
 * <pre>
 * p = p * (1 - lr lambda)                 (decoupled, AdamW)
 * g = g + lambda p                        (not decoupled, Adam's L2; skipped when lambda = 0)
 * m = m * b1 + (1 - b1) * g
 * v = v * b2 + (1 - b2) * (g * g)
 * vmax = max(vmax, v)                     (AMSGrad, when maxExpAvgSq is given; v below is then vmax)
 * p = p + (-lr) * (m / (1 - b1^t) / (sqrt(v / (1 - b2^t)) + eps))
 * </pre>
 * Each scalar is computed in double and rounded once to the dtype, and each element goes through the same
 * roundings in the same order as those operations written with {@link Tensor#mul(double)}, {@link
 * Tensor#add(Tensor, double)}, {@link Tensor#div(double)}, {@link Tensor#sqrt()} and {@link Tensor#maximum}, so the
 * result is bit for bit that composite's.
 *
 * @param value       the updated parameter value
 * @param expAvg      the new first moment {@code m}
 * @param expAvgSq    the new second moment {@code v}
 * @param maxExpAvgSq the new running maximum of {@code v} (AMSGrad), or {@code null} without AMSGrad
 */
public record AdamUpdate(Tensor value, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq) {

    /**
     * Adam's hyperparameters, as {@code torch.optim.Adam}/{@code AdamW} name them; {@code decoupled} chooses AdamW's
     * weight decay ({@code p (1 - lr lambda)}) over Adam's L2 term ({@code g + lambda p}). Checked as the optimizers
     * and PyTorch check them: {@code lr}, {@code eps} and {@code weightDecay} non-negative, both betas in {@code [0, 1)},
     * none NaN (a beta of 1 divided by {@code 1 - b^t = 0}).
     */
    public record Hyperparameters(double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
        public Hyperparameters {
            check("lr", lr, lr >= 0, "non-negative");
            check("beta1", beta1, beta1 >= 0 && beta1 < 1, "in [0, 1)");
            check("beta2", beta2, beta2 >= 0 && beta2 < 1, "in [0, 1)");
            check("eps", eps, eps >= 0, "non-negative");
            check("weight decay", weightDecay, weightDecay >= 0, "non-negative");
        }

        private static void check(String what, double value, boolean ok, String range) {
            if (!ok) throw new IllegalArgumentException("AdamUpdate: invalid " + what + " " + value + ", must be " + range);
        }
    }

    /**
     * Step {@code step} (from 1) of parameter value {@code p} with gradient {@code g} and moments {@code expAvg},
     * {@code expAvgSq} and, for AMSGrad, {@code maxExpAvgSq} (else {@code null}); all of one shape and dtype.
     *
     * @throws IllegalArgumentException when a tensor's shape or dtype is not {@code p}'s, or {@code step < 1}
     * @throws IllegalStateException    while a tape records on this thread
     */
    public static AdamUpdate of(Hyperparameters h, long step, Tensor p, Tensor g, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq) {
        Objects.requireNonNull(h, "AdamUpdate: hyperparameters are null");
        Objects.requireNonNull(p, "AdamUpdate: the value p is null");
        if (step < 1) throw new IllegalArgumentException("AdamUpdate: step " + step + " must be 1 or more");
        if (GradientTape.isRecording())
            throw new IllegalStateException("AdamUpdate: called while a GradientTape records on this thread (value " + p.dtype() + " "
                    + Shape.str(p.shape) + "); the update is not differentiable: call it after the tape closes or inside GradientTape.pause()");
        like(p, "g", g);
        like(p, "expAvg", expAvg);
        like(p, "expAvgSq", expAvgSq);
        boolean amsgrad = maxExpAvgSq != null;
        if (amsgrad) like(p, "maxExpAvgSq", maxExpAvgSq);
        AdamCoefficients c = AdamCoefficients.of(h.lr(), h.beta1(), h.beta2(), h.eps(), h.weightDecay(), h.decoupled(), step);
        Tensor q = Tensor.alloc(p.dtype(), p.shape), m = Tensor.alloc(p.dtype(), p.shape), v = Tensor.alloc(p.dtype(), p.shape);
        Tensor vMax = amsgrad ? Tensor.alloc(p.dtype(), p.shape) : null;
        if (p.f != null)
            AdamKernelsF32.step(c, p.f, g.f, expAvg.f, expAvgSq.f, amsgrad ? maxExpAvgSq.f : null, q.f, m.f, v.f, amsgrad ? vMax.f : null);
        else
            AdamKernelsF64.step(c, p.d, g.d, expAvg.d, expAvgSq.d, amsgrad ? maxExpAvgSq.d : null, q.d, m.d, v.d, amsgrad ? vMax.d : null);
        return new AdamUpdate(q, m, v, vMax);
    }

    /** Throws unless {@code t} (named {@code what}) has {@code p}'s shape and dtype. */
    private static void like(Tensor p, String what, Tensor t) {
        Objects.requireNonNull(t, () -> "AdamUpdate: " + what + " is null");
        if (t.dtype() != p.dtype() || !java.util.Arrays.equals(t.shape, p.shape))
            throw new IllegalArgumentException("AdamUpdate: " + what + " is " + t.dtype() + " " + Shape.str(t.shape) + " but the value p is "
                    + p.dtype() + " " + Shape.str(p.shape));
    }
}
