package dev.tapegrad.optim;

/**
 * A learning rate as a function of the epoch (or step) {@code t = 0, 1, 2, ...} and the base rate, with
 * PyTorch's closed forms. Apply one with {@link #applyTo(Optimizer, long, double)} at the start of each
 * epoch (the training loop's learning-rate callback does this).
 */
@FunctionalInterface
public interface LrSchedule {
    double lr(long t, double base);

    /** Sets {@code optimizer}'s rate to {@code lr(t, base)}. */
    default void applyTo(Optimizer optimizer, long t, double base) { optimizer.setLr(lr(t, base)); }

    /** {@code base * gamma^floor(t / stepSize)} ({@code StepLR}). */
    static LrSchedule step(long stepSize, double gamma) {
        if (stepSize <= 0) throw new IllegalArgumentException("LrSchedule.step: step size " + stepSize + " must be positive");
        return (t, base) -> base * Math.pow(gamma, Math.floorDiv(t, stepSize));
    }

    /** {@code base * gamma^t} ({@code ExponentialLR}). */
    static LrSchedule exponential(double gamma) { return (t, base) -> base * Math.pow(gamma, t); }

    /** {@code etaMin + (base - etaMin) (1 + cos(pi t / tMax)) / 2} ({@code CosineAnnealingLR}'s closed form). */
    static LrSchedule cosine(long tMax, double etaMin) {
        if (tMax <= 0) throw new IllegalArgumentException("LrSchedule.cosine: tMax " + tMax + " must be positive");
        return (t, base) -> etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * t / tMax)) / 2;
    }

    /** {@code base (t + 1) / warmup} for {@code t < warmup}, then {@code after} from its own {@code t = 0}. */
    static LrSchedule linearWarmup(long warmup, LrSchedule after) {
        if (warmup <= 0) throw new IllegalArgumentException("LrSchedule.linearWarmup: warm-up " + warmup + " must be positive");
        java.util.Objects.requireNonNull(after, "LrSchedule.linearWarmup: after is null");
        return (t, base) -> t < warmup ? base * (t + 1) / warmup : after.lr(t - warmup, base);
    }

    /** The base rate throughout. */
    static LrSchedule constant() { return (t, base) -> base; }
}
