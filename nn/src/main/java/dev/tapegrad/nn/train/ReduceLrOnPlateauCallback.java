package dev.tapegrad.nn.train;

import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.optim.ReduceLrOnPlateau;
import java.util.Map;

/**
 * Keras' {@code ReduceLROnPlateau} as a callback: after each epoch feeds {@code monitor} (lower is better)
 * to a {@link ReduceLrOnPlateau} over the model's optimizer, with the given factor and patience.
 */
public final class ReduceLrOnPlateauCallback implements Callback {
    private final String monitor;
    private final double factor;
    private final int patience;
    private ReduceLrOnPlateau rule;

    public ReduceLrOnPlateauCallback(String monitor, double factor, int patience) {
        this.monitor = monitor;
        this.factor = factor;
        this.patience = patience;
    }

    @Override
    public void onTrainBegin(Model model) { rule = new ReduceLrOnPlateau(model.optimizer(), factor, patience, 1e-4, 0, 0); }

    /** The rule's {@link ReduceLrOnPlateau#stateDict()}. */
    @Override
    public Map<String, Tensor> stateDict() { return rule == null ? Map.of() : rule.stateDict(); }

    @Override
    public void loadStateDict(Map<String, Tensor> state) { rule.loadStateDict(state); }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs, Model model) {
        rule.step(Callback.monitored("ReduceLrOnPlateauCallback", monitor, logs));
    }
}
