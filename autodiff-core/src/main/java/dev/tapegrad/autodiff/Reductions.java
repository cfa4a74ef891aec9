package dev.tapegrad.autodiff;

import static dev.tapegrad.autodiff.Tensor.record;

import java.util.Arrays;

/** Reduction primitives: sum over axes and max over one axis. */
final class Reductions {
    private Reductions() {}

    static Tensor sum(Tensor x, int[] axes, boolean keepDim) {
        int[] kept = x.shape.clone();
        boolean[] reduce = new boolean[x.rank()];
        for (int a : axes) {
            int n = Shape.axis("sum", a, x.rank());
            if (reduce[n]) throw new IllegalArgumentException("sum: axis " + a + " is given twice in " + Arrays.toString(axes));
            reduce[n] = true;
            kept[n] = 1;
        }
        int[] outShape = keepDim ? kept : Arrays.stream(range(x.rank())).filter(i -> !reduce[i]).map(i -> x.shape[i]).toArray();
        double[] acc = Blocks.sum(x, kept);
        Tensor out = Tensor.wrap(outShape, acc).to(x.dtype());
        int[] xs = x.shape;
        return record(Op.SUM, out, (g, i) -> g.reshape(kept).expand(xs), x);
    }

    static Tensor sumTo(Tensor x, int[] target) {
        if (Arrays.equals(x.shape, target)) return x;
        if (!Shape.broadcastsTo(target, x.shape))
            throw new IllegalArgumentException("sumTo: shape " + Shape.str(x.shape) + " was not broadcast from " + Shape.str(target));
        int lead = x.rank() - target.length;
        int[] axes = java.util.stream.IntStream.range(0, x.rank())
                .filter(i -> i < lead || (target[i - lead] == 1 && x.shape[i] != 1)).toArray();
        return x.sum(axes, true).reshape(target);
    }

    static Tensor max(Tensor x, int axis, boolean keepDim) {
        int a = Shape.axis("max", axis, x.rank());
        int[] kept = Shape.with(x.shape, a, 1);
        Tensor out = Tensor.alloc(x.dtype(), keepDim ? kept : Shape.reduced(x.shape, a, false));
        Index idx = argmaxIndex(x, a, "max", out);
        int[] xs = x.shape;
        return record(Op.MAX, out, (g, i) -> Movement.scatterAddToZeros(xs, a, idx, g.reshape(kept)), x);
    }

    static Tensor argmax(Tensor x, int axis, boolean keepDim) {
        int a = Shape.axis("argmax", axis, x.rank());
        Index idx = argmaxIndex(x, a, "argmax", null);
        Tensor t = idx.toTensor().to(x.dtype());
        return keepDim ? t : t.reshape(Shape.reduced(x.shape, a, false));
    }

    /**
     * Position of the first maximum (NaN counts as the maximum) along {@code axis}, with that axis kept; the
     * maxima themselves go to {@code values} unless it is null. Rows of the reduction are split across cores.
     */
    static Index argmaxIndex(Tensor x, int axis, String op, Tensor values) {
        int n = x.shape[axis];
        if (n == 0) throw new IllegalArgumentException(op + ": cannot reduce axis " + axis + " of size 0 (tensor " + Shape.str(x.shape) + ")");
        int inner = 1;
        for (int i = axis + 1; i < x.rank(); i++) inner *= x.shape[i];
        int outer = x.numel() / (n * inner), in = inner;
        int[] best = new int[outer * inner];
        Parallel.range(outer, 1, (long) x.numel(), (o0, o1) -> {
            if (x.f != null && VectorSupport.ENABLED && VectorArgmax.USABLE) VectorArgmax.argmax(x.f, values == null ? null : values.f, best, o0, o1, n, in);
            else if (x.f != null) argmaxF(x.f, values == null ? null : values.f, best, o0, o1, n, in);
            else argmaxD(x.d, values == null ? null : values.d, best, o0, o1, n, in);
        });
        return new Index(best, Shape.with(x.shape, axis, 1));
    }

    /** Over {@code [outer, n, inner]}: a running maximum per inner position, row by row (contiguous reads). */
    private static void argmaxF(float[] x, float[] values, int[] best, int o0, int o1, int n, int inner) {
        float[] m = new float[inner];
        for (int o = o0; o < o1; o++) {
            int base = o * n * inner, out = o * inner;
            System.arraycopy(x, base, m, 0, inner);
            java.util.Arrays.fill(best, out, out + inner, 0);
            for (int k = 1; k < n; k++) {
                int row = base + k * inner;
                for (int i = 0; i < inner; i++) {
                    float v = x[row + i];
                    if (v > m[i] || (v != v && m[i] == m[i])) { m[i] = v; best[out + i] = k; }
                }
            }
            if (values != null) System.arraycopy(m, 0, values, out, inner);
        }
    }

    private static void argmaxD(double[] x, double[] values, int[] best, int o0, int o1, int n, int inner) {
        double[] m = new double[inner];
        for (int o = o0; o < o1; o++) {
            int base = o * n * inner, out = o * inner;
            System.arraycopy(x, base, m, 0, inner);
            java.util.Arrays.fill(best, out, out + inner, 0);
            for (int k = 1; k < n; k++) {
                int row = base + k * inner;
                for (int i = 0; i < inner; i++) {
                    double v = x[row + i];
                    if (v > m[i] || (v != v && m[i] == m[i])) { m[i] = v; best[out + i] = k; }
                }
            }
            if (values != null) System.arraycopy(m, 0, values, out, inner);
        }
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }
}
