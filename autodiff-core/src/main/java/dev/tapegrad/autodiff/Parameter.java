package dev.tapegrad.autodiff;

import java.util.Objects;

/**
 * The mutable holder of a trainable value. {@link #value()} is a leaf tensor that tracks a gradient;
 * optimizers {@link #assign replace} it between steps. Assigning while a tape records on this thread is
 * refused (the recorded graph would refer to a value the parameter no longer has): do it after the tape
 * closes or inside {@link GradientTape#pause()}.
 */
public final class Parameter {
    private final String name;
    private Tensor value;

    /** A parameter named {@code name} (used in messages; may be empty) holding a copy-free leaf of {@code value}. */
    public Parameter(String name, Tensor value) {
        this.name = Objects.requireNonNull(name, "Parameter: name is null");
        this.value = Objects.requireNonNull(value, "Parameter: value is null").requiresGrad();
    }

    /** An unnamed parameter. */
    public Parameter(Tensor value) { this("", value); }

    public String name() { return name; }

    /** The current value: a leaf that tracks a gradient. */
    public Tensor value() { return value; }

    public int[] shape() { return value.shape(); }

    public DType dtype() { return value.dtype(); }

    /** Replaces the value; {@code v} must have the same shape and dtype. */
    public void assign(Tensor v) {
        Objects.requireNonNull(v, "Parameter.assign: value is null");
        if (GradientTape.isRecording())
            throw new IllegalStateException("Parameter.assign: parameter '" + name + "' " + Shape.str(value.shape())
                    + " assigned while a GradientTape records on this thread; assign after the tape closes or inside GradientTape.pause()");
        if (!java.util.Arrays.equals(v.shape(), value.shape()) || v.dtype() != value.dtype())
            throw new IllegalArgumentException("Parameter.assign: parameter '" + name + "' is " + value.dtype() + " "
                    + Shape.str(value.shape()) + " but the new value is " + v.dtype() + " " + Shape.str(v.shape()));
        value = v.requiresGrad();
    }

    /**
     * Converts the value to {@code dtype} in place (like PyTorch's {@code module.to(dtype)}); refused while
     * a tape records. Do it before handing the parameter to an optimizer.
     */
    public void to(DType dtype) {
        if (GradientTape.isRecording())
            throw new IllegalStateException("Parameter.to: parameter '" + name + "' converted while a GradientTape records on this thread");
        value = value.to(dtype).detach().requiresGrad();
    }

    @Override
    public String toString() { return "Parameter(" + name + ", " + value.dtype() + " " + Shape.str(value.shape()) + ")"; }
}
