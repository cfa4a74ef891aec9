package dev.tapegrad.autodiff;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/** Raw loops over tensor storage; one body serves both dtypes through double arithmetic. */
final class Kernels {
    private Kernels() {}

    static void sameDType(String op, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype())
            throw new IllegalArgumentException(op + ": dtypes " + a.dtype() + " " + Shape.str(a.shape) + " and "
                    + b.dtype() + " " + Shape.str(b.shape) + " differ; convert one with to(DType)");
    }

    static Tensor map(Tensor x, DoubleUnaryOperator fn) {
        Tensor out = Tensor.alloc(x.dtype(), x.shape);
        if (x.f != null) for (int i = 0; i < x.f.length; i++) out.f[i] = (float) fn.applyAsDouble(x.f[i]);
        else for (int i = 0; i < x.d.length; i++) out.d[i] = fn.applyAsDouble(x.d[i]);
        return out;
    }

    /** {@code a (op) b} for {@code op} one of {@code + - * /}: the plain loops of {@link Arith} where they apply, else {@link #zip}. */
    static Tensor arith(String name, char op, Tensor a, Tensor b, DoubleBinaryOperator fn) {
        sameDType(name, a, b);
        int[] shape = Arrays.equals(a.shape, b.shape) ? a.shape : Shape.broadcast(name, a.shape, b.shape);
        Tensor out = Arith.apply(op, a, b, shape);
        if (out != null) return out;
        return Arith.apply(op, Arrays.equals(a.shape, shape) ? a : Blocks.expand(a, shape), Arrays.equals(b.shape, shape) ? b : Blocks.expand(b, shape), shape);
    }

    /**
     * {@code fn(a, b)} elementwise with NumPy broadcasting; the result has {@code a}'s dtype. An operand whose
     * shape (leading 1s dropped) is a suffix of the result's is read cyclically; any other broadcast operand
     * is first expanded by blocks ({@link Blocks#expand}).
     */
    static Tensor zip(String op, Tensor a, Tensor b, DoubleBinaryOperator fn) {
        sameDType(op, a, b);
        int[] shape = Arrays.equals(a.shape, b.shape) ? a.shape : Shape.broadcast(op, a.shape, b.shape);
        if (!cyclic(a, shape)) a = Blocks.expand(a, shape);
        if (!cyclic(b, shape)) b = Blocks.expand(b, shape);
        Tensor out = Tensor.alloc(a.dtype(), shape);
        int n = out.numel(), na = a.numel(), nb = b.numel();
        if (na == n && nb == n) {
            if (out.f != null) for (int i = 0; i < n; i++) out.f[i] = (float) fn.applyAsDouble(a.f[i], b.f[i]);
            else for (int i = 0; i < n; i++) out.d[i] = fn.applyAsDouble(a.d[i], b.d[i]);
        } else if (out.f != null) {
            for (int i = 0, p = 0, q = 0; i < n; i++) {
                out.f[i] = (float) fn.applyAsDouble(a.f[p], b.f[q]);
                if (++p == na) p = 0;
                if (++q == nb) q = 0;
            }
        } else {
            for (int i = 0, p = 0, q = 0; i < n; i++) {
                out.d[i] = fn.applyAsDouble(a.d[p], b.d[q]);
                if (++p == na) p = 0;
                if (++q == nb) q = 0;
            }
        }
        return out;
    }

    /** Whether {@code t}'s shape, leading 1s dropped, is a suffix of {@code shape}: then index {@code i} reads {@code i mod size}. */
    static boolean cyclic(Tensor t, int[] shape) {
        int lead = 0;
        while (lead < t.shape.length && t.shape[lead] == 1) lead++;
        int k = t.shape.length - lead;
        return k <= shape.length && Arrays.equals(t.shape, lead, t.shape.length, shape, shape.length - k, shape.length);
    }

    /** {@code out[i] = src[offsets[i]]}. */
    static Tensor gather(Tensor src, int[] offsets, int[] shape) {
        Tensor out = Tensor.alloc(src.dtype(), shape);
        if (src.f != null) for (int i = 0; i < offsets.length; i++) out.f[i] = src.f[offsets[i]];
        else for (int i = 0; i < offsets.length; i++) out.d[i] = src.d[offsets[i]];
        return out;
    }

    /** {@code into[offsets[i]] += src[i]} (in place on a fresh tensor). */
    static void scatterAdd(Tensor into, int[] offsets, Tensor src) {
        if (into.f != null) for (int i = 0; i < offsets.length; i++) into.f[offsets[i]] += src.f[i];
        else for (int i = 0; i < offsets.length; i++) into.d[offsets[i]] += src.d[i];
    }

    /** {@code into[offsets[i]] = src[i]} (in place on a fresh tensor). */
    static void scatter(Tensor into, int[] offsets, Tensor src) {
        if (into.f != null) for (int i = 0; i < offsets.length; i++) into.f[offsets[i]] = src.f[i];
        else for (int i = 0; i < offsets.length; i++) into.d[offsets[i]] = src.d[i];
    }

    /** Swaps the last two axes of {@code x} ({@code [..., r, c] -> [..., c, r]}) with a direct loop per matrix. */
    static Tensor transposeLastTwo(Tensor x, int[] outShape) {
        int r = x.shape[x.rank() - 2], c = x.shape[x.rank() - 1], m = r * c, batches = m == 0 ? 0 : x.numel() / m;
        Tensor out = Tensor.alloc(x.dtype(), outShape);
        for (int b = 0, o = 0; b < batches; b++, o += m) {
            for (int i = 0; i < r; i++) {
                if (x.f != null) for (int j = 0; j < c; j++) out.f[o + j * r + i] = x.f[o + i * c + j];
                else for (int j = 0; j < c; j++) out.d[o + j * r + i] = x.d[o + i * c + j];
            }
        }
        return out;
    }

    /** {@code g y (1 - y)} (the sigmoid backward, fused); a gradient always has its tensor's shape and dtype. */
    static Tensor sigmoidBackward(Tensor g, Tensor y) {
        Tensor out = Tensor.alloc(g.dtype(), g.shape);
        Parallel.range(out.numel(), 1 << 14, out.numel(), (from, to) -> {
            if (g.f != null) for (int i = from; i < to; i++) out.f[i] = g.f[i] * (y.f[i] * (1f - y.f[i]));
            else for (int i = from; i < to; i++) out.d[i] = g.d[i] * (y.d[i] * (1d - y.d[i]));
        });
        return out;
    }

    static Tensor copy(Tensor t) {
        return t.f != null ? Tensor.wrap(t.shape, t.f.clone()) : Tensor.wrap(t.shape, t.d.clone());
    }
}
