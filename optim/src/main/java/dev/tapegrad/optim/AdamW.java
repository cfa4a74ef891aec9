package dev.tapegrad.optim;

import dev.tapegrad.autodiff.Parameter;
import java.util.List;

/**
 * Adam with decoupled weight decay, as {@code torch.optim.AdamW} (defaults lr 1e-3, betas 0.9 and 0.999,
 * eps 1e-8, weight decay 0.01): first {@code p = p - lr lambda p}, then the {@link Adam} update with the
 * plain gradient.
 */
public final class AdamW extends Adam {
    public AdamW(List<Parameter> params) { this(params, 1e-3); }

    public AdamW(List<Parameter> params, double lr) { this(params, lr, 0.9, 0.999, 1e-8, 1e-2, false); }

    public AdamW(List<Parameter> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        super("AdamW", params, lr, beta1, beta2, eps, weightDecay, amsgrad, true);
    }
}
