package dev.tapegrad.nn.train;

import java.util.Map;

/** Hooks into {@link Model#fit}; implement the ones needed (Keras' {@code Callback}). */
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

    /** The value of {@code monitor} in an epoch's logs; throws naming the callback and the keys when it is absent. */
    static double monitored(String callback, String monitor, Map<String, Double> logs) {
        Double v = logs.get(monitor);
        if (v == null) throw new IllegalStateException(callback + ": monitored '" + monitor + "' is not among the logs " + logs.keySet());
        return v;
    }
}
