package dev.tapegrad.autodiff;

import static dev.tapegrad.autodiff.Tensor.record;

/** Linear-algebra primitives: the (batched, broadcasting) matrix product, and dtype conversion. */
final class Linalg {
    private Linalg() {}

    static Tensor matmul(Tensor a, Tensor b) {
        if (a.rank() == 0 || b.rank() == 0)
            throw new IllegalArgumentException("matmul: both operands need at least one dimension, got " + Shape.str(a.shape) + " and " + Shape.str(b.shape));
        Tensor r = mm(a.rank() == 1 ? a.unsqueeze(0) : a, b.rank() == 1 ? b.unsqueeze(-1) : b, a, b);
        if (b.rank() == 1) r = r.squeeze(-1);
        if (a.rank() == 1) r = r.squeeze(-1 - (b.rank() == 1 ? 0 : 1));
        return r;
    }

    /** The primitive: operands of rank 2 or more, batch axes broadcast. */
    private static Tensor mm(Tensor a, Tensor b, Tensor userA, Tensor userB) {
        Kernels.sameDType("matmul", a, b);
        int ra = a.rank(), rb = b.rank(), m = a.shape[ra - 2], k = a.shape[ra - 1], n = b.shape[rb - 1];
        if (b.shape[rb - 2] != k)
            throw new IllegalArgumentException("matmul: shapes " + Shape.str(userA.shape) + " and " + Shape.str(userB.shape)
                    + " do not match (" + k + " != " + b.shape[rb - 2] + ")");
        int[] ba = java.util.Arrays.copyOf(a.shape, ra - 2), bb = java.util.Arrays.copyOf(b.shape, rb - 2);
        int[] batch = Shape.broadcast("matmul", ba, bb);
        int[] shape = java.util.Arrays.copyOf(batch, batch.length + 2);
        shape[batch.length] = m;
        shape[batch.length + 1] = n;
        int[] ia = Shape.offsets(batch, Shape.broadcastStrides(ba, batch), 0), ib = Shape.offsets(batch, Shape.broadcastStrides(bb, batch), 0);
        Tensor out = Tensor.alloc(a.dtype(), shape);
        MatMulKernel kernel = MatMulKernel.get();
        for (int t = 0; t < ia.length; t++) {
            if (a.f != null) kernel.multiply(a.f, ia[t] * m * k, b.f, ib[t] * k * n, out.f, t * m * n, m, k, n);
            else kernel.multiply(a.d, ia[t] * m * k, b.d, ib[t] * k * n, out.d, t * m * n, m, k, n);
        }
        return record(Op.MATMUL, out, (g, i) -> i == 0 ? g.matmul(b.transpose(-1, -2)) : a.transpose(-1, -2).matmul(g), a, b);
    }

    static Tensor cast(Tensor x, DType dtype) {
        Tensor out = dtype == DType.FLOAT32 ? Tensor.wrap(x.shape, x.toFloatArray()) : Tensor.wrap(x.shape, x.toDoubleArray());
        DType from = x.dtype();
        return record(Op.CAST, out, (g, i) -> g.to(from), x);
    }
}
