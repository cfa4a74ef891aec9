package dev.tapegrad.nn.data;

import dev.tapegrad.autodiff.Tensor;
import java.util.Map;
import java.util.Random;

/**
 * Indexed examples: inputs and targets fetched by batches of indices. Targets are a tensor (class indices
 * as integral values, or regression targets).
 */
public interface Dataset {
    int size();

    /** The inputs of the examples {@code indices}, stacked along a new first axis. */
    Tensor inputs(int[] indices);

    /** The targets of the examples {@code indices}, stacked along a new first axis. */
    Tensor targets(int[] indices);

    /**
     * The random generators this dataset draws from while it serves batches (data augmentation), by name, so
     * that training checkpoints save and restore them; none by default.
     */
    default Map<String, Random> namedRandoms() { return Map.of(); }
}
