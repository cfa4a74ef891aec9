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
