package dev.tapegrad.autodiff.kernel;

/**
 * The scalars of one Adam update as {@code AdamKernelsF32}/{@code F64} apply them, each computed in double
 * exactly as the composite of tensor operations computes it ({@code 1 - beta1}, {@code 1 - beta1^t}, ...), for
 * the kernel to round once to its precision, as a tensor operation rounds its scalar operand.
 *
 * @param decoupled    whether the value is first scaled by {@code decay} (AdamW)
 * @param decay        {@code 1 - lr lambda}
 * @param coupled      whether {@code l2 p} is added to the gradient (Adam's L2 weight decay, {@code lambda != 0})
 * @param l2           {@code lambda}
 * @param correction1  {@code 1 - beta1^t}
 * @param correction2  {@code 1 - beta2^t}
 * @param negativeLr   {@code -lr}
 */
public record AdamCoefficients(boolean decoupled, double decay, boolean coupled, double l2, double beta1, double oneMinusBeta1,
        double beta2, double oneMinusBeta2, double correction1, double correction2, double eps, double negativeLr) {

    /** The coefficients of step {@code t} (from 1) with weight decay {@code lambda}, decoupled (AdamW) or as L2 (Adam). */
    public static AdamCoefficients of(double lr, double beta1, double beta2, double eps, double lambda, boolean decoupled, long t) {
        return new AdamCoefficients(decoupled, 1 - lr * lambda, !decoupled && lambda != 0, lambda, beta1, 1 - beta1,
                beta2, 1 - beta2, 1 - Math.pow(beta1, t), 1 - Math.pow(beta2, t), eps, -lr);
    }
}
