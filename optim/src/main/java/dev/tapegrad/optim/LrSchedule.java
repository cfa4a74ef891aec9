package dev.tapegrad.optim;

/**
 * A learning rate as a function of the epoch (or step) {@code t = 0, 1, 2, ...} and the base rate, with
 * PyTorch's closed forms. Apply one with {@link #applyTo(Optimizer, long, double)} at the start of each
 * epoch (the training loop's learning-rate callback does this). The factories' schedules refuse a negative
 * {@code t} and a base rate that is negative or not finite, and their arguments up front: PyTorch does not check
 * {@code gamma} or {@code eta_min}, but a negative or infinite one only fails epochs later, as a rate the
 * optimizer refuses, so {@code gamma} must be finite and {@code >= 0} (0, as PyTorch allows, gives the base rate until the first step) and {@code etaMin} finite and {@code >= 0}.
 */
@FunctionalInterface
public interface LrSchedule {
    double lr(long t, double base);

    /** Sets {@code optimizer}'s rate to {@code lr(t, base)}. */
    default void applyTo(Optimizer optimizer, long t, double base) {
        java.util.Objects.requireNonNull(optimizer, "LrSchedule.applyTo: optimizer is null");
        optimizer.setLr(lr(t, base));
    }

    /** {@code base * gamma^floor(t / stepSize)} ({@code StepLR}). */
    static LrSchedule step(long stepSize, double gamma) {
        if (stepSize <= 0) throw new IllegalArgumentException("LrSchedule.step: step size " + stepSize + " must be positive");
        gamma("LrSchedule.step", gamma);
        return checked("LrSchedule.step", (t, base) -> base * Math.pow(gamma, Math.floorDiv(t, stepSize)));
    }

    /** {@code base * gamma^t} ({@code ExponentialLR}). */
    static LrSchedule exponential(double gamma) {
        gamma("LrSchedule.exponential", gamma);
        return checked("LrSchedule.exponential", (t, base) -> base * Math.pow(gamma, t));
    }

    /** {@code etaMin + (base - etaMin) (1 + cos(pi t / tMax)) / 2} ({@code CosineAnnealingLR}'s closed form). */
    static LrSchedule cosine(long tMax, double etaMin) {
        if (tMax <= 0) throw new IllegalArgumentException("LrSchedule.cosine: tMax " + tMax + " must be positive");
        if (!(etaMin >= 0 && Double.isFinite(etaMin))) throw new IllegalArgumentException("LrSchedule.cosine: etaMin " + etaMin + " must be finite and >= 0");
        return checked("LrSchedule.cosine", (t, base) -> etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * t / tMax)) / 2);
    }

    /** {@code base (t + 1) / warmup} for {@code t < warmup}, then {@code after} from its own {@code t = 0}. */
    static LrSchedule linearWarmup(long warmup, LrSchedule after) {
        if (warmup <= 0) throw new IllegalArgumentException("LrSchedule.linearWarmup: warm-up " + warmup + " must be positive");
        java.util.Objects.requireNonNull(after, "LrSchedule.linearWarmup: after is null");
        return checked("LrSchedule.linearWarmup", (t, base) -> t < warmup ? base * (t + 1) / warmup : after.lr(t - warmup, base));
    }

    /** The base rate throughout. */
    static LrSchedule constant() { return checked("LrSchedule.constant", (t, base) -> base); }

    private static void gamma(String schedule, double gamma) {
        if (!(gamma >= 0 && Double.isFinite(gamma))) throw new IllegalArgumentException(schedule + ": gamma " + gamma + " must be finite and >= 0");
    }

    /** {@code f}, refusing a negative epoch and a base rate that is negative or not finite. */
    private static LrSchedule checked(String schedule, LrSchedule f) {
        return (t, base) -> {
            if (t < 0) throw new IllegalArgumentException(schedule + ": epoch " + t + " is negative");
            if (!(base >= 0 && Double.isFinite(base))) throw new IllegalArgumentException(schedule + ": base rate " + base + " must be finite and >= 0");
            return f.lr(t, base);
        };
    }
}
