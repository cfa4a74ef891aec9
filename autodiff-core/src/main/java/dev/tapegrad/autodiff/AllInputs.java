package dev.tapegrad.autodiff;

/**
 * A backward that forms the gradients of all its inputs from a cotangent at once (in one pass, or while a tape records
 * the sweep from recorded operations), keeps them until every input that tracks a gradient has taken its own (the
 * sweep asks input by input, in order), then drops them.
 */
abstract class AllInputs implements Node.Backward {
    private final Tensor[] inputs;
    private Tensor lastG;
    private boolean lastRecorded;
    private Tensor[] grads;   // one per input, for lastG

    AllInputs(Tensor... inputs) { this.inputs = inputs; }

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
        while (last > 0 && !inputs[last].tracksGradient()) last--;
        if (input == last) {
            lastG = null;
            grads = null;
        }
        return result;
    }
}
