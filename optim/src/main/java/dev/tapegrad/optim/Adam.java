package dev.tapegrad.optim;

import dev.tapegrad.autodiff.AdamUpdate;
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
 * Each update is one fused pass per parameter ({@link AdamUpdate}), bit for bit the same as these equations
 * written with tensor operations.
 */
public class Adam extends Optimizer {
    private final double beta1, beta2, eps, weightDecay;
    private final boolean amsgrad, decoupled;

    public Adam(List<Parameter> params) { this(params, 1e-3); }

    public Adam(List<Parameter> params, double lr) { this(params, lr, 0.9, 0.999, 1e-8, 0, false); }

    public Adam(List<Parameter> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        this("Adam", params, lr, beta1, beta2, eps, weightDecay, amsgrad, false);
    }

    /** {@code decoupled}: AdamW's weight decay. */
    Adam(String name, List<Parameter> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad, boolean decoupled) {
        super(name, params, lr);
        this.beta1 = check(name, "beta1", beta1, beta1 >= 0 && beta1 < 1);
        this.beta2 = check(name, "beta2", beta2, beta2 >= 0 && beta2 < 1);
        this.eps = check(name, "eps", eps, eps >= 0);
        this.weightDecay = check(name, "weight decay", weightDecay, weightDecay >= 0);
        this.amsgrad = amsgrad;
        this.decoupled = decoupled;
    }

    @Override
    protected List<String> stateNames() { return amsgrad ? List.of("exp_avg", "exp_avg_sq", "max_exp_avg_sq") : List.of("exp_avg", "exp_avg_sq"); }

    @Override
    protected Tensor update(Tensor p, Tensor g, Slot s) {
        AdamUpdate u = AdamUpdate.of(new AdamUpdate.Hyperparameters(lr(), beta1, beta2, eps, weightDecay, decoupled), s.step(), p, g,
                s.zerosIfAbsent("exp_avg", p), s.zerosIfAbsent("exp_avg_sq", p), amsgrad ? s.zerosIfAbsent("max_exp_avg_sq", p) : null);
        s.put("exp_avg", u.expAvg());
        s.put("exp_avg_sq", u.expAvgSq());
        if (amsgrad) s.put("max_exp_avg_sq", u.maxExpAvgSq());
        return u.value();
    }
}
