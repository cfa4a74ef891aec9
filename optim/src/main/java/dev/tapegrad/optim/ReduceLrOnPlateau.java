package dev.tapegrad.optim;

/**
 * Multiplies the optimizer's rate by {@code factor} when a monitored metric has not improved for more than
 * {@code patience} epochs, as {@code torch.optim.lr_scheduler.ReduceLROnPlateau} in {@code min} mode with a
 * relative threshold: an epoch improves when {@code metric < best * (1 - threshold)}. After a reduction it
 * waits {@code cooldown} epochs, and never goes below {@code minLr}. Defaults: factor 0.1, patience 10,
 * threshold 1e-4, cooldown 0, minLr 0.
 */
public final class ReduceLrOnPlateau {
    private final Optimizer optimizer;
    private final double factor, threshold, minLr;
    private final int patience, cooldown;
    private double best = Double.POSITIVE_INFINITY;
    private int badEpochs, cooldownLeft;

    public ReduceLrOnPlateau(Optimizer optimizer) { this(optimizer, 0.1, 10, 1e-4, 0, 0); }

    public ReduceLrOnPlateau(Optimizer optimizer, double factor, int patience, double threshold, int cooldown, double minLr) {
        if (!(factor > 0 && factor < 1)) throw new IllegalArgumentException("ReduceLrOnPlateau: factor " + factor + " must be in (0, 1)");
        if (patience < 0 || cooldown < 0) throw new IllegalArgumentException("ReduceLrOnPlateau: patience and cooldown must be non-negative");
        this.optimizer = java.util.Objects.requireNonNull(optimizer, "ReduceLrOnPlateau: optimizer is null");
        this.factor = factor;
        this.patience = patience;
        this.threshold = threshold;
        this.cooldown = cooldown;
        this.minLr = minLr;
    }

    /** Records one epoch's metric (lower is better); returns whether the rate was reduced. */
    public boolean step(double metric) {
        if (metric < best * (1 - threshold)) {
            best = metric;
            badEpochs = 0;
        } else {
            badEpochs++;
        }
        if (cooldownLeft > 0) {
            cooldownLeft--;
            badEpochs = 0;
        }
        if (badEpochs <= patience) return false;
        double reduced = Math.max(optimizer.lr() * factor, minLr);
        boolean changed = optimizer.lr() - reduced > 1e-12;
        optimizer.setLr(reduced);
        cooldownLeft = cooldown;
        badEpochs = 0;
        return changed;
    }
}
