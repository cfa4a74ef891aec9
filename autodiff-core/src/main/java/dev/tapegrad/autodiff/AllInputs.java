package dev.tapegrad.autodiff;

/**
 * A backward that forms the gradients of all its inputs from a cotangent at once (in one pass, or while a tape records
 * the sweep from recorded operations), keeps them until every input the sweep wants (see {@link #wants}) has taken its own (the
 * sweep asks input by input, in order), then drops them.
 */
abstract class AllInputs implements Node.Backward {
    private final Tensor[] inputs;
    private Tensor lastG;
    private boolean lastRecorded;
    private Tensor[] grads;   // one per input, for lastG
    /** Set by the sweep before it asks: the inputs whose gradients it wants, or null for all that track one. */
    boolean[] wanted;

    AllInputs(Tensor... inputs) { this.inputs = inputs; }

    /**
     * Whether the sweep wants input {@code i}'s gradient: it tracks one and, in a sweep towards some sources only, leads to
     * one (false for a place that is not an input). {@link #fused} and {@link #recorded} may skip (return null for) the others.
     */
    boolean wants(int i) { return i >= 0 && i < inputs.length && inputs[i].tracksGradient() && (wanted == null || wanted[i]); }

    /** The gradient of each input, in one pass. */
    abstract Tensor[] fused(Tensor g);

    /** The gradient of each input, as recorded operations. */
    abstract Tensor[] recorded(Tensor g);

    @Override
    public Tensor grad(Tensor g, int input) {
        boolean recorded = GradientTape.isRecording();
        if (g != lastG || recorded != lastRecorded) {
            grads = recorded ? recorded(g) : fused(g);
            lastG = g;
            lastRecorded = recorded;
        }
        Tensor result = grads[input];
        int last = inputs.length - 1;
        while (last > 0 && !wants(last)) last--;
        if (input == last) {
            lastG = null;
            grads = null;
        }
        return result;
    }
}
