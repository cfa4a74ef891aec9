package dev.tapegrad.autodiff;

import dev.tapegrad.autodiff.kernel.CopyKernelsF32;
import dev.tapegrad.autodiff.kernel.CopyKernelsF64;
import dev.tapegrad.autodiff.kernel.Layout;

/** Integer positions along one axis for gather and scatter-add, read once from a tensor of integral values. */
record GatherIndex(int[] values, int[] shape) {

    static GatherIndex of(String op, Tensor t) {
        java.util.Objects.requireNonNull(t, () -> op + ": index is null");
        return new GatherIndex(t.toIntArray(op), t.shape.clone());
    }

    Tensor toTensor() {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) d[i] = values[i];
        return Tensor.wrap(shape, d);
    }

    /**
     * Storage offsets into a tensor of shape {@code into} addressed by this index along {@code axis},
     * after checking the rank, the extents and the range of every value.
     */
    int[] offsets(String op, int[] into, int axis) {
        if (shape.length != into.length)
            throw new IllegalArgumentException(op + ": index of shape " + Shape.str(shape) + " must have the rank of the tensor " + Shape.str(into));
        for (int d = 0; d < into.length; d++)
            if (d != axis && shape[d] > into[d])
                throw new IllegalArgumentException(op + ": index of shape " + Shape.str(shape) + " exceeds tensor " + Shape.str(into) + " at axis " + d);
        int[] blocks = blocks(into, axis);
        if (blocks != null) return contiguous(op, into, axis, blocks[0], shape[axis], blocks[1]);
        int[] strides = Layout.strides(into);
        int stride = strides[axis];
        strides[axis] = 0;
        int[] off = Layout.offsets(shape, strides, 0);
        for (int i = 0; i < off.length; i++) {
            checked(op, i, into[axis], axis, into);
            off[i] += values[i] * stride;
        }
        return off;
    }

    /**
     * {@code [outer, inner]}, the extents of {@code into} before and after {@code axis}, when this index has
     * {@code into}'s rank and its extent on every other axis (then offsets are plain arithmetic); else null.
     */
    private int[] blocks(int[] into, int axis) {
        if (shape.length != into.length) return null;
        int outer = 1, inner = 1;
        for (int d = 0; d < into.length; d++) {
            if (d != axis && shape[d] != into[d]) return null;
            if (d < axis) outer *= into[d];
            if (d > axis) inner *= into[d];
        }
        return new int[] {outer, inner};
    }

    /** {@link #offsets} when the index spans {@code into} on every axis but {@code axis}: plain arithmetic. */
    private int[] contiguous(String op, int[] into, int axis, int outer, int n, int inner) {
        int[] off = new int[values.length];
        int size = into[axis];
        for (int i = 0; i < values.length; i++) checked(op, i, size, axis, into);
        if (inner == 1) {
            for (int o = 0, i = 0; o < outer; o++) for (int k = 0; k < n; k++, i++) off[i] = o * size + values[i];
            return off;
        }
        for (int o = 0, i = 0; o < outer; o++)
            for (int k = 0; k < n; k++)
                for (int in = 0; in < inner; in++, i++) off[i] = (o * size + values[i]) * inner + in;
        return off;
    }

    /** Throws unless value {@code i} is a valid position on {@code axis} (of size {@code size}) of {@code into}. */
    private void checked(String op, int i, int size, int axis, int[] into) {
        int v = values[i];
        if (v < 0 || v >= size)
            throw new IllegalArgumentException(op + ": index " + v + " is out of range for axis " + axis + " of size " + size
                    + " (tensor " + Shape.str(into) + ")");
    }

    /** {@code into[offsets[i]] += src[i]}, without an offset array when the index spans {@code into} off {@code axis}. */
    void scatterAdd(String op, Tensor into, int axis, Tensor src) {
        int[] s = into.shape, blocks = blocks(s, axis);
        if (blocks == null) {
            int[] offsets = offsets(op, s, axis);
            if (into.f != null) CopyKernelsF32.scatterAdd(into.f, offsets, src.f); else CopyKernelsF64.scatterAdd(into.d, offsets, src.d);
            return;
        }
        int size = s[axis], n = shape[axis];
        for (int i = 0; i < values.length; i++) checked(op, i, size, axis, s);
        if (into.f != null) CopyKernelsF32.scatterAddAlongAxis(into.f, values, src.f, blocks[0], size, n, blocks[1]);
        else CopyKernelsF64.scatterAddAlongAxis(into.d, values, src.d, blocks[0], size, n, blocks[1]);
    }
}
