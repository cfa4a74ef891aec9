package dev.tapegrad.optim;

import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Tensor;
import java.util.List;

/**
 * Stochastic gradient descent with momentum, dampening, Nesterov momentum and L2 weight decay, as
 * {@code torch.optim.SGD}. With learning rate {@code lr}, momentum {@code mu}, dampening {@code tau}, weight
 * decay {@code lambda}:
 * <pre>
 * g = g + lambda p
 * b = g                              (t = 1)
 * b = mu b + (1 - tau) g             (t > 1)
 * d = g + mu b  (Nesterov)   or   d = b   (else; d = g when mu = 0)
 * p = p - lr d
 * </pre>
 * PyTorch does not check {@code tau}; here it must be in {@code [0, 1]}, outside which {@code 1 - tau} would weigh the
 * gradient negatively or by more than 1.
 */
public final class SGD extends Optimizer {
    private final double momentum, dampening, weightDecay;
    private final boolean nesterov;

    public SGD(List<Parameter> params, double lr) { this(params, lr, 0, 0, 0, false); }

    public SGD(List<Parameter> params, double lr, double momentum) { this(params, lr, momentum, 0, 0, false); }

    public SGD(List<Parameter> params, double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        super("SGD", params, lr);
        this.momentum = check("SGD", "momentum", momentum, momentum >= 0);
        this.dampening = check("SGD", "dampening", dampening, dampening >= 0 && dampening <= 1);
        this.weightDecay = check("SGD", "weight decay", weightDecay, weightDecay >= 0);
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new IllegalArgumentException("SGD: Nesterov momentum needs momentum > 0 and zero dampening, got momentum "
                    + momentum + " and dampening " + dampening);
        this.nesterov = nesterov;
    }

    @Override
    protected List<String> stateNames() { return momentum != 0 ? List.of("momentum_buffer") : List.of(); }

    @Override
    protected Tensor update(Tensor p, Tensor g, Slot s) {
        if (weightDecay != 0) g = g.add(p, weightDecay);
        if (momentum != 0) {
            Tensor b = s.step() == 1 ? g : s.get("momentum_buffer", g).mul(momentum).add(g.mul(1 - dampening));
            s.put("momentum_buffer", b);
            g = nesterov ? g.add(b.mul(momentum)) : b;
        }
        return p.add(g, -lr());
    }
}
