package dev.tapegrad.optim;

import dev.tapegrad.autodiff.Gradients;

/** Gradient clipping, as {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}, returning new {@link Gradients}. */
public final class Clipping {
    private Clipping() {}

    /**
     * Scales all gradients by {@code maxNorm / (norm + 1e-6)} when their global norm {@code norm} exceeds
     * {@code maxNorm}; otherwise returns them unchanged.
     */
    public static Gradients byGlobalNorm(Gradients grads, double maxNorm) {
        java.util.Objects.requireNonNull(grads, "Clipping.byGlobalNorm: grads is null");
        if (!(maxNorm > 0)) throw new IllegalArgumentException("Clipping.byGlobalNorm: maxNorm " + maxNorm + " must be positive");
        double norm = grads.globalNorm();
        if (norm <= maxNorm) return grads;
        double scale = maxNorm / (norm + 1e-6);
        return grads.map(g -> g.mul(scale));
    }

    /** Limits every gradient element to {@code [-clip, clip]}. */
    public static Gradients byValue(Gradients grads, double clip) {
        java.util.Objects.requireNonNull(grads, "Clipping.byValue: grads is null");
        if (!(clip > 0)) throw new IllegalArgumentException("Clipping.byValue: clip " + clip + " must be positive");
        return grads.map(g -> g.clamp(-clip, clip));
    }
}
