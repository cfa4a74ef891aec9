package dev.tapegrad.autodiff;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

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

    /** Values standing in for parameters on this thread while {@link #substituted} runs. */
    private static final ThreadLocal<Map<Parameter, Tensor>> SUBSTITUTES = new ThreadLocal<>();

    /** The current value: a leaf that tracks a gradient (or its substitute inside {@link #substituted}). */
    public Tensor value() {
        Map<Parameter, Tensor> s = SUBSTITUTES.get();
        Tensor v = s == null ? null : s.get(this);
        return v != null ? v : value;
    }

    /**
     * Runs {@code body} with each parameter of {@code values} reading the given tensor instead of its own
     * value, on this thread only; nothing is assigned, so it works inside a recording tape (like {@code
     * torch.func.functional_call}). Gradients then flow to the substitutes, which is how a module's
     * parameters are gradient-checked with {@link GradCheck}. Each substitute needs the parameter's shape
     * and dtype.
     */
    public static <T> T substituted(Map<Parameter, Tensor> values, Supplier<T> body) {
        Objects.requireNonNull(values, "Parameter.substituted: values is null");
        Objects.requireNonNull(body, "Parameter.substituted: body is null");
        Map<Parameter, Tensor> map = new IdentityHashMap<>();
        Map<Parameter, Tensor> outer = SUBSTITUTES.get();
        if (outer != null) map.putAll(outer);
        values.forEach((p, v) -> {
            Objects.requireNonNull(p, "Parameter.substituted: a parameter is null");
            Objects.requireNonNull(v, () -> "Parameter.substituted: the value for parameter '" + p.name + "' is null");
            if (!java.util.Arrays.equals(v.shape(), p.value.shape()) || v.dtype() != p.value.dtype())
                throw new IllegalArgumentException("Parameter.substituted: parameter '" + p.name + "' is " + p.value.dtype() + " "
                        + Shape.str(p.value.shape()) + " but its substitute is " + v.dtype() + " " + Shape.str(v.shape()));
            map.put(p, v);
        });
        SUBSTITUTES.set(map);
        try {
            return body.get();
        } finally {
            SUBSTITUTES.set(outer);
        }
    }

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
