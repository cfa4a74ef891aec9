package dev.tapegrad.autodiff;

import static dev.tapegrad.autodiff.Tensor.record;

import dev.tapegrad.autodiff.kernel.ArgmaxKernelsF32;
import dev.tapegrad.autodiff.kernel.ArgmaxKernelsF64;
import dev.tapegrad.autodiff.kernel.BroadcastKernelsF32;
import dev.tapegrad.autodiff.kernel.BroadcastKernelsF64;
import java.util.Arrays;

/** Reduction primitives: sum over axes and max over one axis. */
final class Reductions {
    private Reductions() {}

    // d sum(x) = 1 everywhere: g broadcast back over the reduced axes
    static Tensor sum(Tensor x, int[] axes, boolean keepDim) {
        boolean[] reduce = Shape.axisSet("sum", axes, x.rank());
        int[] kept = x.shape.clone();
        for (int i = 0; i < kept.length; i++) if (reduce[i]) kept[i] = 1;
        int[] outShape = keepDim ? kept : Arrays.stream(range(x.rank())).filter(i -> !reduce[i]).map(i -> x.shape[i]).toArray();
        double[] acc = x.f != null ? BroadcastKernelsF32.sum(x.f, x.shape, kept) : BroadcastKernelsF64.sum(x.d, x.shape, kept);
        Tensor out = Tensor.wrap(outShape, acc).to(x.dtype());
        int[] xs = x.shape;
        return record(Op.SUM, out, (g, i) -> g.reshape(kept).expand(xs), x);
    }

    static Tensor sumTo(Tensor x, int[] target) {
        java.util.Objects.requireNonNull(target, "sumTo: target is null");
        if (Arrays.equals(x.shape, target)) return x;
        if (!Shape.broadcastsTo(target, x.shape))
            throw new IllegalArgumentException("sumTo: shape " + Shape.str(x.shape) + " was not broadcast from " + Shape.str(target));
        int lead = x.rank() - target.length;
        int[] axes = java.util.stream.IntStream.range(0, x.rank())
                .filter(i -> i < lead || (target[i - lead] == 1 && x.shape[i] != 1)).toArray();
        return x.sum(axes, true).reshape(target);
    }

    // d max(x) = 1 at the (first) arg-max, 0 elsewhere: g scattered there
    /** The maximum over {@code axis}, refusals naming {@code op} (max, or min, the negated maximum of the negation). */
    static Tensor max(String op, Tensor x, int axis, boolean keepDim) {
        int a = Shape.axis(op, axis, x.rank());
        int[] kept = Shape.with(x.shape, a, 1);
        Tensor out = Tensor.alloc(x.dtype(), keepDim ? kept : Shape.reduced(x.shape, a, false));
        GatherIndex idx = argmaxIndex(x, a, op, out);
        int[] xs = x.shape;
        return record(Op.MAX, out, (g, i) -> Movement.scatterAddToZeros(xs, a, idx, g.reshape(kept)), x);
    }

    static Tensor argmax(String op, Tensor x, int axis, boolean keepDim) {
        int a = Shape.axis(op, axis, x.rank());
        GatherIndex idx = argmaxIndex(x, a, op, null);
        Tensor t = idx.toTensor().to(x.dtype());
        return keepDim ? t : t.reshape(Shape.reduced(x.shape, a, false));
    }

    /**
     * Position of the first maximum (NaN counts as the maximum) along {@code axis}, with that axis kept; the
     * maxima themselves go to {@code values} unless it is null. Rows of the reduction are split across cores.
     */
    static GatherIndex argmaxIndex(Tensor x, int axis, String op, Tensor values) {
        int n = x.shape[axis];
        if (n == 0) throw new IllegalArgumentException(op + ": cannot reduce axis " + axis + " of size 0 (tensor " + Shape.str(x.shape) + ")");
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= x.shape[i];
        for (int i = axis + 1; i < x.rank(); i++) inner *= x.shape[i];
        int[] best = new int[outer * inner];
        if (x.f != null) ArgmaxKernelsF32.argmax(x.f, values == null ? null : values.f, best, outer, n, inner);
        else ArgmaxKernelsF64.argmax(x.d, values == null ? null : values.d, best, outer, n, inner);
        return new GatherIndex(best, Shape.with(x.shape, axis, 1));
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }
}
