package dev.tapegrad.autodiff.kernel;

import static dev.tapegrad.autodiff.kernel.Layout.suffixEqual;
import static dev.tapegrad.autodiff.kernel.Layout.suffixOnes;

/**
 * Broadcasting ({@link #expand}) and its adjoint, summing over broadcast axes ({@link #sum}), on FLOAT32
 * arrays by contiguous blocks instead of per-element offsets: recursion over the axes, copying, filling or
 * summing whole blocks as soon as the remaining axes are all equal or all broadcast.
 */
public final class BroadcastKernelsF32 {
    private BroadcastKernelsF32() {}

    /** {@code src} of shape {@code srcShape} broadcast into {@code dst} of shape {@code dstShape}. */
    public static void expand(float[] src, int[] srcShape, float[] dst, int[] dstShape) {
        if (dst.length == 0) return;
        int[] ss = Layout.padded(srcShape, dstShape.length);
        expand(src, 0, ss, dst, 0, dstShape, 0, Layout.strides(ss), Layout.strides(dstShape));
    }

    private static void expand(float[] s, int so, int[] ss, float[] d, int dO, int[] ds, int axis, int[] sst, int[] dst) {
        if (suffixEqual(ss, ds, axis)) { System.arraycopy(s, so, d, dO, axis == 0 ? d.length : ds[axis - 1] == 0 ? 0 : dst[axis - 1]); return; }
        if (suffixOnes(ss, axis)) { java.util.Arrays.fill(d, dO, dO + (axis == 0 ? d.length : dst[axis - 1]), s[so]); return; }
        int n = ds[axis], block = dst[axis];
        if (ss[axis] == n) {
            for (int i = 0; i < n; i++) expand(s, so + i * sst[axis], ss, d, dO + i * block, ds, axis + 1, sst, dst);
        } else {
            expand(s, so, ss, d, dO, ds, axis + 1, sst, dst);
            for (int i = 1; i < n; i++) System.arraycopy(d, dO, d, dO + i * block, block);
        }
    }

    /**
     * Sums {@code x} of shape {@code shape} over the axes where {@code kept} has 1 (and {@code shape} does
     * not), into a double array of {@code kept}'s size: the adjoint of {@link #expand}. Rows of axis 0 are
     * split across threads; when axis 0 is reduced each task sums into its own partial, and the partials
     * are added in task order, so the result depends on the thread count only.
     */
    public static double[] sum(float[] x, int[] shape, int[] kept) {
        long size = 1;
        for (int d : kept) size *= d;
        double[] acc = new double[(int) size];
        if (x.length == 0) return acc;
        int[] xst = Layout.strides(shape), kst = Layout.strides(kept);
        int rows = shape.length == 0 ? 1 : shape[0], tasks = Math.min(rows, Parallel.THREADS);
        if (tasks < 2 || x.length < Parallel.MIN_WORK) {
            sumInto(x, shape, 0, acc, 0, kept, 0, xst, kst);
            return acc;
        }
        boolean reduced = kept[0] != rows;
        double[][] partial = new double[tasks][];
        Parallel.tasks(tasks, t -> {
            double[] into = reduced ? (partial[t] = new double[acc.length]) : acc;
            for (int i = (int) ((long) rows * t / tasks), end = (int) ((long) rows * (t + 1) / tasks); i < end; i++)
                sumInto(x, shape, i * xst[0], into, reduced ? 0 : i * kst[0], kept, 1, xst, kst);
        });
        if (reduced) for (double[] p : partial) for (int i = 0; i < acc.length; i++) acc[i] += p[i];
        return acc;
    }

    private static void sumInto(float[] x, int[] xs, int xo, double[] acc, int ao, int[] kept, int axis, int[] xst, int[] kst) {
        if (suffixEqual(kept, xs, axis)) {
            int n = axis == 0 ? x.length : xst[axis - 1];
            for (int i = 0; i < n; i++) acc[ao + i] += x[xo + i];
            return;
        }
        if (suffixOnes(kept, axis)) {
            acc[ao] += total(x, xo, axis == 0 ? x.length : xst[axis - 1]);
            return;
        }
        boolean reduced = kept[axis] != xs[axis];
        for (int i = 0; i < xs[axis]; i++) sumInto(x, xs, xo + i * xst[axis], acc, reduced ? ao : ao + i * kst[axis], kept, axis + 1, xst, kst);
    }

    /** The sum of {@code x[from..from+n)} with four independent accumulators (four times the throughput of one chain). */
    private static double total(float[] x, int from, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = from, end = from + n;
        for (; i + 4 <= end; i += 4) {
            s0 += x[i];
            s1 += x[i + 1];
            s2 += x[i + 2];
            s3 += x[i + 3];
        }
        for (; i < end; i++) s0 += x[i];
        return (s0 + s1) + (s2 + s3);
    }
}
