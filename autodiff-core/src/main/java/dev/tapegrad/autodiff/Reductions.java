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
        Index idx = argmaxIndex(x, a, "max");
        int[] kept = idx.shape();
        Tensor out = Kernels.gather(x, idx.offsets("max", x.shape, a), kept);
        if (!keepDim) out = Tensor.wrap(Shape.reduced(x.shape, a, false), out.f, out.d);
        int[] xs = x.shape;
        return record(Op.MAX, out, (g, i) -> Movement.scatterAdd(Tensor.zeros(g.dtype(), xs), a, idx, g.reshape(kept)), x);
    }

    static Tensor argmax(Tensor x, int axis, boolean keepDim) {
        int a = Shape.axis("argmax", axis, x.rank());
        Index idx = argmaxIndex(x, a, "argmax");
        Tensor t = idx.toTensor().to(x.dtype());
        return keepDim ? t : t.reshape(Shape.reduced(x.shape, a, false));
    }

    /** Position of the first maximum (NaN counts as the maximum) along {@code axis}, with that axis kept. */
    private static Index argmaxIndex(Tensor x, int axis, String op) {
        int n = x.shape[axis];
        if (n == 0) throw new IllegalArgumentException(op + ": cannot reduce axis " + axis + " of size 0 (tensor " + Shape.str(x.shape) + ")");
        int inner = 1;
        for (int i = axis + 1; i < x.rank(); i++) inner *= x.shape[i];
        int outer = x.numel() / (n * inner);
        int[] best = new int[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * n * inner + in, arg = 0;
                double m = x.at(base);
                for (int k = 1; k < n && m == m; k++) {
                    double v = x.at(base + k * inner);
                    if (v > m || v != v) { m = v; arg = k; }
                }
                best[o * inner + in] = arg;
            }
        }
        return new Index(best, Shape.with(x.shape, axis, 1));
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }
}
