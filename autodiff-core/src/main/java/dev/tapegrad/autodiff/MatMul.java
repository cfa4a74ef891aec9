package dev.tapegrad.autodiff;

import static dev.tapegrad.autodiff.Tensor.record;

import dev.tapegrad.autodiff.kernel.Gemm;
import dev.tapegrad.autodiff.kernel.Layout;
import dev.tapegrad.autodiff.kernel.Parallel;
import java.util.Arrays;
import java.util.Objects;

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

    static Tensor linear(Tensor x, Tensor w, Tensor bias) {
        Objects.requireNonNull(x, "linear: input is null");
        Objects.requireNonNull(w, "linear: weight is null");
        if (w.rank() != 2 || x.rank() == 0)
            throw new IllegalArgumentException("linear: needs an input [..., in] and a weight [out, in], got " + Shape.str(x.shape) + " and " + Shape.str(w.shape));
        checkInner("linear", x, w, w.shape[1]);
        if (bias == null) return matmulTransposed(x, w);
        DType.requireSame("linear", x, bias);
        int n = w.shape[0], k = w.shape[1];
        if (bias.rank() != 1 || bias.shape[0] != n)
            throw new IllegalArgumentException("linear: bias " + Shape.str(bias.shape) + " must be [out] = [" + n + "] for the weight " + Shape.str(w.shape));
        int[] shape = x.shape.clone();
        shape[shape.length - 1] = n;
        Tensor rows = x.reshape(Shape.size(Arrays.copyOf(x.shape, x.rank() - 1)), k), out = Tensor.alloc(x.dtype(), new int[] {rows.shape[0], n});
        for (int i = 0; i < rows.shape[0]; i++) {
            if (x.f != null) System.arraycopy(bias.f, 0, out.f, i * n, n);
            else System.arraycopy(bias.d, 0, out.d, i * n, n);
        }
        multiply(rows, w, false, true, out, true);
        return record(Op.MATMUL, out, new Rule(rows, w, false, true, bias), rows, w, bias).reshape(shape);
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
        if (ra > 2 && rb == 2 && !ta) {
            // [..., m, k] times a matrix (a Linear layer on a sequence): one product over all rows, so the matrix
            // is packed once, and its gradient is one product too instead of a batch of them summed afterwards.
            int k = a.shape[ra - 1];
            int[] shape = a.shape.clone();
            shape[ra - 1] = b.shape[tb ? 0 : 1];
            return mm(a.reshape(Shape.size(Arrays.copyOf(a.shape, ra - 1)), k), b, false, tb).reshape(shape);
        }
        Tensor out = Tensor.alloc(a.dtype(), shape(a, b, ta, tb));
        multiply(a, b, ta, tb, out, false);
        return record(Op.MATMUL, out, new Rule(a, b, ta, tb, null), a, b);
    }

    /**
     * The backward rules, each also run as {@code acc += rule} straight into a gradient the sweep owns (the
     * weight of a recurrent layer gathers one term per step) when that term has the operand's shape, i.e. no
     * batch axis of the operand was broadcast; a {@link #linear} layer's bias {@code c} (input 2) takes the
     * output's gradient summed over the rows.
     */
    // d(A B^T + c) = (G B, G^T A, sum_rows G)
    private record Rule(Tensor a, Tensor b, boolean ta, boolean tb, Tensor c) implements Node.Accumulating {
        @Override
        public Tensor grad(Tensor g, int i) { return rule(g, i, null); }

        @Override
        public boolean addInto(Tensor acc, Tensor g, int i) { return rule(g, i, acc) != null; }

        private Tensor rule(Tensor g, int i, Tensor acc) {
            if (i == 2) return acc == null ? g.sumTo(c.shape) : null;
            return i == 0 ? (ta ? pull(b, g, tb, true, acc) : pull(g, b, false, !tb, acc))
                    : (tb ? pull(g, a, true, ta, acc) : pull(a, g, !ta, false, acc));
        }

        /** {@code op(x) op(y)} as a new tensor, or added into {@code acc} (then null if it has another shape or dtype). */
        private static Tensor pull(Tensor x, Tensor y, boolean tx, boolean ty, Tensor acc) {
            if (acc == null) return mm(x, y, tx, ty);
            if (acc.dtype() != x.dtype() || !Arrays.equals(acc.shape, shape(x, y, tx, ty))) return null;
            multiply(x, y, tx, ty, acc, true);
            return acc;
        }
    }

    /** The shape of {@code op(a) op(b)}: the broadcast batch axes, then {@code m x n}. */
    private static int[] shape(Tensor a, Tensor b, boolean ta, boolean tb) {
        int ra = a.rank(), rb = b.rank();
        int[] ba = Arrays.copyOf(a.shape, ra - 2), bb = Arrays.copyOf(b.shape, rb - 2);
        int[] batch = Arrays.equals(ba, bb) ? ba : Shape.broadcast("matmul", ba, bb);
        int[] shape = Arrays.copyOf(batch, batch.length + 2);
        shape[batch.length] = a.shape[ra - (ta ? 1 : 2)];
        shape[batch.length + 1] = b.shape[rb - (tb ? 2 : 1)];
        return shape;
    }

    /** {@code out (=|+=) op(a) op(b)}, product by product over the batch axes ({@code out} has {@link #shape}). */
    private static void multiply(Tensor a, Tensor b, boolean ta, boolean tb, Tensor out, boolean add) {
        int ra = a.rank(), rb = b.rank(), ro = out.rank();
        int m = out.shape[ro - 2], k = a.shape[ra - (ta ? 2 : 1)], n = out.shape[ro - 1];
        int[] ba = Arrays.copyOf(a.shape, ra - 2), bb = Arrays.copyOf(b.shape, rb - 2), batch = Arrays.copyOf(out.shape, ro - 2);
        int count = Shape.size(batch), mk = m * k, kn = k * n, mn = m * n;
        int[] ia = Arrays.equals(ba, batch) ? null : Layout.offsets(batch, Layout.broadcastStrides(ba, batch), 0);
        int[] ib = Arrays.equals(bb, batch) ? null : Layout.offsets(batch, Layout.broadcastStrides(bb, batch), 0);
        Parallel.Range products = (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int ao = (ia == null ? t : ia[t]) * mk, bo = (ib == null ? t : ib[t]) * kn;
                if (a.f != null) Gemm.multiply(ta, tb, a.f, ao, b.f, bo, out.f, t * mn, m, k, n, add);
                else Gemm.multiply(ta, tb, a.d, ao, b.d, bo, out.d, t * mn, m, k, n, add);
            }
        };
        // Many small products, or as many as evenly fill the threads: one thread per group of products (equal
        // shares, one hand-over per call); otherwise each product splits itself.
        long work = (long) mn * k;
        boolean byProduct = count > 1 && (work < 4 * Parallel.MIN_WORK || count % Parallel.THREADS == 0 || count >= 4 * Parallel.THREADS);
        if (byProduct) Parallel.range(count, 1, work * count, products);
        else products.run(0, count);
    }
}
