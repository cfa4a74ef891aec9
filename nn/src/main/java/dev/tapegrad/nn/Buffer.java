package dev.tapegrad.nn;

import dev.tapegrad.autodiff.DType;
import dev.tapegrad.autodiff.Shape;
import dev.tapegrad.autodiff.Tensor;
import java.util.Arrays;

/**
 * A module's non-trainable state that belongs in its state dict (PyTorch's {@code register_buffer}), such
 * as batch norm's running statistics. Never tracks a gradient.
 */
public final class Buffer {
    private final String name;
    private Tensor value;

    Buffer(String name, Tensor value) {
        this.name = name;
        this.value = value.detach();
    }

    public String name() { return name; }

    public Tensor value() { return value; }

    /** Replaces the value; {@code v} must keep the shape (its dtype is converted to the buffer's). */
    public void set(Tensor v) {
        if (!Arrays.equals(v.shape(), value.shape()))
            throw new IllegalArgumentException("Buffer.set: buffer '" + name + "' has shape " + Shape.str(value.shape())
                    + " but the new value has " + Shape.str(v.shape()));
        value = v.to(value.dtype()).detach();
    }

    void to(DType dtype) { value = value.to(dtype).detach(); }
}
