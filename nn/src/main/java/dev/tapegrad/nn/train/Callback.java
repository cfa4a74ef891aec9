package dev.tapegrad.nn.train;

import dev.tapegrad.autodiff.Tensor;
import java.util.Map;

/**
 * Hooks into {@link Model#fit}; implement the ones needed (Keras' {@code Callback}). A callback that remembers
 * something across epochs (a best value, a patience count) returns it from {@link #stateDict} and takes it back
 * in {@link #loadStateDict} (PyTorch Lightning's {@code Callback.state_dict}), so that training checkpoints
 * ({@link FitOptions#checkpointEvery}) resume it exactly.
 */
public interface Callback {
    default void onTrainBegin(Model model) {}

    /** Before epoch {@code epoch} (counted from 0). */
    default void onEpochBegin(int epoch, Model model) {}

    /** Before training batch {@code batch} (counted from 0 within the epoch). */
    default void onTrainBatchBegin(int epoch, int batch, Model model) {}

    /** After training batch {@code batch} with its logs ({@code loss} of the batch, and the metrics). */
    default void onTrainBatchEnd(int epoch, int batch, Map<String, Double> logs, Model model) {}

    /** After epoch {@code epoch} with its logs ({@code loss}, metrics, {@code val_*}, {@code lr}). */
    default void onEpochEnd(int epoch, Map<String, Double> logs, Model model) {}

    default void onTrainEnd(Model model) {}

    /**
     * What this callback must remember for a resumed fit to continue exactly, as named tensors (numbers as 0-d
     * FLOAT64 tensors); none by default. Written into training checkpoints under {@code callback.INDEX.}.
     */
    default Map<String, Tensor> stateDict() { return Map.of(); }

    /**
     * Takes back a {@link #stateDict()}; {@link Model#fit} calls it when it resumes from a checkpoint, after
     * {@link #onTrainBegin} (which resets the callback) and instead of {@link #onEpochBegin} for the resumed epoch.
     */
    default void loadStateDict(Map<String, Tensor> state) {}

    /** The number {@code key} of a callback's state; throws naming the callback and the keys when it is absent. */
    static double stateValue(String callback, Map<String, Tensor> state, String key) {
        Tensor t = state.get(key);
        if (t == null || t.numel() != 1)
            throw new IllegalArgumentException(callback + ".loadStateDict: no number '" + key + "' among the keys " + state.keySet());
        return t.item();
    }

    /** The value of {@code monitor} in an epoch's logs; throws naming the callback and the keys when it is absent. */
    static double monitored(String callback, String monitor, Map<String, Double> logs) {
        Double v = logs.get(monitor);
        if (v == null) throw new IllegalStateException(callback + ": monitored '" + monitor + "' is not among the logs " + logs.keySet());
        return v;
    }
}
