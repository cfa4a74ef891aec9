package dev.tapegrad.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.BatchNorm1d;
import dev.tapegrad.nn.Dropout;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.ReLU;
import dev.tapegrad.nn.Sequential;
import dev.tapegrad.nn.TransformerEncoderLayer;
import dev.tapegrad.nn.data.Augmented;
import dev.tapegrad.nn.data.Dataset;
import dev.tapegrad.nn.data.Subset;
import dev.tapegrad.nn.data.TensorDataset;
import dev.tapegrad.nn.io.RandomState;
import dev.tapegrad.optim.Adam;
import dev.tapegrad.optim.LrSchedule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A fit interrupted mid-epoch and resumed from its last checkpoint in fresh objects ends bit-identical to the
 * uninterrupted fit: weights, buffers, optimizer state, generators, history and the callbacks' files.
 */
class ResumeTest {
    @TempDir
    Path dir;

    /** Thrown by {@link Crash} to mimic a crash. */
    static final class Crashed extends RuntimeException {
        Crashed() { super("crash"); }
    }

    /** Throws after training batch {@code batch} of epoch {@code epoch} (when armed), after the batch's step. */
    static final class Crash implements Callback {
        private final int epoch, batch;

        Crash(int epoch, int batch) {
            this.epoch = epoch;
            this.batch = batch;
        }

        @Override
        public void onTrainBatchEnd(int e, int b, Map<String, Double> logs, Model model) { if (e == epoch && b == batch) throw new Crashed(); }
    }

    /** Everything one run is made of, built the same way each time. */
    static final class Run {
        final Random init = new Random(1), own = new Random(2), shift = new Random(3);
        final Sequential net = new Sequential(new Linear(16, 12, init), new BatchNorm1d(12), new ReLU(), new Dropout(0.3, init), new Linear(12, 12, init),
                new ReLU(), new Dropout(0.2, own), new Linear(12, 3, init));
        final Model model = Model.compile(net, new Adam(net.parameters(), 0.02), Loss.crossEntropy(), Metric.accuracy());
        final Dataset train, validation;
        final Path files;
        final List<Callback> callbacks;

        Run(Path files, boolean restoreBest, Callback crash) {
            init.nextGaussian(); // leaves a cached Gaussian in the generator shared by the first dropout, for the checkpoints to rebuild
            Random data = new Random(4);
            Tensor x = Tensor.rand(data, 62, 16), y = x.slice(1, 0, 3).argmax(1);
            TensorDataset all = new TensorDataset(x, y);
            train = new Augmented(new Subset(all, 0, 52), Augmented.randomShift(1, 0, shift));
            validation = new Subset(all, 52, 62);
            this.files = files;
            // The schedule sets the rate at each epoch's start, so it and the plateau rule are tested in turn.
            callbacks = List.of(restoreBest ? new ReduceLrOnPlateauCallback("loss", 0.5, 0) : new LearningRateScheduler(LrSchedule.cosine(3, 0.001)),
                    new EarlyStopping("val_loss", 5, 0, restoreBest), new ModelCheckpoint(files.resolve("best.safetensors"), "val_loss", 2), crash);
        }

        FitOptions options() {
            return FitOptions.epochs(3).batchSize(8).seed(5).validation(validation).callbacks(callbacks.toArray(Callback[]::new))
                    .checkpointEvery(3, files.resolve("backup.safetensors")).progress(Progress.Mode.SILENT);
        }

        History fit(FitOptions o) { return model.fit(train, o); }
    }

