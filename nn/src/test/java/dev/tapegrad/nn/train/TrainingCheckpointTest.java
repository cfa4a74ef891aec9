package dev.tapegrad.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.nn.BatchNorm1d;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.Sequential;
import dev.tapegrad.optim.Adam;
import dev.tapegrad.optim.RMSprop;
import dev.tapegrad.optim.SGD;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A training checkpoint fits only the optimizer it came from, and a load that does not fit changes nothing. */
class TrainingCheckpointTest {
    @TempDir
    Path dir;

    @Test
    void anotherOptimizerKindIsRefused() {
        Sequential a = new Sequential(new Linear(3, 4, new Random(1)));
        Path f = dir.resolve("adam.safetensors");
        TrainingCheckpoint.save(f, a, new Adam(a.parameters(), 0.01));
        for (var other : java.util.List.of(new SGD(a.parameters(), 0.1), new RMSprop(a.parameters(), 0.1))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingCheckpoint.load(f, a, other));
            assertTrue(e.getMessage().contains("Adam") && e.getMessage().contains(other.getClass().getSimpleName()), e.getMessage());
        }
    }

    @Test
    void anOptimizerStateOfOtherSettingsIsRefused() {
        Sequential a = new Sequential(new Linear(3, 4, new Random(1)));
        Adam amsgrad = new Adam(a.parameters(), 0.01, 0.9, 0.999, 1e-8, 0, true);
        try (var tape = dev.tapegrad.autodiff.GradientTape.record()) {
            amsgrad.step(a.forward(dev.tapegrad.autodiff.Tensor.ones(2, 3)).sum().backward());
        }
        Path f = dir.resolve("amsgrad.safetensors");
        TrainingCheckpoint.save(f, a, amsgrad);
        Adam plain = new Adam(a.parameters(), 0.5);   // was: loaded, its max_exp_avg_sq kept and never used
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingCheckpoint.load(f, a, plain));
        assertTrue(e.getMessage().contains("Adam.loadStateDict: unexpected key '0.max_exp_avg_sq'"), e.getMessage());
        assertEquals(0.5, plain.lr(), 0);
    }

    @Test
    void aGeneratorStateOutOfRangeIsNamedWithItsValue() {
        Sequential a = new Sequential(new Linear(3, 4, new Random(1)), new dev.tapegrad.nn.Dropout(0.5, new Random(2)));
        Adam opt = new Adam(a.parameters(), 0.01);
        Path f = dir.resolve("random.safetensors");
        TrainingCheckpoint.save(f, a, opt);
        dev.tapegrad.nn.io.Safetensors.Contents c = dev.tapegrad.nn.io.Safetensors.load(f);
        for (double seed : new double[] {Double.POSITIVE_INFINITY, -1, 0x1p48}) {
            java.util.Map<String, dev.tapegrad.autodiff.Tensor> t = new java.util.LinkedHashMap<>(c.tensors());
            t.put("random.1.random", dev.tapegrad.autodiff.Tensor.of(new double[] {seed, 0, 0}));
            dev.tapegrad.nn.io.Safetensors.save(f, t, c.metadata());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingCheckpoint.load(f, a, opt));   // was "seed 9223372036854775807 ..."
            assertTrue(e.getMessage().contains("generator state '1.random' has seed " + seed + ", not a 48-bit state"), e.getMessage());
        }
    }

    @Test
    void aStateThatDoesNotFitChangesNeitherTheModelNorTheOptimizer() {
        Sequential a = new Sequential(new Linear(3, 4, new Random(1)), new BatchNorm1d(4));
        Path f = dir.resolve("ckpt.safetensors");
        TrainingCheckpoint.save(f, a, new Adam(a.parameters(), 0.01));
        Sequential b = new Sequential(new Linear(3, 4, new Random(2)), new BatchNorm1d(5));
        Adam opt = new Adam(b.parameters(), 0.5);
        float[] before = b.stateDict().get("0.weight").toFloatArray();
        assertThrows(IllegalArgumentException.class, () -> TrainingCheckpoint.load(f, b, opt));
        assertArrayEquals(before, b.stateDict().get("0.weight").toFloatArray(), "the model's weights are untouched");
        assertEquals(0.5, opt.lr(), 0, "the optimizer's state is untouched");
    }
}
