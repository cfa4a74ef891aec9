package dev.tapegrad.nn.train;

import java.util.Map;

/**
 * Stops training after the first batch whose loss is NaN or infinite (Keras' {@code TerminateOnNaN}); {@link
 * #stoppedAt} tells where. {@link Model#fit} then ends after that batch, without finishing the epoch.
 */
public final class TerminateOnNaN implements Callback {
    private String stoppedAt;

    @Override
    public void onTrainBegin(Model model) { stoppedAt = null; }

    @Override
    public void onTrainBatchEnd(int epoch, int batch, Map<String, Double> logs, Model model) {
        double loss = logs.get("loss");
        if (Double.isFinite(loss)) return;
        stoppedAt = "epoch " + (epoch + 1) + ", batch " + (batch + 1) + ": loss " + loss;
        model.stopTraining();
    }

    /** Where training stopped ({@code "epoch 3, batch 17: loss NaN"}, counted from 1), or null when it did not. */
    public String stoppedAt() { return stoppedAt; }
}