    private static final Crash NEVER = new Crash(-1, -1);

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void anInterruptedFitResumedInFreshObjectsEndsBitIdentical(boolean restoreBest) throws IOException {
        Path a = Files.createDirectory(dir.resolve("a")), b = Files.createDirectory(dir.resolve("b"));
        Run whole = new Run(a, restoreBest, NEVER);
        History expected = whole.fit(whole.options());

        Run crashed = new Run(b, restoreBest, new Crash(1, 4));
        assertThrows(Crashed.class, () -> crashed.fit(crashed.options()));
        // 7 batches per epoch; the crash comes after step 12 (epoch 2, batch 5), before its checkpoint: the last was step 9.
        Map<String, Tensor> backup = dev.tapegrad.nn.io.Safetensors.load(b.resolve("backup.safetensors")).tensors();
        assertEquals(1, backup.get("fit.epoch").item());
        assertEquals(2, backup.get("fit.step").item());
        assertTrue(backup.get("random.3.random").toDoubleArray()[2] == 1, "the shared generator's cached Gaussian is in the checkpoint");

        Run resumed = new Run(b, restoreBest, NEVER);
        History got = resumed.fit(resumed.options().resumeFrom(b.resolve("backup.safetensors")));

        assertArrayEquals(restoreBest ? new double[] {0.02, 0.02, 0.01} : new double[] {0.02, 0.01525, 0.00575}, expected.get("lr"), 1e-12,
                "the rate callbacks acted (the plateau rule after epoch 2's loss rose)");
        assertEquals(expected.epochs(), got.epochs(), "every epoch's logs, those before the crash included");
        assertEquals(expected.last(), got.last());
        assertBitIdentical(whole.net.stateDict(), resumed.net.stateDict(), "module");
        assertBitIdentical(whole.model.optimizer().stateDict(), resumed.model.optimizer().stateDict(), "optimizer");
        assertEquals(Stream.of(whole.init, whole.own, whole.shift).map(RandomState::of).toList(),
                Stream.of(resumed.init, resumed.own, resumed.shift).map(RandomState::of).toList(), "the generators of both dropouts and of the augmentation");
        for (String f : List.of("best.safetensors", "best-epoch2.safetensors", "best-epoch3.safetensors", "backup.safetensors"))
            assertBitIdentical(dev.tapegrad.nn.io.Safetensors.load(a.resolve(f)).tensors(), dev.tapegrad.nn.io.Safetensors.load(b.resolve(f)).tensors(), f);
        try (Stream<Path> kept = Files.list(b)) {
            assertEquals(List.of("backup.safetensors", "best-epoch2.safetensors", "best-epoch3.safetensors", "best.safetensors"),
                    kept.map(p -> p.getFileName().toString()).sorted().toList(), "ModelCheckpoint deleted epoch 1's file after the resume");
        }
        // Writing checkpoints changes nothing in the run, and a run with another seed differs, so the comparison can fail.
        Run unwatched = new Run(Files.createDirectory(dir.resolve("d")), restoreBest, NEVER);
        FitOptions o = FitOptions.epochs(3).batchSize(8).seed(5).validation(unwatched.validation).callbacks(unwatched.callbacks.toArray(Callback[]::new))
                .progress(Progress.Mode.SILENT);
        assertEquals(expected.epochs(), unwatched.fit(o).epochs());
        assertBitIdentical(whole.net.stateDict(), unwatched.net.stateDict(), "module without checkpoints");
        Run other = new Run(Files.createDirectory(dir.resolve("c")), restoreBest, NEVER);
        assertNotEquals(expected.last().get("loss"), other.fit(other.options().seed(6)).last().get("loss"));
        assertTrue(!java.util.Arrays.equals(whole.net.stateDict().get("0.weight").toFloatArray(), other.net.stateDict().get("0.weight").toFloatArray()));
    }

    private static void assertBitIdentical(Map<String, Tensor> want, Map<String, Tensor> got, String what) {
        assertEquals(want.keySet(), got.keySet(), what + " keys");
        want.forEach((k, v) -> {
            assertEquals(v.dtype(), got.get(k).dtype(), what + " " + k);
            assertArrayEquals(v.shape(), got.get(k).shape(), what + " " + k);
            long[] w = java.util.Arrays.stream(v.toDoubleArray()).mapToLong(Double::doubleToRawLongBits).toArray();
            long[] g = java.util.Arrays.stream(got.get(k).toDoubleArray()).mapToLong(Double::doubleToRawLongBits).toArray();
            assertArrayEquals(w, g, what + " " + k + " differs");
        });
    }

