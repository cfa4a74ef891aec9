package dev.tapegrad.autodiff;

/** A recorded application of a primitive: its inputs and how to pull a gradient back to each of them. */
final class Node {
    /** Gradient of the target with respect to input {@code i}, given the output's gradient {@code g}. */
    @FunctionalInterface
    interface Backward {
        Tensor grad(Tensor g, int i);
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
