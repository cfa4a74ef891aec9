package dev.tapegrad.optim;

import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Tensor;
import java.util.List;

/**
 * Adadelta, as {@code torch.optim.Adadelta} (defaults lr 1.0, rho 0.9, eps 1e-6, weight decay 0):
 * <pre>
 * g = g + lambda p
 * v = rho v + (1 - rho) g^2
 * d = sqrt(u + eps) / sqrt(v + eps) g
 * u = rho u + (1 - rho) d^2
 * p = p - lr d
 * </pre>
 */
public final class Adadelta extends Optimizer {
    private final double rho, eps, weightDecay;

    public Adadelta(List<Parameter> params) { this(params, 1.0, 0.9, 1e-6, 0); }

    public Adadelta(List<Parameter> params, double lr, double rho, double eps, double weightDecay) {
        super("Adadelta", params, lr);
        this.rho = check("Adadelta", "rho", rho, rho >= 0 && rho <= 1);
        this.eps = check("Adadelta", "eps", eps, eps >= 0);
        this.weightDecay = check("Adadelta", "weight decay", weightDecay, weightDecay >= 0);
    }

    @Override
    protected List<String> stateNames() { return List.of("square_avg", "acc_delta"); }

    @Override
    protected Tensor update(Tensor p, Tensor g, Slot s) {
        if (weightDecay != 0) g = g.add(p, weightDecay);
        Tensor v = s.zerosIfAbsent("square_avg", p).mul(rho).add(g.square(), 1 - rho);
        Tensor u = s.zerosIfAbsent("acc_delta", p);
        Tensor d = u.add(eps).sqrt().div(v.add(eps).sqrt()).mul(g);
        s.put("square_avg", v);
        s.put("acc_delta", u.mul(rho).add(d.square(), 1 - rho));
        return p.sub(d.mul(lr()));
    }
}
