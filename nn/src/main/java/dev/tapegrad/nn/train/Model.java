package dev.tapegrad.nn.train;

import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Gradients;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.Module;
import dev.tapegrad.nn.data.DataLoader;
import dev.tapegrad.nn.data.Dataset;
import dev.tapegrad.nn.data.Subset;
import dev.tapegrad.nn.io.RandomState;
import dev.tapegrad.optim.Clipping;
import dev.tapegrad.optim.Optimizer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * A module with its optimizer, loss and metrics: Keras' compiled model, made by {@link #compile}
 * ({@code Model.compile(net, optimizer, loss, metrics)}; training uses the module, the module never knows of
 * training, so {@code nn} does not depend on {@code nn.train}).
 * {@link #fit} trains for some epochs and returns a {@link History}; {@link #evaluate} and {@link #predict}
 * run in eval mode without recording. Successive {@code fit} calls continue one another, as Keras' do: the
 * epochs keep counting (callbacks and schedules see epoch 3 after {@code fit} of 2 epochs and another), and
 * the shuffle keeps drawing from the same {@code Random} while the seed stays the same, so {@code fit(1 epoch)}
 * twice trains exactly as {@code fit(2 epochs)} once. A fit can also write training checkpoints as it goes
 * ({@link FitOptions#checkpointEvery}) and be resumed from one in a fresh process ({@link FitOptions#resumeFrom}),
 * ending bit-identical to the uninterrupted run (Keras' {@code BackupAndRestore}). One training step is exactly the hand-written loop:
 *
 * <pre>{@code
 * try (GradientTape tape = GradientTape.record()) {
 *     grads = loss.apply(module.forward(x), y).backward();
 * }
 * optimizer.step(grads);
 * }</pre>
 */
public final class Model {
    private final Module module;
    private final Optimizer optimizer;
    private final Loss loss;
    private final List<Metric> metrics;
    private boolean stop;
    /** Epochs trained by earlier {@link #fit} calls, and the shuffle they drew from: a later fit continues both. */
    private int epochsDone;
    private Random shuffle;
    private long shuffleSeed;

    private Model(Module module, Optimizer optimizer, Loss loss, Metric... metrics) {
        this.module = Objects.requireNonNull(module, "Model.compile: module is null");
        this.optimizer = Objects.requireNonNull(optimizer, "Model.compile: optimizer is null");
        this.loss = Objects.requireNonNull(loss, "Model.compile: loss is null");
        this.metrics = List.of(metrics);
    }

    /**
     * {@code module} with an optimizer, a loss and metrics, ready for {@code fit/evaluate/predict} (Keras'
     * {@code model.compile(optimizer, loss, metrics)}).
     */
    public static Model compile(Module module, Optimizer optimizer, Loss loss, Metric... metrics) {
        return new Model(module, optimizer, loss, metrics);
    }

    public Module module() { return module; }

    public Optimizer optimizer() { return optimizer; }

    /** Asks {@link #fit} to stop after the current epoch (for callbacks). */
    public void stopTraining() { stop = true; }

    /** One optimizer step on a batch; returns the batch loss and the output it was computed from. */
    public StepResult trainStep(Tensor x, Tensor y, double clipGradNorm) {
        Tensor out, l;
        Gradients grads;
        try (GradientTape tape = GradientTape.record()) {
            out = module.forward(x);
            l = loss.apply(out, y);
            grads = l.backward();
        }
        if (clipGradNorm > 0) grads = Clipping.byGlobalNorm(grads, clipGradNorm);
        optimizer.step(grads);
        return new StepResult(l.item(), out.detach());
    }

    /** A training step's loss and output. */
    public record StepResult(double loss, Tensor output) {}

    /**
     * Trains on {@code train} for {@code o}'s epochs (see {@link FitOptions}), each epoch in a new order drawn from
     * the shuffle, calling the callbacks' hooks; returns the epochs' logs. With {@link FitOptions#checkpointEvery}
     * it writes training checkpoints as it goes; with {@link FitOptions#resumeFrom} it continues the interrupted
     * call that wrote one, at the step after it, and returns that whole call's history.
     */
    public History fit(Dataset train, FitOptions o) {
        Dataset data = train, validation = o.validation;
        if (o.validationSplit > 0) {
            int cut = (int) Math.round(train.size() * (1 - o.validationSplit));
            data = new Subset(train, 0, cut);
            validation = new Subset(train, cut, train.size());
        }
        if (data.size() == 0)
            throw new IllegalArgumentException("fit: the training set is empty" + (o.validationSplit > 0 ? " after validationSplit(" + o.validationSplit + ") of "
                    + train.size() + " examples" : ""));
        if (validation != null && validation.size() == 0)
            throw new IllegalArgumentException("fit: the validation set is empty" + (o.validationSplit > 0 ? " after validationSplit(" + o.validationSplit + ") of "
                    + train.size() + " examples" : ""));
        if (shuffle == null || shuffleSeed != o.seed) {
            shuffle = new Random(o.seed);
            shuffleSeed = o.seed;
        }
        DataLoader loader = new DataLoader(data, o.batchSize, o.shuffle ? shuffle : null, false);
        Progress progress = Progress.of(o.progress);
        History history = new History();
        stop = false;
        o.callbacks.forEach(c -> c.onTrainBegin(this));
        FitState s = o.resumeFrom == null ? new FitState(epochsDone, metrics.size())
                : TrainingCheckpoint.resume(o.resumeFrom, this, data, o, shuffle, history);
        boolean resumed = o.resumeFrom != null;
        int end = s.firstEpoch + o.epochs;
        for (epochsDone = s.epoch; epochsDone < end && !stop; epochsDone++, resumed = false) {
            int epoch = epochsDone;
            if (!resumed) {
                s.beginEpoch(epoch, RandomState.of(shuffle));
                for (Callback c : o.callbacks) c.onEpochBegin(epoch, this);
            }
            module.train();
            long start = System.nanoTime();
            progress.epochBegin(epoch, end, loader.batches());
            for (Iterator<DataLoader.Batch> it = loader.iterator(s.step); it.hasNext() && !stop; ) {
                DataLoader.Batch b = it.next();
                int step = s.step;
                for (Callback c : o.callbacks) c.onTrainBatchBegin(epoch, step, this);
                StepResult r = trainStep(b.inputs(), b.targets(), o.clipGradNorm);
                int n = b.size();
                s.seen += n;
                s.lossSum += r.loss() * n;
                Map<String, Double> batchLogs = new LinkedHashMap<>();
                batchLogs.put("loss", r.loss());
                for (int i = 0; i < metrics.size(); i++) {
                    double m = metrics.get(i).compute(r.output(), b.targets());
                    s.metricSums[i] += m * n;
                    batchLogs.put(metrics.get(i).name(), m);
                }
                if (!Double.isFinite(r.loss()) && !s.nonFinite) {
                    s.nonFinite = true;
                    progress.message("warning: the loss became " + r.loss() + " at epoch " + (epoch + 1) + ", batch " + (step + 1)
                            + " (add TerminateOnNaN to stop there, or GradientTape.detectAnomaly() to find the operation)");
                }
                s.step++;
                progress.step(s.step, s.lossSum / s.seen, averages(s.metricSums, s.seen), s.seen / ((System.nanoTime() - start) / 1e9));
                for (Callback c : o.callbacks) c.onTrainBatchEnd(epoch, step, batchLogs, this);
                if (o.checkpointEvery > 0 && ((long) epoch * loader.batches() + s.step) % o.checkpointEvery == 0)
                    TrainingCheckpoint.save(o.checkpointFile, this, data, o, s, history);
            }
            Map<String, Double> logs = new LinkedHashMap<>();
            logs.put("loss", s.lossSum / s.seen);
            logs.putAll(averages(s.metricSums, s.seen));
            if (validation != null) evaluate(validation, o.batchSize).forEach((k, v) -> logs.put("val_" + k, v));
            logs.put("lr", optimizer.lr());
            history.add(logs);
            progress.epochEnd(epoch, logs, (System.nanoTime() - start) / 1e9);
            for (Callback c : o.callbacks) c.onEpochEnd(epoch, logs, this);
        }
        o.callbacks.forEach(c -> c.onTrainEnd(this));
        return history;
    }

    /** The metrics, in order (for training checkpoints). */
    List<Metric> metrics() { return metrics; }

    private Map<String, Double> averages(double[] sums, int n) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < metrics.size(); i++) m.put(metrics.get(i).name(), sums[i] / n);
        return m;
    }

    /** Loss and metrics over {@code data} in eval mode (the mode is restored afterwards). */
    public Map<String, Double> evaluate(Dataset data, int batchSize) {
        boolean wasTraining = module.isTraining();
        module.eval();
        double lossSum = 0;
        double[] sums = new double[metrics.size()];
        int seen = 0;
        try (GradientTape.Pause pause = GradientTape.pause()) {
            for (DataLoader.Batch b : new DataLoader(data, batchSize)) {
                Tensor out = module.forward(b.inputs());
                int n = b.size();
                seen += n;
                lossSum += loss.apply(out, b.targets()).item() * n;
                for (int i = 0; i < metrics.size(); i++) sums[i] += metrics.get(i).compute(out, b.targets()) * n;
            }
        } finally {
            if (wasTraining) module.train();
        }
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("loss", lossSum / seen);
        logs.putAll(averages(sums, seen));
        return logs;
    }

    /** The module's outputs for {@code x} ({@code [N, ...]}), in batches, eval mode, nothing recorded. */
    public Tensor predict(Tensor x, int batchSize) {
        Objects.requireNonNull(x, "predict: x is null");
        if (batchSize <= 0) throw new IllegalArgumentException("predict: batch size " + batchSize + " must be positive");
        if (x.rank() == 0) throw new IllegalArgumentException("predict: x must have a batch axis, got a 0-d tensor");
        boolean wasTraining = module.isTraining();
        module.eval();
        List<Tensor> parts = new ArrayList<>();
        try (GradientTape.Pause pause = GradientTape.pause()) {
            if (x.size(0) == 0) parts.add(module.forward(x));
            for (int i = 0; i < x.size(0); i += batchSize) parts.add(module.forward(x.slice(0, i, Math.min(x.size(0), i + batchSize))));
        } finally {
            if (wasTraining) module.train();
        }
        return Tensor.cat(0, parts.toArray(Tensor[]::new));
    }
}
