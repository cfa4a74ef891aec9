package dev.tapegrad.autodiff.kernel;

/**
 * The elementwise functions with fast kernels ({@code UnaryKernelsF32}/{@code F64}). Every kernel selects
 * its loop with an exhaustive {@code switch} expression, so a function added here without an
 * implementation does not compile.
 */
public enum UnaryFunction {
    NEG(1), ABS(1), SQRT(1), EXP(8), LOG(8), TANH(8), SIGMOID(8), SIN(8), COS(8), ERF(8), RELU(1),
    /** The exact GELU, {@code x Phi(x) = (x (erf(x / sqrt 2) + 1)) / 2}, rounded as that composite is, operation by operation. */
    GELU(10),
    /** {@code x > 0 ? 1 : 0}, the derivative of {@code RELU}. */
    STEP(1);

    /** Work units per element, for splitting across threads: the transcendental functions cost several times a simple one. */
    final int cost;

    UnaryFunction(int cost) { this.cost = cost; }
}
