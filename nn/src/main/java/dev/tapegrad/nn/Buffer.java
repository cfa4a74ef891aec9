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

    /** Replaces the value; {@code v} must keep the shape (its dtype is converted to the buffer's). */
    public void set(Tensor v) {
        if (!Arrays.equals(v.shape(), value.shape()))
            throw new IllegalArgumentException("Buffer.set: buffer '" + name + "' has shape " + Shape.str(value.shape())
                    + " but the new value has " + Shape.str(v.shape()));
        value = v.to(value.dtype()).detach();
    }

    void to(DType dtype) { if (!integral) value = value.to(dtype).detach(); }
}
