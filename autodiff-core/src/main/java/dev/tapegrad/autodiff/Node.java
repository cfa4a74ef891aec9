package dev.tapegrad.autodiff;

/** A recorded application of a primitive: its inputs and how to pull a gradient back to each of them. */
final class Node {
    /** Gradient of the target with respect to input {@code i}, given the output's gradient {@code g}. */
    @FunctionalInterface
    interface Backward {
        Tensor grad(Tensor g, int i);
    }

    /**
     * A backward whose gradient is {@code g} placed into zeros (a slice's): the sweep adds {@code g} straight
     * into the input's gradient when it owns that buffer, so {@code T} slices of one tensor cost {@code O(T)}
     * copies of a slice instead of {@code T} zero-padded copies of the whole.
     */
    interface Placing extends Backward {
        /** {@code acc += grad(g, 0)}, in place, without building the padded tensor. */
        void addInto(Tensor acc, Tensor g);
    }

    /**
     * A backward whose gradients are always new tensors, and which can add a gradient straight into a buffer
     * the sweep owns ({@code acc += grad(g, i)} without the temporary), as the matrix product's does.
     */
    interface Accumulating extends Backward {
        /** {@code acc += grad(g, i)} in place; false, with {@code acc} untouched, where that term has another shape. */
        boolean addInto(Tensor acc, Tensor g, int i);
    }

    final Op op;
    final GradientTape owner;
    /** The line of user code that recorded this node, when anomaly detection was on; else null. */
    final String site;
    Tensor[] inputs;
    Backward backward;

    Node(Op op, GradientTape owner, Tensor[] inputs, Backward backward, String site) {
        this.op = op;
        this.owner = owner;
        this.inputs = inputs;
        this.backward = backward;
        this.site = site;
    }

    boolean live() { return inputs != null; }

    void release() {
        inputs = null;
        backward = null;
    }
}
