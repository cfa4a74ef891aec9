package dev.tapegrad.optim;

import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Tensor;
import java.util.List;

/**
 * Adagrad, as {@code torch.optim.Adagrad} (defaults lr 0.01, lr decay 0, weight decay 0, initial
 * accumulator 0, eps 1e-10):
 * <pre>
 * g = g + lambda p
 * lr_t = lr / (1 + (t - 1) lr_decay)
 * s = s + g^2
 * p = p - lr_t g / (sqrt(s) + eps)
 * </pre>
 */
public final class Adagrad extends Optimizer {
    private final double lrDecay, weightDecay, initialAccumulator, eps;

    public Adagrad(List<Parameter> params) { this(params, 0.01); }

    public Adagrad(List<Parameter> params, double lr) { this(params, lr, 0, 0, 0, 1e-10); }

    public Adagrad(List<Parameter> params, double lr, double lrDecay, double weightDecay, double initialAccumulator, double eps) {
        super("Adagrad", params, lr);
        this.lrDecay = check("Adagrad", "lr decay", lrDecay, lrDecay >= 0);
        this.weightDecay = check("Adagrad", "weight decay", weightDecay, weightDecay >= 0);
        this.initialAccumulator = check("Adagrad", "initial accumulator", initialAccumulator, initialAccumulator >= 0);
        this.eps = check("Adagrad", "eps", eps, eps >= 0);
    }

    @Override
    protected List<String> stateNames() { return List.of("sum"); }

    @Override
    protected Tensor update(Tensor p, Tensor g, Slot s) {
        if (weightDecay != 0) g = g.add(p, weightDecay);
        double lrT = lr() / (1 + (s.step() - 1) * lrDecay);
        Tensor sum = s.get("sum", Tensor.full(p.dtype(), initialAccumulator, p.shape())).add(g.square());
        s.put("sum", sum);
        return p.sub(g.div(sum.sqrt().add(eps)).mul(lrT));
    }
}
