package dev.tapegrad.autodiff.kernel;

/**
 * Row-major addressing of shapes ({@code int[]}, outermost axis first): strides, broadcast strides and the
 * offsets of a strided view. Sizes are assumed valid (the op layer checks them).
 */
public final class Layout {
    private Layout() {}

    /** Row-major strides of {@code shape}, in elements. */
    public static int[] strides(int... shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]; }
        return s;
    }

    /** {@code s} with leading 1s up to {@code rank} axes. */
    public static int[] padded(int[] s, int rank) {
        int[] p = new int[rank];
        java.util.Arrays.fill(p, 1);
        System.arraycopy(s, 0, p, rank - s.length, s.length);
        return p;
    }

    /** Strides that read a tensor of shape {@code in} as if broadcast to {@code out}: 0 on broadcast axes. */
    public static int[] broadcastStrides(int[] in, int[] out) {
        int[] s = strides(in), r = new int[out.length];
        int off = out.length - in.length;
        for (int i = 0; i < in.length; i++) r[i + off] = in[i] == 1 && out[i + off] != 1 ? 0 : s[i];
        return r;
    }

    /**
     * For each element of a row-major tensor of shape {@code shape}, the offset {@code base + sum(idx[i] *
     * strides[i])}: the addressing of a strided view, used by the movement kernels.
     */
    public static int[] offsets(int[] shape, int[] strides, int base) {
        long size = 1;
        for (int d : shape) size *= d;
        int n = (int) size;
        int[] out = new int[n];
        if (n == 0) return out;
        int rank = shape.length;
        int[] idx = new int[rank];
        int off = base;
        for (int i = 0; i < n; i++) {
            out[i] = off;
            for (int d = rank - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) { off += strides[d]; break; }
                off -= strides[d] * (shape[d] - 1);
                idx[d] = 0;
            }
        }
        return out;
    }

    /** Whether {@code a} and {@code b} agree on every axis from {@code from} on. */
    static boolean suffixEqual(int[] a, int[] b, int from) {
        for (int i = from; i < a.length; i++) if (a[i] != b[i]) return false;
        return true;
    }

    /** Whether {@code a} is 1 on every axis from {@code from} on. */
    static boolean suffixOnes(int[] a, int from) {
        for (int i = from; i < a.length; i++) if (a[i] != 1) return false;
        return true;
    }
}
