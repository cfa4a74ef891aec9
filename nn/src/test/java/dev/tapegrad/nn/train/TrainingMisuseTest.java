package dev.tapegrad.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.data.TensorDataset;
import dev.tapegrad.optim.SGD;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The reproducers of misuse in training: a clear message instead of a hang, a NaN that looks like success, or an index error. */
class TrainingMisuseTest {
    private static final Linear NET = new Linear(3, 2, new Random(1));
    private static final Model MODEL = Model.compile(NET, new SGD(NET.parameters(), 0.1), Loss.crossEntropy(), Metric.accuracy());

    private static void fails(Executable e, String... mustMention) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        for (String m : mustMention) assertTrue(ex.getMessage().contains(m), () -> "message '" + ex.getMessage() + "' lacks '" + m + "'");
    }

    @Test
    void predictRefusesBatchSizeZeroAndHandlesAnEmptyInput() {
        fails(() -> MODEL.predict(Tensor.zeros(4, 3), 0), "predict", "batch size 0");
        assertArrayEquals(new int[] {0, 2}, MODEL.predict(Tensor.zeros(0, 3), 8).shape());
    }

    @Test
    void fitRefusesEmptyTrainingAndValidationSets() {
        TensorDataset empty = new TensorDataset(Tensor.zeros(0, 3), Tensor.zeros(0));
        fails(() -> MODEL.fit(empty, FitOptions.epochs(1).progress(Progress.Mode.SILENT)), "fit", "training set is empty");
        TensorDataset ten = new TensorDataset(Tensor.zeros(10, 3), Tensor.zeros(10));
        fails(() -> MODEL.fit(ten, FitOptions.epochs(1).validationSplit(0.99).progress(Progress.Mode.SILENT)), "fit", "empty", "validationSplit(0.99) of 10");
    }

    @Test
    void nanScoresAreNeverCorrect() {
        Tensor nan = Tensor.full(Double.NaN, 4, 3);
        assertEquals(0, Metrics.topKAccuracy(nan, new int[] {0, 1, 2, 0}, 1));
        Tensor partly = Tensor.of(new float[] {5, Float.NaN, 1, 0, 3, 1}, 2, 3);
        assertEquals(0.5, Metrics.topKAccuracy(partly, new int[] {0, 1}, 1));
        fails(() -> Metrics.topKAccuracy(Tensor.zeros(2, 3), new int[] {0, 3}, 1), "topKAccuracy", "label 3");
    }

    @Test
    void confusionMatrixChecksItsClassesAndLabels() {
        Tensor scores = Tensor.of(new float[] {0, 0, 5, 0, 0, 5}, 2, 3);
        fails(() -> Metrics.confusionMatrix(scores, new int[] {0, 1}, 2), "confusionMatrix", "2 classes", "[2, 3]");   // was an index error
        fails(() -> Metrics.confusionMatrix(scores, new int[] {0, 1}, -1), "confusionMatrix", "classes -1");   // was NegativeArraySizeException
        fails(() -> Metrics.confusionMatrix(Tensor.zeros(1, 100_000), new int[] {0}, 100_000), "confusionMatrix", "10000000000 counts");   // was heap exhaustion
        fails(() -> Metrics.confusionMatrix(scores, new int[] {0, 3}, 3), "confusionMatrix", "label 3");
        assertArrayEquals(new long[] {0, 0, 2}, Metrics.confusionMatrix(scores, new int[] {2, 2}, 3)[2]);
        assertArrayEquals(new long[] {0, 0, 1, 0}, Metrics.confusionMatrix(scores, new int[] {3, 0}, 4)[3]);   // more classes than columns: a class never predicted
        fails(() -> Metrics.labels(Tensor.of(new float[] {0, 0.5f})), "Metrics.labels: labels must hold integers", "0.5");   // was "toIntArray: ..."
        fails(() -> Metrics.format(new long[][] {{1, 2}, {3}}), "Metrics.format", "row 1");
        for (var e : java.util.Map.<String, Executable>of("Metrics.format: m is null", () -> Metrics.format(null),
                "confusionMatrix: scores is null", () -> Metrics.confusionMatrix(null, new int[0], 1),
                "topKAccuracy: labels is null", () -> Metrics.topKAccuracy(scores, null, 1)).entrySet())
            assertEquals(e.getKey(), assertThrows(NullPointerException.class, e.getValue()).getMessage());
    }

    @Test
    void nullOptionsAndDataAreNamed() {
        // were: a NullPointerException without a message, the JDK's, or (DataLoader) accepted until the first epoch
        java.util.Map<String, Executable> calls = new java.util.LinkedHashMap<>();
        calls.put("FitOptions: callbacks is null", () -> FitOptions.epochs(1).callbacks((Callback[]) null));
        calls.put("FitOptions: callback 1 of 2 is null", () -> FitOptions.epochs(1).callbacks(new TerminateOnNaN(), null));
        calls.put("FitOptions: progress mode is null", () -> FitOptions.epochs(1).progress(null));
        calls.put("TensorDataset: inputs is null", () -> new TensorDataset(null, Tensor.zeros(2)));
        calls.put("TensorDataset: targets is null", () -> new TensorDataset(Tensor.zeros(2), null));
        calls.put("DataLoader: dataset is null", () -> new dev.tapegrad.nn.data.DataLoader(null, 2));
        calls.forEach((message, call) -> assertEquals(message, assertThrows(NullPointerException.class, call).getMessage()));
    }

    /** A regression that diverges to infinity, then NaN, within a few steps (SGD with a huge learning rate). */
    private static Model diverging(Linear net) {
        return Model.compile(net, new SGD(net.parameters(), 1e6), Loss.mse());
    }

    @Test
    void terminateOnNaNStopsAtTheBatchAndBatchHooksRun() {
        Linear net = new Linear(3, 1, new Random(1));
        Random r = new Random(2);
        TensorDataset data = new TensorDataset(Tensor.randn(r, 64, 3), Tensor.randn(r, 64, 1));
        TerminateOnNaN stop = new TerminateOnNaN();
        int[] batches = new int[2];
        Callback count = new Callback() {
            @Override
            public void onTrainBatchBegin(int epoch, int batch, Model model) { batches[0]++; }

            @Override
            public void onTrainBatchEnd(int epoch, int batch, java.util.Map<String, Double> logs, Model model) {
                batches[1]++;
                assertTrue(logs.containsKey("loss"));
            }
        };
        History h = diverging(net).fit(data, FitOptions.epochs(5).batchSize(4).callbacks(count, stop).progress(Progress.Mode.SILENT));
        assertTrue(stop.stoppedAt() != null && stop.stoppedAt().startsWith("epoch 1, batch "), String.valueOf(stop.stoppedAt()));
        int at = Integer.parseInt(stop.stoppedAt().replaceAll("epoch 1, batch (\\d+):.*", "$1"));
        assertTrue(at < 16, "stopped before the end of the first epoch: " + stop.stoppedAt());
        assertEquals(at, batches[0]);
        assertEquals(at, batches[1]);
        assertEquals(1, h.epochs().size());
    }

    @Test
    void aCheckpointIsNeverOverwrittenWithNaNWeights(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Linear net = new Linear(3, 1, new Random(1));
        Random r = new Random(2);
        TensorDataset data = new TensorDataset(Tensor.randn(r, 64, 3), Tensor.randn(r, 64, 1));
        java.nio.file.Path f = dir.resolve("model.safetensors");
        dev.tapegrad.nn.io.Checkpoints.saveModel(f, net);
        byte[] good = java.nio.file.Files.readAllBytes(f);
        diverging(net).fit(data, FitOptions.epochs(3).batchSize(4).callbacks(new ModelCheckpoint(f, "loss", false)).progress(Progress.Mode.SILENT));
        assertTrue(Double.isNaN(net.weight.value().toDoubleArray()[0]) || Double.isInfinite(net.weight.value().toDoubleArray()[0]));
        assertArrayEquals(good, java.nio.file.Files.readAllBytes(f), "the good file is kept");
    }

    @Test
    void modelCheckpointKeepsTheBestAndTheLastK(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Linear net = new Linear(3, 2, new Random(1));
        java.nio.file.Path best = dir.resolve("best.safetensors");
        double[] losses = {0.9, 0.5, 0.7, 0.6, 0.8};   // the monitored values, epoch by epoch: the best is epoch 2
        ModelCheckpoint ckpt = new ModelCheckpoint(best, "loss", 2);
        Model m = Model.compile(net, new SGD(net.parameters(), 0.1), Loss.crossEntropy());
        ckpt.onTrainBegin(m);
        byte[] atBest = null;
        for (int e = 0; e < losses.length; e++) {
            net.weight.assign(Tensor.full(e, 2, 3));
            ckpt.onEpochEnd(e, java.util.Map.of("loss", losses[e]), m);
            if (e == 1) atBest = java.nio.file.Files.readAllBytes(best);
        }
        try (var files = java.nio.file.Files.list(dir)) {
            assertEquals(java.util.List.of("best-epoch4.safetensors", "best-epoch5.safetensors", "best.safetensors"),
                    files.map(f -> f.getFileName().toString()).sorted().toList());
        }
        assertArrayEquals(atBest, java.nio.file.Files.readAllBytes(best), "the best epoch stays in the main file");
        assertEquals(4, dev.tapegrad.nn.io.Safetensors.load(dir.resolve("best-epoch5.safetensors")).tensors().get("weight").get(0, 0));
        fails(() -> new ModelCheckpoint(best, "loss", 0), "keepLast 0");
    }

    @Test
    void twoFitsOfOneEpochTrainExactlyAsOneFitOfTwo() {
        double[][] weights = new double[2][];
        for (int variant = 0; variant < 2; variant++) {
            dev.tapegrad.nn.Sequential net = new dev.tapegrad.nn.Sequential(new Linear(3, 8, new Random(1)), new dev.tapegrad.nn.Dropout(0.3, new Random(2)),
                    new dev.tapegrad.nn.ReLU(), new Linear(8, 2, new Random(3)));
            Random r = new Random(4);
            TensorDataset data = new TensorDataset(Tensor.randn(r, 40, 3), Tensor.randn(r, 40).gt(0));
            Model m = Model.compile(net, new dev.tapegrad.optim.Adam(net.parameters(), 0.01), Loss.crossEntropy());
            var schedule = new LearningRateScheduler(dev.tapegrad.optim.LrSchedule.cosine(2, 0));
            if (variant == 0) m.fit(data, FitOptions.epochs(2).batchSize(8).seed(5).callbacks(schedule).progress(Progress.Mode.SILENT));
            else for (int k = 0; k < 2; k++) m.fit(data, FitOptions.epochs(1).batchSize(8).seed(5).callbacks(schedule).progress(Progress.Mode.SILENT));
            weights[variant] = Tensor.cat(0, net.parameters().stream().map(p -> p.value().reshape(-1)).toArray(Tensor[]::new)).toDoubleArray();
        }
        assertArrayEquals(weights[0], weights[1], 0);
    }
}
