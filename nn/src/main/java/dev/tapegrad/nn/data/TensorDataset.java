package dev.tapegrad.nn.data;

import dev.tapegrad.autodiff.Shape;
import dev.tapegrad.autodiff.Tensor;

/** A dataset held in two tensors whose first axes index the examples ({@code torch.utils.data.TensorDataset}). */
public final class TensorDataset implements Dataset {
    private final Tensor inputs, targets;

    public TensorDataset(Tensor inputs, Tensor targets) {
        java.util.Objects.requireNonNull(inputs, "TensorDataset: inputs is null");
        java.util.Objects.requireNonNull(targets, "TensorDataset: targets is null");
        if (inputs.rank() == 0 || targets.rank() == 0 || inputs.size(0) != targets.size(0))
            throw new IllegalArgumentException("TensorDataset: inputs " + Shape.str(inputs.shape()) + " and targets "
                    + Shape.str(targets.shape()) + " must have the same first dimension");
        this.inputs = inputs.detach();
        this.targets = targets.detach();
    }

    public Tensor inputs() { return inputs; }

    public Tensor targets() { return targets; }

    @Override
    public int size() { return inputs.size(0); }

    @Override
    public Tensor inputs(int[] indices) { return inputs.indexSelect(0, indices); }

    @Override
    public Tensor targets(int[] indices) { return targets.indexSelect(0, indices); }

    /** Examples {@code from} (inclusive) to {@code to} (exclusive), e.g. for a validation split. */
    public TensorDataset slice(int from, int to) { return new TensorDataset(inputs.slice(0, from, to), targets.slice(0, from, to)); }
}
