package dev.tapegrad.autodiff;

/**
 * Resizing {@code [N, C, H, W]} as PyTorch's {@code F.interpolate}: nearest ({@code src = floor(dst * in / out)})
 * and bilinear with {@code alignCorners} false ({@code src = (dst + 0.5) in / out - 0.5}, clamped at 0) or
 * true ({@code src = dst (in - 1) / (out - 1)}). Bilinear resizing is a product with interpolation
 * matrices, {@code M_h x M_w^T}; nearest is an index selection. Sizes come from {@code size} or from
 * {@code floor(in * scale)}.
 */
public final class Interpolate {
    private Interpolate() {}

    public static Tensor nearest(Tensor x, int outH, int outW) {
        check("nearest", x, outH, outW);
        return x.indexSelect(2, nearestIndices(x.shape[2], outH)).indexSelect(3, nearestIndices(x.shape[3], outW));
    }

    public static Tensor nearest(Tensor x, double scale) { return nearest(x, scaled(x, 2, scale), scaled(x, 3, scale)); }

    public static Tensor bilinear(Tensor x, int outH, int outW, boolean alignCorners) {
        check("bilinear", x, outH, outW);
        Tensor mh = weights(x.shape[2], outH, alignCorners, x.dtype()), mw = weights(x.shape[3], outW, alignCorners, x.dtype());
        return mh.matmul(x).matmul(mw.transpose(0, 1));
    }

    public static Tensor bilinear(Tensor x, double scale, boolean alignCorners) {
        return bilinear(x, scaled(x, 2, scale), scaled(x, 3, scale), alignCorners);
    }

    private static int[] nearestIndices(int in, int out) {
        int[] idx = new int[out];
        for (int i = 0; i < out; i++) idx[i] = Math.min(in - 1, (int) Math.floor(i * (double) in / out));
        return idx;
    }

    /** {@code [out, in]} linear-interpolation weights along one axis. */
    private static Tensor weights(int in, int out, boolean alignCorners, DType dtype) {
        double[] m = new double[out * in];
        for (int i = 0; i < out; i++) {
            double src = alignCorners ? (out == 1 ? 0 : i * (in - 1.0) / (out - 1)) : Math.max(0, (i + 0.5) * in / out - 0.5);
            int lo = Math.min((int) Math.floor(src), in - 1), hi = Math.min(lo + 1, in - 1);
            double t = src - lo;
            m[i * in + lo] += 1 - t;
            m[i * in + hi] += t;
        }
        return Tensor.of(m, out, in).to(dtype);
    }

    private static int scaled(Tensor x, int axis, double scale) {
        java.util.Objects.requireNonNull(x, "interpolate: x is null");
        if (!(scale > 0) || scale == Double.POSITIVE_INFINITY) throw new IllegalArgumentException("interpolate: scale " + scale + " must be positive and finite");
        if (x.rank() != 4) throw new IllegalArgumentException("interpolate: expected input [N, C, H, W], got " + Shape.str(x.shape));
        double size = Math.floor(x.shape[axis] * scale);
        if (size > Integer.MAX_VALUE)
            throw new IllegalArgumentException("interpolate: scale " + scale + " makes axis " + axis + " of " + Shape.str(x.shape) + " " + size + " long");
        return (int) size;
    }

    private static void check(String op, Tensor x, int outH, int outW) {
        java.util.Objects.requireNonNull(x, () -> op + ": x is null");
        if (x.rank() != 4) throw new IllegalArgumentException(op + ": expected input [N, C, H, W], got " + Shape.str(x.shape));
        if (outH <= 0 || outW <= 0 || x.shape[2] == 0 || x.shape[3] == 0)
            throw new IllegalArgumentException(op + ": cannot resize " + Shape.str(x.shape) + " to " + outH + "x" + outW);
        Shape.checked(op, x.shape[0], x.shape[1], outH, outW);
        Shape.checked(op, outH, x.shape[2]);
        Shape.checked(op, outW, x.shape[3]);
    }
}
