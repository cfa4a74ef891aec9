package dev.tapegrad.optim;

import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Tensor;
import java.util.List;

/**
 * Adam, as {@code torch.optim.Adam} (defaults lr 1e-3, betas 0.9 and 0.999, eps 1e-8, weight decay 0, no
 * AMSGrad); weight decay is L2, added to the gradient ({@link AdamW} decouples it):
 * <pre>
 * g = g + lambda p
 * m = b1 m + (1 - b1) g;      v = b2 v + (1 - b2) g^2
 * m^ = m / (1 - b1^t)
 * v^ = v / (1 - b2^t)        (AMSGrad: vmax = max(vmax, v);  v^ = vmax / (1 - b2^t))
 * p = p - lr m^ / (sqrt(v^) + eps)
 * </pre>
 */
public class Adam extends Optimizer {
    final double beta1, beta2, eps, weightDecay;
    final boolean amsgrad;

    public Adam(List<Parameter> params) { this(params, 1e-3); }

    public Adam(List<Parameter> params, double lr) { this(params, lr, 0.9, 0.999, 1e-8, 0, false); }

    public Adam(List<Parameter> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        this("Adam", params, lr, beta1, beta2, eps, weightDecay, amsgrad);
    }

    Adam(String name, List<Parameter> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        super(name, params, lr);
        this.beta1 = check(name, "beta1", beta1, beta1 >= 0 && beta1 < 1);
        this.beta2 = check(name, "beta2", beta2, beta2 >= 0 && beta2 < 1);
        this.eps = check(name, "eps", eps, eps >= 0);
        this.weightDecay = check(name, "weight decay", weightDecay, weightDecay >= 0);
        this.amsgrad = amsgrad;
    }

    @Override
    protected Tensor update(Tensor p, Tensor g, Slot s) {
        if (weightDecay != 0) g = g.add(p, weightDecay);
        return adamStep(p, g, s);
    }

    final Tensor adamStep(Tensor p, Tensor g, Slot s) {
        long t = s.step();
        Tensor m = s.zerosIfAbsent("exp_avg", p).mul(beta1).add(g, 1 - beta1);
        Tensor v = s.zerosIfAbsent("exp_avg_sq", p).mul(beta2).add(g.square(), 1 - beta2);
        s.put("exp_avg", m);
        s.put("exp_avg_sq", v);
        if (amsgrad) {
            v = s.zerosIfAbsent("max_exp_avg_sq", p).maximum(v);
            s.put("max_exp_avg_sq", v);
        }
        Tensor mHat = m.div(1 - Math.pow(beta1, t)), vHat = v.div(1 - Math.pow(beta2, t));
        return p.add(mHat.div(vHat.sqrt().add(eps)), -lr());
    }
}
