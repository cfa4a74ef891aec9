package dev.tapegrad.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autodiff.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM killed while it saves a model: the file is always either the old or a new complete model (the write
 * goes to {@code NAME.tmp}, forced, then renamed over it), at most that one temporary file is left, and the
 * next save removes it.
 */
class KilledSaveTest {
    @TempDir
    Path dir;

    /** The forked JVM: saves a 16 MB model to {@code args[0]} again and again until it is killed. */
    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        for (int i = 0; ; i++) Safetensors.save(file, Map.of("w", Tensor.full(i, 2048, 2048)));
    }

    @Test
    void aKilledSaveLeavesTheOldFileOrTheNewOneAndAtMostOneTemporaryFile() throws Exception {
        Path file = dir.resolve("model.safetensors");
        Safetensors.save(file, Map.of("w", Tensor.full(-1, 2048, 2048)));
        String java = ProcessHandle.current().info().command().orElseThrow();
        Random r = new Random(7);
        boolean saved = false;
        for (int kill = 0; kill < 4; kill++) {
            Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                    KilledSaveTest.class.getName(), file.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Thread.sleep(1500 + r.nextInt(1500));
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            Tensor w = Safetensors.load(file).tensors().get("w");   // loads: never a torn file
            double v = w.get(0, 0);
            assertEquals(v, w.get(2047, 2047), "one complete save, not a mixture");
            saved |= v != -1;
            try (var files = Files.list(dir)) {
                List<String> names = files.map(f -> f.getFileName().toString()).sorted().toList();
                assertTrue(names.equals(List.of("model.safetensors")) || names.equals(List.of("model.safetensors", "model.safetensors.tmp")), names.toString());
            }
        }
        assertTrue(saved, "the forked JVM saved before it was killed");
        Safetensors.save(file, Map.of("w", Tensor.zeros(2, 2)));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("model.safetensors"), files.map(f -> f.getFileName().toString()).toList(), "the next save leaves no temporary file");
        }
    }
}
