package dev.tapegrad.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Gradients;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.Losses;
import dev.tapegrad.nn.ReLU;
import dev.tapegrad.nn.Sequential;
import dev.tapegrad.nn.data.DataLoader;
import dev.tapegrad.nn.data.TensorDataset;
import dev.tapegrad.nn.io.Safetensors;
import dev.tapegrad.optim.LrSchedule;
import dev.tapegrad.optim.SGD;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fit/evaluate/predict, callbacks and metrics on a small separable problem. */
class ModelTest {

    /** Two Gaussian blobs per class, 3 classes, 2 features. */
    static TensorDataset blobs(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[2 * n], y = new float[n];
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            y[i] = c;
            x[2 * i] = (float) (Math.cos(2 * Math.PI * c / 3) * 3 + r.nextGaussian() * 0.5);
            x[2 * i + 1] = (float) (Math.sin(2 * Math.PI * c / 3) * 3 + r.nextGaussian() * 0.5);
        }
        return new TensorDataset(Tensor.of(x, n, 2), Tensor.of(y, n));
    }

    static Sequential net(long seed) {
        Random r = new Random(seed);
        return new Sequential(new Linear(2, 16, r), new ReLU(), new Linear(16, 3, r));
    }

    @Test
    void fitLearnsAndReportsHistoryAndMetrics() {
        Sequential net = net(1);
        Model m = Model.compile(net, new SGD(net.parameters(), 0.1, 0.9), Loss.crossEntropy(), Metric.accuracy(), Metric.topK(2));
        History h = m.fit(blobs(300, 1), FitOptions.epochs(5).batchSize(32).validation(blobs(90, 2)).progress(Progress.Mode.SILENT));
        assertEquals(5, h.epochs().size());
        assertTrue(h.get("loss")[4] < h.get("loss")[0] * 0.5);
        assertTrue(h.last().get("val_accuracy") > 0.95, h.last().toString());
        assertEquals(1.0, h.last().get("top2_accuracy"), 0.01);
        assertTrue(h.last().containsKey("lr") && h.last().containsKey("val_loss"));
        assertTrue(m.evaluate(blobs(90, 3), 16).get("accuracy") > 0.95);
        assertArrayEquals(new int[] {7, 3}, m.predict(blobs(7, 4).inputs(), 3).shape());
        assertTrue(net.isTraining());
    }

    @Test
    void fitIsTheHandWrittenLoop() {
        TensorDataset data = blobs(64, 5);
        Sequential a = net(3), b = net(3);
        Model.compile(a, new SGD(a.parameters(), 0.05), Loss.crossEntropy()).fit(data, FitOptions.epochs(2).batchSize(16).seed(9).progress(Progress.Mode.SILENT));
        SGD opt = new SGD(b.parameters(), 0.05);
        DataLoader loader = new DataLoader(data, 16, new Random(9), false);
        for (int epoch = 0; epoch < 2; epoch++) {
            for (DataLoader.Batch batch : loader) {
                Gradients g;
                try (GradientTape tape = GradientTape.record()) {
                    g = Losses.crossEntropy(b.forward(batch.inputs()), Metrics.labels(batch.targets())).backward();
                }
                opt.step(g);
            }
        }
        a.stateDict().forEach((k, v) -> assertArrayEquals(v.toFloatArray(), b.stateDict().get(k).toFloatArray(), k));
    }

    @Test
    void earlyStoppingStopsAndRestoresTheBestWeights() {
        Sequential net = net(1);
        Model m = Model.compile(net, new SGD(net.parameters(), 0.1), Loss.crossEntropy(), Metric.accuracy());
        // a custom callback makes the monitored value worsen after epoch 1
        Callback fakeMetric = new Callback() {
            @Override
            public void onEpochEnd(int epoch, java.util.Map<String, Double> logs, Model model) {}
        };
        EarlyStopping stop = new EarlyStopping("loss", 0, 10, true);
        History h = m.fit(blobs(90, 1), FitOptions.epochs(10).callbacks(fakeMetric, stop).progress(Progress.Mode.SILENT));
        assertEquals(2, h.epochs().size(), "stops after the first epoch that fails to improve by minDelta 10");
    }

    @Test
    void scheduleAndCheckpointCallbacks(@TempDir Path dir) {
        Sequential net = net(1);
        Model m = Model.compile(net, new SGD(net.parameters(), 1.0), Loss.crossEntropy(), Metric.accuracy());
        Path file = dir.resolve("best.safetensors");
        History h = m.fit(blobs(60, 1), FitOptions.epochs(3).validationSplit(0.25).progress(Progress.Mode.SILENT)
                .callbacks(new LearningRateScheduler(LrSchedule.exponential(0.5)), new ModelCheckpoint(file, "val_loss", true)));
        assertArrayEquals(new double[] {1, 0.5, 0.25}, h.get("lr"), 0);
        assertTrue(Files.exists(file));
        assertEquals(net.stateDict().keySet(), Safetensors.load(file).tensors().keySet());
    }

    @Test
    void reduceOnPlateauCallbackLowersTheRate() {
        Sequential net = net(1);
        Model m = Model.compile(net, new SGD(net.parameters(), 0.5), Loss.crossEntropy());
        // a custom callback logs a metric that never improves, so with patience 0 every epoch after the first reduces the rate
        Callback flat = new Callback() {
            @Override
            public void onEpochEnd(int epoch, java.util.Map<String, Double> logs, Model model) { logs.put("flat", 1.0); }
        };
        History h = m.fit(blobs(30, 1), FitOptions.epochs(3).progress(Progress.Mode.SILENT).callbacks(flat, new ReduceLrOnPlateauCallback("flat", 0.5, 0)));
        assertArrayEquals(new double[] {0.5, 0.5, 0.25}, h.get("lr"), 1e-15);
        assertEquals(0.125, m.optimizer().lr(), 1e-15);
    }

    @Test
    void metricsAndConfusionMatrix() {
        Tensor scores = Tensor.of(new float[] {0.1f, 0.7f, 0.2f, 0.9f, 0.05f, 0.05f, 0.3f, 0.3f, 0.4f}, 3, 3);
        int[] labels = {1, 1, 0};
        assertEquals(1 / 3.0, Metrics.topKAccuracy(scores, labels, 1), 1e-12);
        assertEquals(1.0, Metrics.topKAccuracy(scores, labels, 2), 1e-12);
        assertEquals(0.0, Metrics.topKAccuracy(Tensor.of(new float[] {0.5f, 0.5f}, 1, 2), new int[] {1}, 1), 0, "ties go to the lower index");
        long[][] cm = Metrics.confusionMatrix(scores, labels, 3);
        assertArrayEquals(new long[] {0, 0, 1}, cm[0]);
        assertArrayEquals(new long[] {1, 1, 0}, cm[1]);
        assertTrue(Metrics.format(cm).contains("true\\pred"));
    }
}
