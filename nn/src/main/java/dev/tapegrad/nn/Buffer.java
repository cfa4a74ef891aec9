package dev.tapegrad.nn;

import dev.tapegrad.autodiff.DType;
import dev.tapegrad.autodiff.Shape;
import dev.tapegrad.autodiff.Tensor;
import java.util.Arrays;

/**
 * A module's non-trainable state that belongs in its state dict (PyTorch's {@code register_buffer}), such
 * as batch norm's running statistics. Never tracks a gradient. A {@linkplain #integral() counter} (batch
 * norm's {@code num_batches_tracked}, an int64 in PyTorch) holds integral FLOAT64 values, is written to
 * model files as {@code I64}, and keeps FLOAT64 through {@link Module#to} (PyTorch's {@code .to(dtype)}
 * leaves integer buffers alone too).
 */
public final class Buffer {
    private final String name;
    private final boolean integral;
    private Tensor value;

    Buffer(String name, Tensor value, boolean integral) {
        this.name = name;
        this.integral = integral;
        this.value = integral ? value.to(DType.FLOAT64).detach() : value.detach();
    }

    /** Whether this buffer is a counter (integral values, written as I64). */
    public boolean integral() { return integral; }

    public String name() { return name; }

    public Tensor value() { return value; }

    /** Replaces the value; {@code v} must keep the shape (its dtype is converted to the buffer's), and a counter's must hold counts (integers from 0). */
    public void set(Tensor v) {
        java.util.Objects.requireNonNull(v, () -> "Buffer.set: the value of buffer '" + name + "' is null");
        if (!Arrays.equals(v.shape(), value.shape()))
            throw new IllegalArgumentException("Buffer.set: buffer '" + name + "' has shape " + Shape.str(value.shape())
                    + " but the new value has " + Shape.str(v.shape()));
        String refused = refusal(v);
        if (refused != null) throw new IllegalArgumentException("Buffer.set: counter '" + name + "' " + refused);
        value = v.to(value.dtype()).detach();
    }

    /** Null when {@code v} may be this buffer's value, else why not: a counter holds integers from 0 (exact in FLOAT64, as I64 is written). */
    String refusal(Tensor v) {
        if (integral)
            for (double x : v.toDoubleArray()) if (!(x >= 0 && x == Math.rint(x) && x <= 0x1p53)) return "holds " + x + ", not a count (an integer >= 0)";
        return null;
    }

    void to(DType dtype) { if (!integral) value = value.to(dtype).detach(); }
}
