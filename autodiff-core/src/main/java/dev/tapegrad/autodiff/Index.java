package dev.tapegrad.autodiff;

/** Integer positions for gather and scatter, read once from a tensor of integral values. */
record Index(int[] values, int[] shape) {

    static Index of(String op, Tensor t) {
        int[] v = new int[t.numel()];
        for (int i = 0; i < v.length; i++) {
            double x = t.at(i);
            if (x != Math.rint(x) || Math.abs(x) > Integer.MAX_VALUE)
                throw new IllegalArgumentException(op + ": index " + Shape.str(t.shape) + " holds the non-integral value " + x + " at position " + i);
            v[i] = (int) x;
        }
        return new Index(v, t.shape.clone());
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
        int[] strides = Shape.strides(into);
        int stride = strides[axis];
        strides[axis] = 0;
        int[] off = Shape.offsets(shape, strides, 0);
        for (int i = 0; i < off.length; i++) {
            int v = values[i];
            if (v < 0 || v >= into[axis])
                throw new IllegalArgumentException(op + ": index " + v + " is out of range for axis " + axis + " of size " + into[axis]
                        + " (tensor " + Shape.str(into) + ")");
            off[i] += v * stride;
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

    private int checked(String op, int i, int size, int axis, int[] into) {
        int v = values[i];
        if (v < 0 || v >= size)
            throw new IllegalArgumentException(op + ": index " + v + " is out of range for axis " + axis + " of size " + size
                    + " (tensor " + Shape.str(into) + ")");
        return v;
    }

    /** {@code into[offsets[i]] += src[i]}, without an offset array when the index spans {@code into} off {@code axis}. */
    void scatterAdd(String op, Tensor into, int axis, Tensor src) {
        int[] s = into.shape, blocks = blocks(s, axis);
        if (blocks == null) {
            Kernels.scatterAdd(into, offsets(op, s, axis), src);
            return;
        }
        int size = s[axis], n = shape[axis], outer = blocks[0], in = blocks[1];
        for (int i = 0; i < values.length; i++) checked(op, i, size, axis, s);
        // Each outer block writes its own slice of into, so blocks split across cores without changing any sum.
        Parallel.range(outer, 1, values.length, (o0, o1) -> {
            for (int o = o0; o < o1; o++) {
                int base = o * size * in;
                for (int k = 0, i = o * n * in; k < n; k++, i += in) {
                    if (into.f != null) for (int j = 0; j < in; j++) into.f[base + values[i + j] * in + j] += src.f[i + j];
                    else for (int j = 0; j < in; j++) into.d[base + values[i + j] * in + j] += src.d[i + j];
                }
            }
        });
    }
}
