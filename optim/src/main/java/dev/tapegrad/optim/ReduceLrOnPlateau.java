package dev.tapegrad.optim;

import dev.tapegrad.autodiff.Tensor;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

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
        if (!(minLr >= 0 && Double.isFinite(minLr))) throw new IllegalArgumentException("ReduceLrOnPlateau: minLr " + minLr + " must be finite and >= 0");
        if (!(threshold >= 0 && threshold < 1)) throw new IllegalArgumentException("ReduceLrOnPlateau: threshold " + threshold + " must be in [0, 1)");
        this.optimizer = java.util.Objects.requireNonNull(optimizer, "ReduceLrOnPlateau: optimizer is null");
        this.factor = factor;
        this.patience = patience;
        this.threshold = threshold;
        this.cooldown = cooldown;
        this.minLr = minLr;
    }

    /** The state to save for an exact resume ({@code best}, {@code bad_epochs}, {@code cooldown_left}, 0-d FLOAT64), as PyTorch's {@code state_dict}. */
    public Map<String, Tensor> stateDict() {
        return Map.of("best", Tensor.scalar(best), "bad_epochs", Tensor.scalar(badEpochs),
                "cooldown_left", Tensor.scalar(cooldownLeft));
    }

    /**
     * Restores a {@link #stateDict()}: {@code best} a 0-d number (not NaN), {@code bad_epochs} and {@code cooldown_left}
     * 0-d integers from 0; throws naming the missing, unexpected or bad keys and changes nothing then.
     */
    public void loadStateDict(Map<String, Tensor> state) {
        String op = "ReduceLrOnPlateau.loadStateDict";
        java.util.Objects.requireNonNull(state, op + ": state is null");
        List<String> missing = Stream.of("best", "bad_epochs", "cooldown_left").filter(k -> !state.containsKey(k)).toList();
        if (!missing.isEmpty()) throw new IllegalArgumentException(op + ": missing keys " + missing + " among " + state.keySet());
        if (state.size() != 3) throw new IllegalArgumentException(op + ": unexpected keys among " + state.keySet());
        List<String> problems = new java.util.ArrayList<>();
        double b = Optimizer.number("best", value(op, state, "best"), x -> !Double.isNaN(x), "number", problems),
                bad = Optimizer.number("bad_epochs", value(op, state, "bad_epochs"), ReduceLrOnPlateau::count, "count (an integer >= 0)", problems),
                left = Optimizer.number("cooldown_left", value(op, state, "cooldown_left"), ReduceLrOnPlateau::count, "count (an integer >= 0)", problems);
        if (!problems.isEmpty()) throw new IllegalArgumentException(op + ": " + String.join("; ", problems));
        best = b;
        badEpochs = (int) bad;
        cooldownLeft = (int) left;
    }

    private static boolean count(double x) { return x >= 0 && x <= Integer.MAX_VALUE && x == Math.rint(x); }

    private static Tensor value(String op, Map<String, Tensor> state, String key) {
        return java.util.Objects.requireNonNull(state.get(key), () -> op + ": '" + key + "' is null");
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
