package dev.tapegrad.nn.train;

import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.io.Checkpoints;
import java.nio.file.Path;
import java.util.Map;

/**
 * Saves the model (safetensors, atomically) after each epoch, or only when {@code monitor} improves
 * ({@code saveBestOnly}; lower is better unless its name contains "accuracy", and NaN is never an
 * improvement), as Keras' {@code ModelCheckpoint}. Weights holding NaN or an infinity are never written,
 * so a diverged epoch cannot overwrite a good file.
 */
public final class ModelCheckpoint implements Callback {
    private final Path file;
    private final String monitor;
    private final boolean saveBestOnly;
    private double best;

    public ModelCheckpoint(Path file, String monitor, boolean saveBestOnly) {
        this.file = file;
        this.monitor = monitor;
        this.saveBestOnly = saveBestOnly;
    }

    @Override
    public void onTrainBegin(Model model) { best = monitor.contains("accuracy") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY; }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs, Model model) {
        if (saveBestOnly) {
            double v = Callback.monitored("ModelCheckpoint", monitor, logs);
            boolean better = monitor.contains("accuracy") ? v > best : v < best;
            if (!better) return;
            best = v;
        }
        for (Tensor t : model.module().stateDict().values())
            for (double v : t.toDoubleArray()) if (!Double.isFinite(v)) return;
        Checkpoints.saveModel(file, model.module());
    }
}
