package dev.tapegrad.autodiff;

import static dev.tapegrad.autodiff.Tensor.record;

/** The sliding-window primitives: unfold (im2col) and its adjoint fold (col2im), on {@code [N, C, H, W]}. */
final class Spatial {
    private Spatial() {}

    /** {@code [N, C, H, W] -> [N, C*kh*kw, L]}: every window's values as a column; padding reads {@code padValue}. */
    static Tensor unfold(Tensor x, Window win, double padValue) {
        if (x.rank() != 4) throw new IllegalArgumentException("unfold: expected input [N, C, H, W], got " + Shape.str(x.shape));
        int n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3], oh = win.outH("unfold", h), ow = win.outW("unfold", w);
        int[] runs = win.runs(c, h, w, oh, ow);
        int rows = c * win.kh() * win.kw(), l = oh * ow, per = c * h * w, cols = rows * l, s = win.sw();
        Tensor out = Tensor.alloc(x.dtype(), new int[] {n, rows, l});
        Parallel.range(n, 1, (long) n * cols, (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                if (x.f != null) unfoldF(x.f, b * per, out.f, b * cols, runs, s, (float) padValue);
                else unfoldD(x.d, b * per, out.d, b * cols, runs, s, padValue);
            }
        });
        int[] xs = x.shape;
        return record(Op.UNFOLD, out, (g, i) -> fold(g, xs[2], xs[3], win), x);
    }

    /** {@code [N, C*kh*kw, L] -> [N, C, H, W]}: each column added back to its window (overlaps sum, padding drops). */
    static Tensor fold(Tensor cols, int h, int w, Window win) {
        int rowsPerChannel = win.kh() * win.kw();
        if (cols.rank() != 3 || cols.shape[1] % rowsPerChannel != 0)
            throw new IllegalArgumentException("fold: expected columns [N, C*" + win.kh() + "*" + win.kw() + ", L], got " + Shape.str(cols.shape));
        int n = cols.shape[0], c = cols.shape[1] / rowsPerChannel, oh = win.outH("fold", h), ow = win.outW("fold", w);
        if (cols.shape[2] != oh * ow)
            throw new IllegalArgumentException("fold: columns " + Shape.str(cols.shape) + " hold " + cols.shape[2] + " windows but an output of "
                    + h + "x" + w + " has " + oh + "x" + ow);
        int[] runs = win.runs(c, h, w, oh, ow);
        int per = c * h * w, total = cols.shape[1] * cols.shape[2], s = win.sw();
        Tensor out = Tensor.alloc(cols.dtype(), new int[] {n, c, h, w});
        Parallel.range(n, 1, (long) n * total, (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                if (cols.f != null) foldF(cols.f, b * total, out.f, b * per, runs, s);
                else foldD(cols.d, b * total, out.d, b * per, runs, s);
            }
        });
        return record(Op.FOLD, out, (g, i) -> unfold(g, win, 0), cols);
    }

    /**
     * For {@code x [N, C, H, W]}, the flat offset {@code iy * W + ix} of each window's first maximum (NaN counts
     * as the maximum; windows in row-major order), as an index of shape {@code [N*C, outH*outW]}; null when
     * a maximum lies in the padding (a window whose real elements are all -inf, or none). The windows are
     * unfolded (untracked) and reduced by the branch-free arg-max, which also writes the maxima into
     * {@code values} ({@code [N*C, outH*outW]}); their positions are then mapped back.
     */
    static Index windowArgmax(Tensor x, Window win, Tensor values) {
        int planes = x.shape[0] * x.shape[1], h = x.shape[2], w = x.shape[3], oh = win.outH("maxPool2d", h), ow = win.outW("maxPool2d", w);
        Tensor cols = unfold(Tensor.wrap(new int[] {planes, 1, h, w}, x.f, x.d), win, Double.NEGATIVE_INFINITY);
        int[] k = Reductions.argmaxIndex(cols, 1, "maxPool2d", values).values();
        int l = oh * ow, kw = win.kw();
        int[] dy = new int[win.kh() * kw], dx = new int[dy.length];
        for (int i = 0; i < dy.length; i++) {
            dy[i] = i / kw * win.dh();
            dx[i] = i % kw * win.dw();
        }
        boolean[] padded = new boolean[1];
        Parallel.range(planes, 1, (long) planes * l, (p0, p1) -> {
            for (int p = p0; p < p1; p++)
                for (int oy = 0, at = p * l; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++, at++) {
                        int iy = oy * win.sh() - win.ph() + dy[k[at]], ix = ox * win.sw() - win.pw() + dx[k[at]];
                        if (iy < 0 || iy >= h || ix < 0 || ix >= w) padded[0] = true;
                        k[at] = iy * w + ix;
                    }
        });
        return padded[0] ? null : new Index(k, new int[] {planes, l});
    }

    // One sample; the FLOAT64 loops are the FLOAT32 ones with the element type replaced.

    private static void unfoldF(float[] x, int xo, float[] out, int oo, int[] runs, int s, float pad) {
        for (int r = 0; r < runs.length; r += 3) {
            int col = oo + runs[r], src = runs[r + 1], len = runs[r + 2];
            if (src < 0) java.util.Arrays.fill(out, col, col + len, pad);
            else if (s == 1) System.arraycopy(x, xo + src, out, col, len);
            else for (int i = 0, p = xo + src; i < len; i++, p += s) out[col + i] = x[p];
        }
    }

    private static void unfoldD(double[] x, int xo, double[] out, int oo, int[] runs, int s, double pad) {
        for (int r = 0; r < runs.length; r += 3) {
            int col = oo + runs[r], src = runs[r + 1], len = runs[r + 2];
            if (src < 0) java.util.Arrays.fill(out, col, col + len, pad);
            else if (s == 1) System.arraycopy(x, xo + src, out, col, len);
            else for (int i = 0, p = xo + src; i < len; i++, p += s) out[col + i] = x[p];
        }
    }

    private static void foldF(float[] cols, int co, float[] out, int xo, int[] runs, int s) {
        for (int r = 0; r < runs.length; r += 3) {
            int col = co + runs[r], src = runs[r + 1], len = runs[r + 2];
            if (src >= 0) for (int i = 0, p = xo + src; i < len; i++, p += s) out[p] += cols[col + i];
        }
    }

    private static void foldD(double[] cols, int co, double[] out, int xo, int[] runs, int s) {
        for (int r = 0; r < runs.length; r += 3) {
            int col = co + runs[r], src = runs[r + 1], len = runs[r + 2];
            if (src >= 0) for (int i = 0, p = xo + src; i < len; i++, p += s) out[p] += cols[col + i];
        }
    }
}
