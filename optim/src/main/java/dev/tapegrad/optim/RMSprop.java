package dev.tapegrad.optim;

import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Tensor;
import java.util.List;

/**
 * RMSprop, as {@code torch.optim.RMSprop} (defaults lr 0.01, alpha 0.99, eps 1e-8, weight decay 0,
 * momentum 0, not centered):
 * <pre>
 * g = g + lambda p
 * v = alpha v + (1 - alpha) g^2
 * (centered)  a = alpha a + (1 - alpha) g;   v~ = v - a^2      (else v~ = v)
 * (momentum)  b = mu b + g / (sqrt(v~) + eps);   p = p - lr b
 * (else)      p = p - lr g / (sqrt(v~) + eps)
 * </pre>
 * PyTorch checks only {@code alpha >= 0}; here it must also be at most 1, above which {@code v} weighs {@code g^2}
 * negatively, turns negative and its square root NaN.
 */
public final class RMSprop extends Optimizer {
    private final double alpha, eps, weightDecay, momentum;
    private final boolean centered;

    public RMSprop(List<Parameter> params) { this(params, 0.01); }

    public RMSprop(List<Parameter> params, double lr) { this(params, lr, 0.99, 1e-8, 0, 0, false); }

    public RMSprop(List<Parameter> params, double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered) {
        super("RMSprop", params, lr);
        this.alpha = check("RMSprop", "alpha", alpha, alpha >= 0 && alpha <= 1);
        this.eps = check("RMSprop", "eps", eps, eps >= 0);
        this.weightDecay = check("RMSprop", "weight decay", weightDecay, weightDecay >= 0);
        this.momentum = check("RMSprop", "momentum", momentum, momentum >= 0);
        this.centered = centered;
    }

    @Override
    protected List<String> stateNames() {
        List<String> out = new java.util.ArrayList<>(List.of("square_avg"));
        if (centered) out.add("grad_avg");
        if (momentum > 0) out.add("momentum_buffer");
        return out;
    }

    @Override
    protected Tensor update(Tensor p, Tensor g, Slot s) {
        if (weightDecay != 0) g = g.add(p, weightDecay);
        Tensor v = s.zerosIfAbsent("square_avg", p).mul(alpha).add(g.square(), 1 - alpha);
        s.put("square_avg", v);
        Tensor vt = v;
        if (centered) {
            Tensor a = s.zerosIfAbsent("grad_avg", p).mul(alpha).add(g, 1 - alpha);
            s.put("grad_avg", a);
            vt = v.sub(a.square());
        }
        Tensor step = g.div(vt.sqrt().add(eps));
        if (momentum > 0) {
            step = s.zerosIfAbsent("momentum_buffer", p).mul(momentum).add(step);
            s.put("momentum_buffer", step);
        }
        return p.sub(step.mul(lr()));
    }
}
