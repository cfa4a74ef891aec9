package dev.tapegrad.nn.train;

import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.io.Checkpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Objects;

/**
 * Saves the model (safetensors, atomically) after each epoch, or only when {@code monitor} improves
 * ({@code saveBestOnly}; lower is better unless its name contains "accuracy", and NaN is never an
 * improvement), as Keras' {@code ModelCheckpoint}. With {@code keepLast = K} it does both: the best epoch
 * in {@code file}, and every epoch in {@code NAME-epochN.EXT} beside it (N counted from 1), of which the K
 * most recent are kept. Weights holding NaN or an infinity are never written, so a diverged epoch cannot
 * overwrite a good file.
 */
public final class ModelCheckpoint implements Callback {
    private final Path file;
    private final String monitor;
    private final boolean saveBestOnly;
    private final int keepLast;
    /** The epochs (from 1) whose {@link #epochFile} is kept, oldest first. */
    private final ArrayDeque<Integer> recent = new ArrayDeque<>();
    private double best;

    public ModelCheckpoint(Path file, String monitor, boolean saveBestOnly) { this(file, monitor, saveBestOnly, 0); }

    /** The best epoch in {@code file} and the last {@code keepLast} epochs beside it (see the class comment). */
    public ModelCheckpoint(Path file, String monitor, int keepLast) {
        this(file, monitor, true, keepLast);
        if (keepLast <= 0) throw new IllegalArgumentException("ModelCheckpoint: keepLast " + keepLast + " must be positive");
    }

    private ModelCheckpoint(Path file, String monitor, boolean saveBestOnly, int keepLast) {
        this.file = Objects.requireNonNull(file, "ModelCheckpoint: file is null");
        this.monitor = Objects.requireNonNull(monitor, "ModelCheckpoint: monitor is null");
        this.saveBestOnly = saveBestOnly;
        this.keepLast = keepLast;
    }

    @Override
    public void onTrainBegin(Model model) {
        best = monitor.contains("accuracy") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        recent.clear();
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs, Model model) {
        for (Tensor t : model.module().stateDict().values())
            for (double v : t.toDoubleArray()) if (!Double.isFinite(v)) return;
        if (keepLast > 0) {
            Checkpoints.saveModel(epochFile(epoch + 1), model.module());
            recent.addLast(epoch + 1);
            while (recent.size() > keepLast) delete(epochFile(recent.removeFirst()));
        }
        if (saveBestOnly) {
            double v = Callback.monitored("ModelCheckpoint", monitor, logs);
            boolean better = monitor.contains("accuracy") ? v > best : v < best;
            if (!better) return;
            best = v;
        }
        Checkpoints.saveModel(file, model.module());
    }

    /** {@code best}, and the epochs (counted from 1) whose files are kept, in order, as {@code kept.0}, {@code kept.1}, ... */
    @Override
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new java.util.LinkedHashMap<>();
        out.put("best", Tensor.scalar(best));
        int i = 0;
        for (int n : recent) out.put("kept." + i++, Tensor.scalar(n));
        return out;
    }

    @Override
    public void loadStateDict(Map<String, Tensor> state) {
        double b = Callback.stateValue("ModelCheckpoint", state, "best");
        recent.clear();
        for (int i = 0; state.containsKey("kept." + i); i++) recent.addLast((int) Callback.stateValue("ModelCheckpoint", state, "kept." + i));
        best = b;
    }

    /** {@code NAME-epochN.EXT} beside {@code file}. */
    Path epochFile(int n) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name, ext = dot > 0 ? name.substring(dot) : "";
        return file.resolveSibling(stem + "-epoch" + n + ext);
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("ModelCheckpoint: cannot delete the old checkpoint " + p, e);
        }
    }
}
