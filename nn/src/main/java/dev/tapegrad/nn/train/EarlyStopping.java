package dev.tapegrad.nn.train;

import dev.tapegrad.autodiff.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stops training when {@code monitor} (default {@code val_loss}; lower is better unless its name contains
 * "accuracy") has not improved by more than {@code minDelta} for {@code patience} epochs; optionally
 * restores the best epoch's weights at the end, as Keras' {@code EarlyStopping}.
 */
public final class EarlyStopping implements Callback {
    private final String monitor;
    private final int patience;
    private final double minDelta;
    private final boolean restoreBest;
    private double best;
    private int wait;
    private Map<String, Tensor> bestState;

    public EarlyStopping(String monitor, int patience, double minDelta, boolean restoreBest) {
        if (patience < 0) throw new IllegalArgumentException("EarlyStopping: patience " + patience + " is negative");
        this.monitor = monitor;
        this.patience = patience;
        this.minDelta = minDelta;
        this.restoreBest = restoreBest;
    }

    private boolean maximize() { return monitor.contains("accuracy"); }

    @Override
    public void onTrainBegin(Model model) {
        best = maximize() ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        wait = 0;
        bestState = null;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs, Model model) {
        double v = Callback.monitored("EarlyStopping", monitor, logs);
        boolean improved = maximize() ? v > best + minDelta : v < best - minDelta;
        if (improved) {
            best = v;
            wait = 0;
            if (restoreBest) bestState = model.module().stateDict();
        } else if (++wait >= patience) {
            model.stopTraining();
        }
    }

    /** {@code best}, {@code wait}, and with {@code restoreBest} the best epoch's weights under {@code best_state.}. */
    @Override
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("best", Tensor.scalar(best));
        out.put("wait", Tensor.scalar(wait));
        if (bestState != null) bestState.forEach((k, v) -> out.put("best_state." + k, v));
        return out;
    }

    @Override
    public void loadStateDict(Map<String, Tensor> state) {
        double b = Callback.stateValue("EarlyStopping", state, "best"), w = Callback.stateValue("EarlyStopping", state, "wait");
        Map<String, Tensor> weights = new LinkedHashMap<>();
        state.forEach((k, v) -> { if (k.startsWith("best_state.")) weights.put(k.substring(11), v); });
        best = b;
        wait = (int) w;
        bestState = weights.isEmpty() ? null : weights;
    }

    @Override
    public void onTrainEnd(Model model) {
        if (restoreBest && bestState != null) model.module().loadStateDict(bestState);
    }
}
