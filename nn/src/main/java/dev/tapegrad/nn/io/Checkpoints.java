package dev.tapegrad.nn.io;

import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.Module;
import dev.tapegrad.optim.Optimizer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Saving and loading models (and training state) as safetensors. {@link #saveModel} writes the module's
 * state dict under PyTorch-style names ({@code 0.weight}), the file {@code torch.nn.Module.load_state_dict}
 * takes after {@code safetensors.torch.load_file}. {@link #save} adds the optimizer's state under
 * {@code optimizer.*} and the model's under {@code model.*}, so that training resumes exactly.
 */
public final class Checkpoints {
    private Checkpoints() {}

    public static void saveModel(Path file, Module m) { Safetensors.save(file, m.stateDict(), Map.of("format", "pt")); }

    /** Loads a {@link #saveModel} file into {@code m} (strictly: see {@link Module#loadStateDict}). */
    public static void loadModel(Path file, Module m) { m.loadStateDict(Safetensors.load(file).tensors()); }

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
            else throw new IllegalArgumentException("Checkpoints.load: " + file + ": unexpected key '" + k + "'");
        });
        m.loadStateDict(model);
        o.loadStateDict(optimizer);
    }
}
