package dev.tapegrad.autodiff;

/**
 * Broadcasting and reducing by contiguous blocks instead of per-element offsets: recursion over the axes,
 * copying or filling whole blocks as soon as the remaining axes are all equal or all broadcast.
 */
final class Blocks {
    private Blocks() {}

    /** {@code t} broadcast to {@code shape} as a fresh tensor. */
    static Tensor expand(Tensor t, int[] shape) {
        Tensor out = Tensor.alloc(t.dtype(), shape);
        if (out.numel() == 0) return out;
        int[] src = padded(t.shape, shape.length);
        if (t.f != null) expandF(t.f, 0, src, out.f, 0, shape, 0, Shape.strides(src), Shape.strides(shape));
        else expandD(t.d, 0, src, out.d, 0, shape, 0, Shape.strides(src), Shape.strides(shape));
        return out;
    }

    private static void expandF(float[] s, int so, int[] ss, float[] d, int dO, int[] ds, int axis, int[] sst, int[] dst) {
        if (suffixEqual(ss, ds, axis)) { System.arraycopy(s, so, d, dO, axis == 0 ? d.length : ds[axis - 1] == 0 ? 0 : dst[axis - 1]); return; }
        if (suffixOnes(ss, axis)) { java.util.Arrays.fill(d, dO, dO + (axis == 0 ? d.length : dst[axis - 1]), s[so]); return; }
        int n = ds[axis], block = dst[axis];
        if (ss[axis] == n) {
            for (int i = 0; i < n; i++) expandF(s, so + i * sst[axis], ss, d, dO + i * block, ds, axis + 1, sst, dst);
        } else {
            expandF(s, so, ss, d, dO, ds, axis + 1, sst, dst);
            for (int i = 1; i < n; i++) System.arraycopy(d, dO, d, dO + i * block, block);
        }
    }

    private static void expandD(double[] s, int so, int[] ss, double[] d, int dO, int[] ds, int axis, int[] sst, int[] dst) {
        if (suffixEqual(ss, ds, axis)) { System.arraycopy(s, so, d, dO, axis == 0 ? d.length : ds[axis - 1] == 0 ? 0 : dst[axis - 1]); return; }
        if (suffixOnes(ss, axis)) { java.util.Arrays.fill(d, dO, dO + (axis == 0 ? d.length : dst[axis - 1]), s[so]); return; }
        int n = ds[axis], block = dst[axis];
        if (ss[axis] == n) {
            for (int i = 0; i < n; i++) expandD(s, so + i * sst[axis], ss, d, dO + i * block, ds, axis + 1, sst, dst);
        } else {
            expandD(s, so, ss, d, dO, ds, axis + 1, sst, dst);
            for (int i = 1; i < n; i++) System.arraycopy(d, dO, d, dO + i * block, block);
        }
    }

    /**
     * Sums {@code x} over the axes where {@code kept} has 1 (and {@code x} does not), into a double array of
     * {@code kept}'s size: the adjoint of {@link #expand}.
     */
    static double[] sum(Tensor x, int[] kept) {
        double[] acc = new double[Shape.size(kept)];
        if (x.numel() == 0) return acc;
        int[] xst = Shape.strides(x.shape), kst = Shape.strides(kept);
        int rows = x.rank() == 0 ? 1 : x.shape[0], tasks = Math.min(rows, Parallel.THREADS);
        if (tasks < 2 || x.numel() < Parallel.MIN_WORK) {
            sumInto(x, 0, acc, 0, kept, 0, xst, kst);
            return acc;
        }
        // Split axis 0: kept, each task owns its rows of acc; reduced, each task sums into its own partial,
        // and the partials are added in task order (so the result depends on the thread count only).
        boolean reduced = kept[0] != rows;
        double[][] partial = new double[tasks][];
        Parallel.tasks(tasks, t -> {
            double[] into = reduced ? (partial[t] = new double[acc.length]) : acc;
            for (int i = (int) ((long) rows * t / tasks), end = (int) ((long) rows * (t + 1) / tasks); i < end; i++)
                sumInto(x, i * xst[0], into, reduced ? 0 : i * kst[0], kept, 1, xst, kst);
        });
        if (reduced) for (double[] p : partial) for (int i = 0; i < acc.length; i++) acc[i] += p[i];
        return acc;
    }

    private static void sumInto(Tensor x, int xo, double[] acc, int ao, int[] kept, int axis, int[] xst, int[] kst) {
        int[] xs = x.shape;
        if (suffixEqual(kept, xs, axis)) {
            int n = axis == 0 ? x.numel() : xst[axis - 1];
            if (x.f != null) for (int i = 0; i < n; i++) acc[ao + i] += x.f[xo + i];
            else for (int i = 0; i < n; i++) acc[ao + i] += x.d[xo + i];
            return;
        }
        if (suffixOnes(kept, axis)) {
            int n = axis == 0 ? x.numel() : xst[axis - 1];
            acc[ao] += x.f != null ? total(x.f, xo, n) : total(x.d, xo, n);
            return;
        }
        boolean reduced = kept[axis] != xs[axis];
        for (int i = 0; i < xs[axis]; i++) sumInto(x, xo + i * xst[axis], acc, reduced ? ao : ao + i * kst[axis], kept, axis + 1, xst, kst);
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

    private static double total(double[] x, int from, int n) {
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

    private static boolean suffixEqual(int[] a, int[] b, int from) {
        for (int i = from; i < a.length; i++) if (a[i] != b[i]) return false;
        return true;
    }

    private static boolean suffixOnes(int[] a, int from) {
        for (int i = from; i < a.length; i++) if (a[i] != 1) return false;
        return true;
    }

    /** {@code s} with leading 1s up to {@code rank} axes. */
    static int[] padded(int[] s, int rank) {
        int[] p = new int[rank];
        java.util.Arrays.fill(p, 1);
        System.arraycopy(s, 0, p, rank - s.length, s.length);
        return p;
    }
}
