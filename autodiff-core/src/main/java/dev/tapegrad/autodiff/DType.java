package dev.tapegrad.autodiff;

/**
 * Element type of a {@link Tensor}. {@code FLOAT32} is the default for training (as in PyTorch);
 * {@code FLOAT64} is for gradient checks and scientific use. One operation never mixes the two:
 * convert explicitly with {@link Tensor#to(DType)}.
 */
public enum DType {
    /** 32-bit IEEE 754 float. */
    FLOAT32,
    /** 64-bit IEEE 754 double. */
    FLOAT64;

    /** Throws when {@code a} and {@code b} have different dtypes (or one is null), naming {@code op} and both shapes. */
    static void requireSame(String op, Tensor a, Tensor b) {
        if (a == null || b == null) throw new NullPointerException(op + ": " + (a == null ? "the first" : "the other") + " tensor is null");
        if (a.dtype() != b.dtype())
            throw new IllegalArgumentException(op + ": dtypes " + a.dtype() + " " + Shape.str(a.shape) + " and "
                    + b.dtype() + " " + Shape.str(b.shape) + " differ; convert one with to(DType)");
    }

    /** {@code dtype}, or a {@link NullPointerException} naming {@code op} when it is null. */
    static DType required(String op, DType dtype) {
        if (dtype == null) throw new NullPointerException(op + ": dtype is null");
        return dtype;
    }
}