    /** A checkpoint written by a crashed run of {@link Run}. */
    private Path crashedCheckpoint() {
        Run crashed = new Run(dir, false, new Crash(1, 4));
        assertThrows(Crashed.class, () -> crashed.fit(crashed.options()));
        return dir.resolve("backup.safetensors");
    }

    private static void fails(Executable e, String... mustMention) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        for (String m : mustMention) assertTrue(ex.getMessage().contains(m), () -> "message '" + ex.getMessage() + "' lacks '" + m + "'");
    }

    @Test
    void aCheckpointOfAnotherDataSetBatchSizeSeedOrCallbackListIsRefused() {
        Path f = crashedCheckpoint();
        Run r = new Run(dir, false, NEVER);
        float[] before = r.net.stateDict().get("0.weight").toFloatArray();
        fails(() -> r.fit(r.options().batchSize(10).resumeFrom(f)), "resumeFrom", "batch size 8", "has 10");
        fails(() -> r.model.fit(new Subset(r.train, 0, 40), r.options().resumeFrom(f)), "resumeFrom", "training set of 52 examples", "has 40");
        fails(() -> r.fit(r.options().seed(7).resumeFrom(f)), "resumeFrom", "seed '5'", "'7'");
        fails(() -> r.model.fit(r.train, FitOptions.epochs(3).batchSize(8).seed(5).validation(r.validation).resumeFrom(f).progress(Progress.Mode.SILENT)),
                "resumeFrom", "callbacks", "EarlyStopping");
        assertArrayEquals(before, r.net.stateDict().get("0.weight").toFloatArray(), "nothing was loaded");
    }

    @Test
    void aModelOrDataSetWithOtherGeneratorsIsRefusedAndNothingChanges() {
        Path f = crashedCheckpoint();
        Run r = new Run(dir, false, NEVER);
        Dataset plain = new Augmented(new Subset(new TensorDataset(Tensor.rand(new Random(4), 52, 16), Tensor.zeros(52)), 0, 52), x -> x);
        fails(() -> r.model.fit(plain, r.options().resumeFrom(f)), "resumeFrom", "data.random.transform.0", "[]");
        Random shared = new Random(9);
        Sequential net = new Sequential(new Linear(16, 12, new Random(1)), new BatchNorm1d(12), new ReLU(), new Dropout(0.3, shared), new Linear(12, 12, new Random(1)),
                new ReLU(), new Dropout(0.2, shared), new Linear(12, 3, new Random(1)));
        Model m = Model.compile(net, new Adam(net.parameters(), 0.5), Loss.crossEntropy(), Metric.accuracy());
        Random dropout = net.namedRandoms().get("3.random");
        RandomState before = RandomState.of(dropout);
        fails(() -> m.fit(r.train, r.options().resumeFrom(f)), "the checkpoint's generators [random.3.random, random.6.random] are not this fit's [random.3.random]");
        assertEquals(before, RandomState.of(dropout));
        assertEquals(0.5, m.optimizer().lr(), 0, "the optimizer is untouched");
    }

    @Test
    void aTruncatedOrCorruptedCheckpointIsDetected() throws IOException {
        Path f = crashedCheckpoint();
        byte[] bytes = Files.readAllBytes(f);
        Path truncated = dir.resolve("truncated.safetensors"), flipped = dir.resolve("flipped.safetensors");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 13));
        byte[] bad = bytes.clone();
        bad[bad.length - 20] ^= 4;
        Files.write(flipped, bad);
        Run r = new Run(dir, false, NEVER);
        fails(() -> r.fit(r.options().resumeFrom(truncated)), "truncated.safetensors");
        fails(() -> r.fit(r.options().resumeFrom(flipped)), "flipped.safetensors", "corrupt");
        fails(() -> r.fit(r.options().resumeFrom(dir.resolve("missing.safetensors"))), "missing.safetensors");
    }

    @Test
    void aPlainTrainingCheckpointHasNoFitPositionButRestoresTheGenerators() {
        Run r = new Run(dir, false, NEVER);
        Path f = dir.resolve("plain.safetensors");
        r.net.forward(Tensor.rand(new Random(8), 4, 16));
        TrainingCheckpoint.save(f, r.net, r.model.optimizer());
        fails(() -> r.fit(r.options().resumeFrom(f)), "holds no fit position");
        Tensor x = Tensor.rand(new Random(8), 4, 16);
        float[] next = r.net.forward(x).toFloatArray();
        float[] other = r.net.forward(x).toFloatArray();
        assertTrue(!java.util.Arrays.equals(next, other), "dropout draws new masks");
        TrainingCheckpoint.load(f, r.net, r.model.optimizer());
        // BatchNorm's running statistics moved with the two forwards and are restored too, so the output repeats exactly.
        assertArrayEquals(next, r.net.forward(x).toFloatArray());
    }

    @Test
    void aGeneratorThatCouldNotBeRestoredIsRefusedWhenTheCheckpointIsWritten() {
        Random r = new Random(1);
        Sequential net = new Sequential(new Linear(2, 2, r), new Dropout(0.5, r));
        r.nextGaussian();
        for (long i = 0; i <= RandomState.MAX_GAP; i++) r.nextInt();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TrainingCheckpoint.save(dir.resolve("x"), net, new Adam(net.parameters(), 0.1)));
        assertTrue(e.getMessage().contains("generator 'random.1.random' could not be restored exactly") && e.getMessage().contains("cannot be rebuilt"), e.getMessage());
        assertTrue(!Files.exists(dir.resolve("x")));
    }

    @Test
    void checkpointOptionsAreChecked() {
        fails(() -> FitOptions.epochs(1).checkpointEvery(0, dir.resolve("x")), "FitOptions", "checkpoint every 0 steps");
        NullPointerException e = assertThrows(NullPointerException.class, () -> FitOptions.epochs(1).checkpointEvery(5, null));
        assertTrue(e.getMessage().contains("checkpoint file is null"));
        e = assertThrows(NullPointerException.class, () -> FitOptions.epochs(1).resumeFrom(null));
        assertTrue(e.getMessage().contains("resume file is null"));
    }

    @Test
    void modulesAndDataSetsNameTheirGeneratorsOnce() {
        Random a = new Random(1), b = new Random(2);
        Sequential s = new Sequential(new Dropout(0.1, a), new Dropout(0.1, b), new Dropout(0.1, a), new Dropout(0, b));
        assertEquals(Map.of("0.random", a, "1.random", b), s.namedRandoms());
        assertEquals(List.of("0.random", "1.random"), List.copyOf(s.namedRandoms().keySet()));
        TransformerEncoderLayer layer = new TransformerEncoderLayer(8, 2, 16, 0.1, "relu", 1e-5, false, false, a);
        assertEquals(Map.of("self_attn.random", a), layer.namedRandoms(), "every dropout of the layer shares one generator, listed once");
        assertEquals(Map.of(), new TransformerEncoderLayer(8, 2, 16, 0, "relu", 1e-5, false, false, a).namedRandoms(), "without dropout nothing draws");
        assertEquals(Map.of("random", b), new dev.tapegrad.nn.LSTM(4, 8, 2, true, false, 0.2, false, b).namedRandoms(), "dropout between recurrent layers");
        assertEquals(Map.of(), new dev.tapegrad.nn.LSTM(4, 8, 2, true, false, 0, false, b).namedRandoms());
        Dataset d = new Subset(new Augmented(new Augmented(new TensorDataset(Tensor.zeros(4, 16), Tensor.zeros(4)), Augmented.randomShift(1, 0, b)),
                Augmented.both(Augmented.randomShift(1, 0, a), Augmented.randomShift(1, 0, a))), 0, 2);
        assertEquals(Map.of("transform.0", a, "base.transform.0", b), d.namedRandoms());
    }
}
