package dev.tapegrad.autodiff;

import static dev.tapegrad.autodiff.Tensor.record;

/** The dtype-conversion primitive. */
final class Cast {
    private Cast() {}

    // d cast(x) = 1: g converted back to the input's dtype
    static Tensor apply(Tensor x, DType dtype) {
        Tensor out = dtype == DType.FLOAT32 ? Tensor.wrap(x.shape, x.toFloatArray()) : Tensor.wrap(x.shape, x.toDoubleArray());
        DType from = x.dtype();
        return record(Op.CAST, out, (g, i) -> g.to(from), x);
    }
}
