package dev.tapegrad.autodiff;

import static dev.tapegrad.autodiff.Tensor.record;

import dev.tapegrad.autodiff.kernel.BroadcastKernelsF32;
import dev.tapegrad.autodiff.kernel.BroadcastKernelsF64;
import dev.tapegrad.autodiff.kernel.CopyKernelsF32;
import dev.tapegrad.autodiff.kernel.CopyKernelsF64;
import dev.tapegrad.autodiff.kernel.Layout;
import java.util.Arrays;

/**
 * Movement primitives: reshape, permute, expand, slice, pad, cat, gather and scatter-add. Each backward is
 * the adjoint movement (the comment on each says which), so it is linear in {@code g}.
 */
final class Movement {
    private Movement() {}

    // adjoint: reshape back
    static Tensor reshape(Tensor x, int[] newShape) {
        java.util.Objects.requireNonNull(newShape, "reshape: shape is null");
        int[] s = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("reshape: more than one -1 in " + Shape.str(newShape) + " for tensor " + Shape.str(x.shape));
                infer = i;
            } else if (s[i] < 0) {
                throw new IllegalArgumentException("reshape: negative dimension in " + Shape.str(newShape) + " for tensor " + Shape.str(x.shape));
            } else known = Math.min(known * s[i], Integer.MAX_VALUE + 1L);   // saturated (a later 0 still gives 0): no wrap to the element count
        }
        if (infer >= 0) {
            if (known == 0 || x.numel() % known != 0)
                throw new IllegalArgumentException("reshape: cannot reshape " + Shape.str(x.shape) + " (" + x.numel() + " elements) to " + Shape.str(newShape));
            s[infer] = (int) (x.numel() / known);
        } else if (known != x.numel()) {
            throw new IllegalArgumentException("reshape: cannot reshape " + Shape.str(x.shape) + " (" + x.numel() + " elements) to " + Shape.str(newShape));
        }
        if (Arrays.equals(s, x.shape)) return x;
        int[] xs = x.shape;
        return record(Op.RESHAPE, Tensor.wrapShared(s, x), (g, i) -> g.reshape(xs), x);
    }

    // adjoint: the inverse permutation
    static Tensor permute(Tensor x, int[] order) {
        java.util.Objects.requireNonNull(order, "permute: order is null");
        int r = x.rank();
        if (order.length != r) throw new IllegalArgumentException("permute: order " + Arrays.toString(order) + " does not match rank " + r + " of " + Shape.str(x.shape));
        int[] p = new int[r], inv = new int[r], shape = new int[r], strides = new int[r], xs = Layout.strides(x.shape);
        boolean[] seen = new boolean[r];
        for (int i = 0; i < r; i++) {
            p[i] = Shape.axis("permute", order[i], r);
            if (seen[p[i]]) throw new IllegalArgumentException("permute: order " + Arrays.toString(order) + " repeats axis " + p[i]);
            seen[p[i]] = true;
            inv[p[i]] = i;
            shape[i] = x.shape[p[i]];
            strides[i] = xs[p[i]];
        }
        boolean swapsLastTwo = r >= 2 && p[r - 2] == r - 1 && p[r - 1] == r - 2;
        for (int i = 0; i < r - 2 && swapsLastTwo; i++) swapsLastTwo = p[i] == i;
        Tensor out = swapsLastTwo ? transposeLastTwo(x, shape) : r > 0 && p[r - 1] == r - 1 ? permuteRows(x, shape, strides) : gather(x, Layout.offsets(shape, strides, 0), shape);
        return record(Op.PERMUTE, out, (g, i) -> g.permute(inv), x);
    }

    /** A permutation that keeps the last axis in place (as splitting attention heads does) moves whole rows: one offset per row. */
    private static Tensor permuteRows(Tensor x, int[] shape, int[] strides) {
        int r = shape.length, len = shape[r - 1];
        Tensor out = Tensor.alloc(x.dtype(), shape);
        if (out.numel() == 0) return out;
        int[] starts = Layout.offsets(Arrays.copyOf(shape, r - 1), Arrays.copyOf(strides, r - 1), 0);
        if (x.f != null) CopyKernelsF32.gatherRows(x.f, starts, out.f, len);
        else CopyKernelsF64.gatherRows(x.d, starts, out.d, len);
        return out;
    }

    // adjoint: sum over the broadcast axes
    static Tensor expand(Tensor x, int[] newShape) {
        java.util.Objects.requireNonNull(newShape, "expand: shape is null");
        if (newShape.length < x.rank())
            throw new IllegalArgumentException("expand: cannot expand " + Shape.str(x.shape) + " to fewer dimensions " + Shape.str(newShape));
        int lead = newShape.length - x.rank();
        int[] s = newShape.clone();
        for (int i = 0; i < s.length; i++) {
            int have = i < lead ? -2 : x.shape[i - lead];
            if (s[i] == -1 && have >= 0) s[i] = have;
            if (s[i] < 0 || (have >= 0 && have != 1 && have != s[i]))
                throw new IllegalArgumentException("expand: cannot expand " + Shape.str(x.shape) + " to " + Shape.str(newShape));
        }
        if (Arrays.equals(s, x.shape)) return x;
        Tensor out = expanded(x, s);
        int[] xs = x.shape;
        return record(Op.EXPAND, out, (g, i) -> g.sumTo(xs), x);
    }

    // adjoint: zero padding back to the full extent
    static Tensor slice(Tensor x, int axis, int from, int to) {
        int a = Shape.axis("slice", axis, x.rank()), n = x.shape[a];
        int lo = from < 0 ? from + n : from, hi = to < 0 ? to + n : to;
        if (lo < 0 || hi > n || lo > hi)
            throw new IllegalArgumentException("slice: range [" + from + ", " + to + ") is out of bounds for axis " + axis + " of size " + n
                    + " (tensor " + Shape.str(x.shape) + ")");
        int[] shape = Shape.with(x.shape, a, hi - lo);
        int inner = product(x.shape, a + 1, x.rank()), outer = product(x.shape, 0, a);
        int len = (hi - lo) * inner, at = lo * inner, stride = n * inner;
        Tensor out = Tensor.alloc(x.dtype(), shape);
        copyBlocks(x, at, stride, out, 0, len, outer, len);
        int[] pads = new int[2 * (x.rank() - a)];
        pads[2 * (x.rank() - 1 - a)] = lo;
        pads[2 * (x.rank() - 1 - a) + 1] = n - hi;
        return record(Op.SLICE, out, new Node.Placing() {
            @Override
            public Tensor grad(Tensor g, int i) { return g.pad(pads); }

            @Override
            public void addInto(Tensor acc, Tensor g) {
                if (acc.f != null) CopyKernelsF32.addBlocks(g.f, 0, len, acc.f, at, stride, outer, len);
                else CopyKernelsF64.addBlocks(g.d, 0, len, acc.d, at, stride, outer, len);
            }
        }, x);
    }

    // adjoint: the slice of the unpadded region
    static Tensor pad(Tensor x, int[] padding, double value) {
        java.util.Objects.requireNonNull(padding, "pad: padding is null");
        int r = x.rank();
        if (padding.length % 2 != 0 || padding.length > 2 * r)
            throw new IllegalArgumentException("pad: padding " + Arrays.toString(padding) + " must hold (before, after) pairs for at most the "
                    + r + " axes of " + Shape.str(x.shape));
        int[] before = new int[r], shape = x.shape.clone();
        for (int k = 0; k < padding.length / 2; k++) {
            int a = r - 1 - k;
            if (padding[2 * k] < 0 || padding[2 * k + 1] < 0)
                throw new IllegalArgumentException("pad: negative padding in " + Arrays.toString(padding) + " for " + Shape.str(x.shape));
            before[a] = padding[2 * k];
            long padded = (long) shape[a] + padding[2 * k] + padding[2 * k + 1];
            if (padded > Integer.MAX_VALUE)
                throw new IllegalArgumentException("pad: padding " + Arrays.toString(padding) + " makes axis " + a + " of " + Shape.str(x.shape)
                        + " " + padded + " long, more than an array holds");
            shape[a] = (int) padded;
        }
        Tensor out = Tensor.full(x.dtype(), value, shape);
        place(x, out, before);
        int[] xs = x.shape;
        return record(Op.PAD, out, (g, i) -> {
            Tensor s = g;
            for (int a = 0; a < r; a++) if (shape[a] != xs[a]) s = s.slice(a, before[a], before[a] + xs[a]);
            return s;
        }, x);
    }

    /**
     * Copies {@code x} into {@code out} at offset {@code before} per axis, by contiguous runs: past the last
     * padded axis {@code p} both are contiguous, so each run is {@code x.shape[p..]} long.
     */
    private static void place(Tensor x, Tensor out, int[] before) {
        int r = x.rank(), p = Math.max(0, r - 1);
        while (p > 0 && out.shape[p] == x.shape[p]) p--;
        if (x.numel() == 0) return;
        int[] os = Layout.strides(out.shape), idx = new int[p];
        int len = product(x.shape, p, r), runs = x.numel() / len, base = 0;
        for (int a = 0; a < r; a++) base += before[a] * os[a];
        for (int run = 0; run < runs; run++) {
            int o = base;
            for (int a = 0; a < p; a++) o += idx[a] * os[a];
            copyBlocks(x, run * len, 0, out, o, 0, 1, len);
            for (int a = p - 1; a >= 0 && ++idx[a] == x.shape[a]; a--) idx[a] = 0;
        }
    }

    /** {@code shape[from] * ... * shape[to - 1]} (1 when empty): the run lengths and counts of the block copies. */
    private static int product(int[] shape, int from, int to) {
        int n = 1;
        for (int i = from; i < to; i++) n *= shape[i];
        return n;
    }

    private static void copyBlocks(Tensor src, int srcAt, int srcStride, Tensor dst, int dstAt, int dstStride, int blocks, int len) {
        if (src.f != null) CopyKernelsF32.copyBlocks(src.f, srcAt, srcStride, dst.f, dstAt, dstStride, blocks, len);
        else CopyKernelsF64.copyBlocks(src.d, srcAt, srcStride, dst.d, dstAt, dstStride, blocks, len);
    }

    // adjoint: each input's slice of g
    /** {@link Tensor#cat}, refusals naming {@code op} (cat, or stack, which concatenates its operands' unsqueezed forms). */
    static Tensor cat(String op, int axis, Tensor[] ts) {
        java.util.Objects.requireNonNull(ts, () -> op + ": tensors is null");
        if (ts.length == 0) throw new IllegalArgumentException(op + ": no tensors");
        for (int k = 0; k < ts.length; k++) if (ts[k] == null) throw new NullPointerException(op + ": tensor " + k + " is null");
        Tensor t0 = ts[0];
        int a = Shape.axis(op, axis, t0.rank());
        int[] starts = new int[ts.length];
        long sum = 0;
        for (int k = 0; k < ts.length; k++) {
            Tensor t = ts[k];
            DType.requireSame(op, t0, t);
            if (t.rank() != t0.rank() || !Arrays.equals(Shape.with(t.shape, a, 0), Shape.with(t0.shape, a, 0)))
                throw new IllegalArgumentException(op + ": tensor " + k + " has shape " + Shape.str(t.shape) + " but tensor 0 has "
                        + Shape.str(t0.shape) + "; only axis " + axis + " may differ");
            starts[k] = (int) sum;
            sum += t.shape[a];
            if (sum > Integer.MAX_VALUE)
                throw new IllegalArgumentException(op + ": axis " + a + " of tensors 0 to " + k + " (tensor " + k + " " + Shape.str(t.shape) + ") adds up to "
                        + sum + ", more than an array holds");
        }
        int total = (int) sum;
        int[] shape = Shape.with(t0.shape, a, total);
        int inner = product(shape, a + 1, shape.length), outer = product(shape, 0, a);
        Tensor out = Tensor.alloc(t0.dtype(), shape);
        for (int k = 0; k < ts.length; k++) {
            int len = ts[k].shape[a] * inner;
            copyBlocks(ts[k], 0, len, out, starts[k] * inner, total * inner, outer, len);
        }
        Tensor[] inputs = ts.clone();
        return record(Op.CAT, out, (g, i) -> g.slice(a, starts[i], starts[i] + inputs[i].shape[a]), inputs);
    }

    // adjoint: scatter-add of g into zeros
    static Tensor gather(Tensor x, int axis, GatherIndex idx) {
        int a = Shape.axis("gather", axis, x.rank());
        return gathered(x, a, idx, gather(x, idx.offsets("gather", x.shape, a), idx.shape()));
    }

    /** Records {@code values}, already equal to {@code gather(x, axis, idx)} (as a running arg-max computes them), as that gather. */
    static Tensor gathered(Tensor x, int axis, GatherIndex idx, Tensor values) {
        int[] xs = x.shape;
        return record(Op.GATHER, values, (g, i) -> scatterAddToZeros(xs, axis, idx, g), x);
    }

    /**
     * {@code scatterAdd} into zeros of {@code shape} (the backward of gather and max): recorded with {@code src}
     * as its only input, since the zeros are a constant, so no zero tensor is built or copied.
     */
    // adjoint: gather of g
    static Tensor scatterAddToZeros(int[] shape, int axis, GatherIndex idx, Tensor src) {
        int a = Shape.axis("scatterAdd", axis, shape.length);
        checkSource(src, idx);
        Tensor out = Tensor.alloc(src.dtype(), shape);
        idx.scatterAdd("scatterAdd", out, a, src);
        return record(Op.SCATTER_ADD, out, (g, i) -> gather(g, a, idx), src);
    }

    // adjoint: g for self, gather of g for src
    static Tensor scatterAdd(Tensor self, int axis, GatherIndex idx, Tensor src) {
        int a = Shape.axis("scatterAdd", axis, self.rank());
        DType.requireSame("scatterAdd", self, src);
        checkSource(src, idx);
        Tensor out = self.f != null ? Tensor.wrap(self.shape, self.f.clone()) : Tensor.wrap(self.shape, self.d.clone());
        idx.scatterAdd("scatterAdd", out, a, src);
        return record(Op.SCATTER_ADD, out, (g, i) -> i == 0 ? g : gather(g, a, idx), self, src);
    }

    private static void checkSource(Tensor src, GatherIndex idx) {
        if (!Arrays.equals(src.shape, idx.shape()))
            throw new IllegalArgumentException("scatterAdd: src of shape " + Shape.str(src.shape) + " must have the index's shape " + Shape.str(idx.shape()));
    }

    static Tensor indexSelect(Tensor x, int axis, int[] indices) {
        java.util.Objects.requireNonNull(indices, "indexSelect: indices is null");
        int a = Shape.axis("indexSelect", axis, x.rank());
        int[] shape = Shape.with(x.shape, a, indices.length);
        int inner = 1;
        for (int i = a + 1; i < x.rank(); i++) inner *= x.shape[i];
        int[] v = new int[Shape.size(shape)];
        for (int i = 0; i < v.length; i++) v[i] = indices[(i / inner) % indices.length];
        for (int k : indices)
            if (k < 0 || k >= x.shape[a])
                throw new IllegalArgumentException("indexSelect: index " + k + " is out of range for axis " + axis + " of size " + x.shape[a]
                        + " (tensor " + Shape.str(x.shape) + ")");
        return gather(x, a, new GatherIndex(v, shape));
    }

    // ---- kernel dispatch (unrecorded)

    /** {@code x} broadcast to {@code shape} as a fresh tensor ({@code x} itself when it has that shape). */
    static Tensor expanded(Tensor x, int[] shape) {
        if (Arrays.equals(x.shape, shape)) return x;
        Tensor out = Tensor.alloc(x.dtype(), shape);
        if (x.f != null) BroadcastKernelsF32.expand(x.f, x.shape, out.f, shape); else BroadcastKernelsF64.expand(x.d, x.shape, out.d, shape);
        return out;
    }

    /** {@code out[i] = src[offsets[i]]}, of shape {@code shape}. */
    private static Tensor gather(Tensor src, int[] offsets, int[] shape) {
        Tensor out = Tensor.alloc(src.dtype(), shape);
        if (src.f != null) CopyKernelsF32.gather(src.f, offsets, out.f); else CopyKernelsF64.gather(src.d, offsets, out.d);
        return out;
    }

    /** Swaps the last two axes of {@code x} ({@code [..., r, c] -> [..., c, r]}) with a direct loop per matrix. */
    private static Tensor transposeLastTwo(Tensor x, int[] outShape) {
        int r = x.shape[x.rank() - 2], c = x.shape[x.rank() - 1], m = r * c, batches = m == 0 ? 0 : x.numel() / m;
        Tensor out = Tensor.alloc(x.dtype(), outShape);
        if (x.f != null) CopyKernelsF32.transposeLastTwo(x.f, out.f, batches, r, c); else CopyKernelsF64.transposeLastTwo(x.d, out.d, batches, r, c);
        return out;
    }
}
