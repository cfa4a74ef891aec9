package dev.tapegrad.autodiff;

import static dev.tapegrad.autodiff.Tensor.record;

import dev.tapegrad.autodiff.kernel.Parallel;
import dev.tapegrad.autodiff.kernel.UnfoldKernelsF32;
import dev.tapegrad.autodiff.kernel.UnfoldKernelsF64;

/** The sliding-window primitives: unfold (im2col) and its adjoint fold (col2im), on {@code [N, C, H, W]}. */
final class Unfold {
    private Unfold() {}

    /** {@code [N, C, H, W] -> [N, C*kh*kw, L]}: every window's values as a column; padding reads {@code padValue}. */
    static Tensor unfold(Tensor x, ConvWindow win, double padValue) { return unfold(x, win, padValue, false); }

    /**
     * {@link #unfold(Tensor, ConvWindow, double)}, or with {@code sideBySide} the columns of all samples in one
     * matrix, {@code [C*kh*kw, N, L]}: row {@code r} holds sample 0's {@code L} windows, then sample 1's, so that
     * one product {@code W [O, C*kh*kw]} times it convolves the whole batch.
     */
    // adjoint: fold of g, same layout
    static Tensor unfold(Tensor x, ConvWindow win, double padValue, boolean sideBySide) {
        if (x.rank() != 4) throw new IllegalArgumentException("unfold: expected input [N, C, H, W], got " + Shape.str(x.shape));
        int n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3], oh = win.outH("unfold", h), ow = win.outW("unfold", w);
        int rows = c * win.kh() * win.kw(), l = oh * ow, per = c * h * w, cols = rows * l, s = win.sw();
        Tensor out = Tensor.alloc(x.dtype(), sideBySide ? new int[] {rows, n, l} : new int[] {n, rows, l});
        int[] runs = runs(win, c, h, w, oh, ow, n, sideBySide);
        int stride = sideBySide ? l : cols;
        if (x.f != null) UnfoldKernelsF32.unfold(x.f, out.f, n, per, cols, stride, runs, s, (float) padValue);
        else UnfoldKernelsF64.unfold(x.d, out.d, n, per, cols, stride, runs, s, padValue);
        int[] xs = x.shape;
        return record(Op.UNFOLD, out, (g, i) -> fold(g, xs[2], xs[3], win, sideBySide), x);
    }

    /** {@code [N, C*kh*kw, L] -> [N, C, H, W]}: each column added back to its window (overlaps sum, padding drops). */
    static Tensor fold(Tensor cols, int h, int w, ConvWindow win) { return fold(cols, h, w, win, false); }

    /** {@link #fold(Tensor, int, int, ConvWindow)}, or with {@code sideBySide} from columns {@code [C*kh*kw, N, L]} (see {@link #unfold}). */
    // adjoint: unfold of g, same layout
    static Tensor fold(Tensor cols, int h, int w, ConvWindow win, boolean sideBySide) {
        int rowsPerChannel = win.kh() * win.kw(), ra = sideBySide ? 0 : 1, na = 1 - ra;
        if (cols.rank() != 3 || cols.shape[ra] % rowsPerChannel != 0)
            throw new IllegalArgumentException("fold: expected columns " + (sideBySide ? "[C*" + win.kh() + "*" + win.kw() + ", N, L]" : "[N, C*" + win.kh() + "*" + win.kw() + ", L]")
                    + ", got " + Shape.str(cols.shape));
        int n = cols.shape[na], c = cols.shape[ra] / rowsPerChannel, oh = win.outH("fold", h), ow = win.outW("fold", w), l = cols.shape[2];
        if (l != oh * ow)
            throw new IllegalArgumentException("fold: columns " + Shape.str(cols.shape) + " hold " + l + " windows but an output of "
                    + h + "x" + w + " has " + oh + "x" + ow);
        int[] runs = runs(win, c, h, w, oh, ow, n, sideBySide);
        int per = c * h * w, total = cols.shape[ra] * l, s = win.sw(), stride = sideBySide ? l : total;
        Tensor out = Tensor.alloc(cols.dtype(), new int[] {n, c, h, w});
        if (cols.f != null) UnfoldKernelsF32.fold(cols.f, out.f, n, per, total, stride, runs, s);
        else UnfoldKernelsF64.fold(cols.d, out.d, n, per, total, stride, runs, s);
        return record(Op.FOLD, out, (g, i) -> unfold(g, win, 0, sideBySide), cols);
    }

    /** The window's runs for one sample; side by side, a run of row {@code r} moves {@code r (N - 1) L} further. */
    private static int[] runs(ConvWindow win, int c, int h, int w, int oh, int ow, int n, boolean sideBySide) {
        int[] runs = win.runs(c, h, w, oh, ow);
        int l = oh * ow;
        if (sideBySide) for (int r = 0; r < runs.length; r += 3) runs[r] += runs[r] / l * (n - 1) * l;
        return runs;
    }

    /**
     * For {@code x [N, C, H, W]}, the flat offset {@code iy * W + ix} of each window's first maximum (NaN counts
     * as the maximum; windows in row-major order), as an index of shape {@code [N*C, outH*outW]}; null when
     * a maximum lies in the padding (a window whose real elements are all -inf, or none). The windows are
     * unfolded (untracked) and reduced by the branch-free arg-max, which also writes the maxima into
     * {@code values} ({@code [N*C, outH*outW]}); their positions are then mapped back.
     */
    static GatherIndex windowArgmax(Tensor x, ConvWindow win, Tensor values) {
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
        return padded[0] ? null : new GatherIndex(k, new int[] {planes, l});
    }
}
