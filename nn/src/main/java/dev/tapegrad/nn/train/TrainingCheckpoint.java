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
 * {@code format = tapegrad-checkpoint}, {@code optimizer} = its class). Loading refuses another kind of
 * optimizer, and changes neither the model nor the optimizer unless both states fit. Plain model files are
 * {@link dev.tapegrad.nn.io.Checkpoints}'.
 */
public final class TrainingCheckpoint {
    private TrainingCheckpoint() {}

    public static void save(Path file, Module m, Optimizer o) {
        Map<String, Tensor> all = new LinkedHashMap<>();
        m.stateDict().forEach((k, v) -> all.put("model." + k, v));
        o.stateDict().forEach((k, v) -> all.put("optimizer." + k, v));
        java.util.Set<String> int64 = new java.util.HashSet<>();
        m.integralBuffers().forEach(k -> int64.add("model." + k));
        Safetensors.save(file, all, Map.of("format", "tapegrad-checkpoint", "optimizer", o.getClass().getSimpleName()), int64);
    }

    public static void load(Path file, Module m, Optimizer o) {
        Safetensors.Contents c = Safetensors.load(file);
        Map<String, Tensor> model = new LinkedHashMap<>(), optimizer = new LinkedHashMap<>();
        c.tensors().forEach((k, v) -> {
            if (k.startsWith("model.")) model.put(k.substring(6), v);
            else if (k.startsWith("optimizer.")) optimizer.put(k.substring(10), v);
            else throw new IllegalArgumentException("TrainingCheckpoint.load: " + file + ": unexpected key '" + k + "'");
        });
        String kind = c.metadata().get("optimizer");
        if (kind != null && !kind.equals(o.getClass().getSimpleName()))
            throw new IllegalArgumentException("TrainingCheckpoint.load: " + file + " holds the state of " + kind + ", not of " + o.getClass().getSimpleName());
        // Each loadStateDict validates everything before it assigns; the optimizer goes first and is put back if
        // the model's state does not fit, so a failed load changes nothing.
        Map<String, Tensor> before = o.stateDict();
        o.loadStateDict(optimizer);
        try {
            m.loadStateDict(model);
        } catch (RuntimeException e) {
            o.loadStateDict(before);
            throw e;
        }
    }
}
