package dev.tapegrad.autodiff;

import static dev.tapegrad.autodiff.Tensor.record;

import dev.tapegrad.autodiff.kernel.Gemm;
import dev.tapegrad.autodiff.kernel.Layout;
import dev.tapegrad.autodiff.kernel.Parallel;
import java.util.Arrays;

/** The matrix-product primitive: batched, broadcasting, with operands read transposed in place. */
final class MatMul {
    private MatMul() {}

    static Tensor matmul(Tensor a, Tensor b) {
        DType.requireSame("matmul", a, b);
        if (a.rank() == 0 || b.rank() == 0)
            throw new IllegalArgumentException("matmul: both operands need at least one dimension, got " + Shape.str(a.shape) + " and " + Shape.str(b.shape));
        Tensor a2 = a.rank() == 1 ? a.unsqueeze(0) : a, b2 = b.rank() == 1 ? b.unsqueeze(-1) : b;
        checkInner("matmul", a, b, b2.shape[b2.rank() - 2]);
        Tensor r = mm(a2, b2, false, false);
        if (b.rank() == 1) r = r.squeeze(-1);
        if (a.rank() == 1) r = r.squeeze(-1 - (b.rank() == 1 ? 0 : 1));
        return r;
    }

    static Tensor matmulTransposed(Tensor a, Tensor b) {
        DType.requireSame("matmulTransposed", a, b);
        if (a.rank() == 0 || b.rank() < 2)
            throw new IllegalArgumentException("matmulTransposed: needs an operand with at least one dimension and one with at least two, got "
                    + Shape.str(a.shape) + " and " + Shape.str(b.shape));
        checkInner("matmulTransposed", a, b, b.shape[b.rank() - 1]);
        Tensor r = mm(a.rank() == 1 ? a.unsqueeze(0) : a, b, false, true);
        return a.rank() == 1 ? r.squeeze(-2) : r;
    }

    /** Same dtypes, and {@code a}'s last extent equal to {@code kb}, the inner extent of the other operand. */
    private static void checkInner(String op, Tensor a, Tensor b, int kb) {
        DType.requireSame(op, a, b);
        int k = a.shape[a.rank() - 1];
        if (kb != k)
            throw new IllegalArgumentException(op + ": shapes " + Shape.str(a.shape) + " and " + Shape.str(b.shape) + " do not match (" + k + " != " + kb + ")");
    }

    /**
     * The primitive {@code op(A) op(B)}, batch axes broadcast, where {@code op(X)} is {@code X} or, when its flag
     * is set, {@code X} with its last two axes swapped (never materialised). The backward rules stay in this
     * family: for {@code C = A B}, {@code dA = G B^T} and {@code dB = A^T G}; a transposed operand takes the
     * transpose of its rule, e.g. for {@code C = A^T B}, {@code dA = (G B^T)^T = B G^T}.
     */
    // d(A B) = (G B^T, A^T G)
    static Tensor mm(Tensor a, Tensor b, boolean ta, boolean tb) {
        int ra = a.rank(), rb = b.rank();
        int m = a.shape[ra - (ta ? 1 : 2)], k = a.shape[ra - (ta ? 2 : 1)], n = b.shape[rb - (tb ? 2 : 1)];
        int[] ba = Arrays.copyOf(a.shape, ra - 2), bb = Arrays.copyOf(b.shape, rb - 2);
        int[] batch = Arrays.equals(ba, bb) ? ba : Shape.broadcast("matmul", ba, bb);
        int[] shape = Arrays.copyOf(batch, batch.length + 2);
        shape[batch.length] = m;
        shape[batch.length + 1] = n;
        Tensor out = Tensor.alloc(a.dtype(), shape);
        int count = Shape.size(batch), mk = m * k, kn = k * n, mn = m * n;
        int[] ia = Arrays.equals(ba, batch) ? null : Layout.offsets(batch, Layout.broadcastStrides(ba, batch), 0);
        int[] ib = Arrays.equals(bb, batch) ? null : Layout.offsets(batch, Layout.broadcastStrides(bb, batch), 0);
        Parallel.Range products = (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int ao = (ia == null ? t : ia[t]) * mk, bo = (ib == null ? t : ib[t]) * kn;
                if (a.f != null) Gemm.multiply(ta, tb, a.f, ao, b.f, bo, out.f, t * mn, m, k, n);
                else Gemm.multiply(ta, tb, a.d, ao, b.d, bo, out.d, t * mn, m, k, n);
            }
        };
        // Many small products: one thread per group of products; otherwise each product splits itself.
        long work = (long) mn * k;
        if (count > 1 && work < 4 * Parallel.MIN_WORK) Parallel.range(count, 1, work * count, products);
        else products.run(0, count);
        return record(Op.MATMUL, out, (g, i) -> i == 0
                ? (ta ? mm(b, g, tb, true) : mm(g, b, false, !tb))
                : (tb ? mm(g, a, true, ta) : mm(a, g, !ta, false)), a, b);
    }
}
