package dev.tapegrad.nn.io;

import dev.tapegrad.nn.Module;
import java.nio.file.Path;
import java.util.Map;

/**
 * Saving and loading models as safetensors. {@link #saveModel} writes the module's state dict under
 * PyTorch-style names ({@code 0.weight}), the file {@code torch.nn.Module.load_state_dict} takes after
 * {@code safetensors.torch.load_file}. Training checkpoints, which add the optimizer's state, are
 * {@code dev.tapegrad.nn.train.TrainingCheckpoint}'s (this package knows nothing of optimizers).
 */
public final class Checkpoints {
    private Checkpoints() {}

    /** Writes {@code m}'s state dict to {@code file} (counters such as {@code num_batches_tracked} as I64, as PyTorch has them). */
    public static void saveModel(Path file, Module m) { Safetensors.save(file, m.stateDict(), Map.of("format", "pt"), m.integralBuffers()); }

    /** Loads a {@link #saveModel} file into {@code m} (strictly: see {@link Module#loadStateDict}). */
    public static void loadModel(Path file, Module m) { m.loadStateDict(Safetensors.load(file).tensors()); }
}
