package dev.tapegrad.autodiff;

import static dev.tapegrad.autodiff.Tensor.record;

/** The sliding-window primitives: unfold (im2col) and its adjoint fold (col2im), on {@code [N, C, H, W]}. */
final class Spatial {
    private Spatial() {}

    /** {@code [N, C, H, W] -> [N, C*kh*kw, L]}: every window's values as a column; padding reads {@code padValue}. */
    static Tensor unfold(Tensor x, Window win, double padValue) {
        if (x.rank() != 4) throw new IllegalArgumentException("unfold: expected input [N, C, H, W], got " + Shape.str(x.shape));
        int n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3], oh = win.outH("unfold", h), ow = win.outW("unfold", w);
        int[] src = win.sources(c, h, w, oh, ow);
        int rows = c * win.kh() * win.kw(), l = oh * ow, per = c * h * w, cols = rows * l;
        Tensor out = Tensor.alloc(x.dtype(), new int[] {n, rows, l});
        for (int b = 0; b < n; b++) {
            int xo = b * per, oo = b * cols;
            if (x.f != null) for (int i = 0; i < cols; i++) out.f[oo + i] = src[i] < 0 ? (float) padValue : x.f[xo + src[i]];
            else for (int i = 0; i < cols; i++) out.d[oo + i] = src[i] < 0 ? padValue : x.d[xo + src[i]];
        }
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
        int[] src = win.sources(c, h, w, oh, ow);
        int per = c * h * w, total = cols.shape[1] * cols.shape[2];
        Tensor out = Tensor.alloc(cols.dtype(), new int[] {n, c, h, w});
        for (int b = 0; b < n; b++) {
            int xo = b * per, co = b * total;
            if (cols.f != null) { for (int i = 0; i < total; i++) if (src[i] >= 0) out.f[xo + src[i]] += cols.f[co + i]; }
            else for (int i = 0; i < total; i++) if (src[i] >= 0) out.d[xo + src[i]] += cols.d[co + i];
        }
        return record(Op.FOLD, out, (g, i) -> unfold(g, win, 0), cols);
    }
}
