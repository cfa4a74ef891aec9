package dev.tapegrad.optim;

import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Tensor;
import java.util.List;

/**
 * Adam with Nesterov momentum, as {@code torch.optim.NAdam} (defaults lr 2e-3, betas 0.9 and 0.999, eps
 * 1e-8, weight decay 0, momentum decay psi = 4e-3):
 * <pre>
 * g = g + lambda p
 * mu_t = b1 (1 - 0.5 * 0.96^(t psi));   mu_{t+1} = b1 (1 - 0.5 * 0.96^((t+1) psi));   P_t = prod_{i<=t} mu_i
 * m = b1 m + (1 - b1) g;   v = b2 v + (1 - b2) g^2;   d = sqrt(v / (1 - b2^t)) + eps
 * p = p - lr (1 - mu_t) / (1 - P_t) g / d - lr mu_{t+1} / (1 - P_t mu_{t+1}) m / d
 * </pre>
 */
public final class Nadam extends Optimizer {
    private final double beta1, beta2, eps, weightDecay, momentumDecay;

    public Nadam(List<Parameter> params) { this(params, 2e-3); }

    public Nadam(List<Parameter> params, double lr) { this(params, lr, 0.9, 0.999, 1e-8, 0, 4e-3); }

    public Nadam(List<Parameter> params, double lr, double beta1, double beta2, double eps, double weightDecay, double momentumDecay) {
        super("Nadam", params, lr);
        this.beta1 = check("Nadam", "beta1", beta1, beta1 >= 0 && beta1 < 1);
        this.beta2 = check("Nadam", "beta2", beta2, beta2 >= 0 && beta2 < 1);
        this.eps = check("Nadam", "eps", eps, eps >= 0);
        this.weightDecay = check("Nadam", "weight decay", weightDecay, weightDecay >= 0);
        this.momentumDecay = check("Nadam", "momentum decay", momentumDecay, momentumDecay >= 0);
    }

    @Override
    protected List<String> stateNames() { return List.of("mu_product", "exp_avg", "exp_avg_sq"); }

    @Override
    protected List<String> scalarStateNames() { return List.of("mu_product"); }

    @Override
    protected Tensor update(Tensor p, Tensor g, Slot s) {
        if (weightDecay != 0) g = g.add(p, weightDecay);
        long t = s.step();
        double mu = beta1 * (1 - 0.5 * Math.pow(0.96, t * momentumDecay));
        double muNext = beta1 * (1 - 0.5 * Math.pow(0.96, (t + 1) * momentumDecay));
        double product = s.get("mu_product", Tensor.scalar(1)).item() * mu;
        s.put("mu_product", Tensor.scalar(product));
        Tensor m = s.zerosIfAbsent("exp_avg", p).mul(beta1).add(g, 1 - beta1);
        Tensor v = s.zerosIfAbsent("exp_avg_sq", p).mul(beta2).add(g.square(), 1 - beta2);
        s.put("exp_avg", m);
        s.put("exp_avg_sq", v);
        Tensor d = v.div(1 - Math.pow(beta2, t)).sqrt().add(eps);
        return p.sub(g.div(d).mul(lr() * (1 - mu) / (1 - product))).sub(m.div(d).mul(lr() * muNext / (1 - product * muNext)));
    }
}
