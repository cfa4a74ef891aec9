package dev.tapegrad.nn.train;

import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.Module;
import dev.tapegrad.nn.io.Safetensors;
import dev.tapegrad.optim.Optimizer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model and its optimizer's state in one safetensors file, so that training resumes exactly: the
 * module's state dict under {@code model.*} and the optimizer's under {@code optimizer.*} (metadata
 * {@code format = tapegrad-checkpoint}). Plain model files are {@link dev.tapegrad.nn.io.Checkpoints}'.
 */
public final class TrainingCheckpoint {
    private TrainingCheckpoint() {}

    public static void save(Path file, Module m, Optimizer o) {
        Map<String, Tensor> all = new LinkedHashMap<>();
        m.stateDict().forEach((k, v) -> all.put("model." + k, v));
        o.stateDict().forEach((k, v) -> all.put("optimizer." + k, v));
        Safetensors.save(file, all, Map.of("format", "tapegrad-checkpoint"));
    }

    public static void load(Path file, Module m, Optimizer o) {
        Safetensors.Contents c = Safetensors.load(file);
        Map<String, Tensor> model = new LinkedHashMap<>(), optimizer = new LinkedHashMap<>();
        c.tensors().forEach((k, v) -> {
            if (k.startsWith("model.")) model.put(k.substring(6), v);
            else if (k.startsWith("optimizer.")) optimizer.put(k.substring(10), v);
            else throw new IllegalArgumentException("TrainingCheckpoint.load: " + file + ": unexpected key '" + k + "'");
        });
        m.loadStateDict(model);
        o.loadStateDict(optimizer);
    }
}
