package dev.tapegrad.autodiff;

import static dev.tapegrad.autodiff.Tensor.record;

import dev.tapegrad.autodiff.kernel.ArgmaxKernelsF32;
import dev.tapegrad.autodiff.kernel.ArgmaxKernelsF64;
import dev.tapegrad.autodiff.kernel.Parallel;
import dev.tapegrad.autodiff.kernel.UnfoldKernelsF32;
import dev.tapegrad.autodiff.kernel.UnfoldKernelsF64;

/** The sliding-window primitives: unfold (im2col) and its adjoint fold (col2im), on {@code [N, C, H, W]}. */
final class Unfold {
    private Unfold() {}

    /** {@code [N, C, H, W] -> [N, C*kh*kw, L]}: every window's values as a column; padding reads {@code padValue}. */
    // adjoint: fold of g
    static Tensor unfold(Tensor x, ConvWindow win, double padValue) {
        if (x.rank() != 4) throw new IllegalArgumentException("unfold: expected input [N, C, H, W], got " + Shape.str(x.shape));
        int n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3], oh = win.outH("unfold", h), ow = win.outW("unfold", w);
        int[] runs = win.runs("unfold", c, h, w, oh, ow);
        int rows = c * win.kh() * win.kw(), l = oh * ow, per = c * h * w, cols = rows * l, s = win.sw();
        Tensor out = Tensor.alloc(x.dtype(), new int[] {n, rows, l});
        if (x.f != null) UnfoldKernelsF32.unfold(x.f, out.f, n, per, cols, runs, s, (float) padValue);
        else UnfoldKernelsF64.unfold(x.d, out.d, n, per, cols, runs, s, padValue);
        int[] xs = x.shape;
        return record(Op.UNFOLD, out, (g, i) -> fold(g, xs[2], xs[3], win), x);
    }

    /** {@code [N, C*kh*kw, L] -> [N, C, H, W]}: each column added back to its window (overlaps sum, padding drops). */
    // adjoint: unfold of g
    static Tensor fold(Tensor cols, int h, int w, ConvWindow win) {
        int rowsPerChannel = win.kh() * win.kw();
        if (cols.rank() != 3 || cols.shape[1] % rowsPerChannel != 0)
            throw new IllegalArgumentException("fold: expected columns [N, C*" + win.kh() + "*" + win.kw() + ", L], got " + Shape.str(cols.shape));
        int n = cols.shape[0], c = cols.shape[1] / rowsPerChannel, oh = win.outH("fold", h), ow = win.outW("fold", w), l = cols.shape[2];
        if (l != (long) oh * ow)
            throw new IllegalArgumentException("fold: columns " + Shape.str(cols.shape) + " hold " + l + " windows but an output of "
                    + h + "x" + w + " has " + oh + "x" + ow);
        int[] runs = win.runs("fold", c, h, w, oh, ow);
        int per = c * h * w, total = cols.shape[1] * l, s = win.sw();
        Tensor out = Tensor.alloc(cols.dtype(), new int[] {n, c, h, w});
        if (cols.f != null) UnfoldKernelsF32.fold(cols.f, out.f, n, per, total, runs, s);
        else UnfoldKernelsF64.fold(cols.d, out.d, n, per, total, runs, s);
        return record(Op.FOLD, out, (g, i) -> unfold(g, win, 0), cols);
    }

    /**
     * For {@code x [N, C, H, W]}, the flat offset {@code iy * W + ix} of each window's first maximum (NaN counts
     * as the maximum; windows in row-major order), as an index of shape {@code [N*C, outH*outW]}; null when
     * a maximum lies in the padding (a window whose real elements are all -inf, or none). The windows are
     * unfolded (untracked, a few planes at a time) and reduced by the branch-free arg-max, which also writes the maxima
     * into {@code values} ({@code [N*C, outH*outW]}); their positions are then mapped back. Windows of 2 x 2 at stride 2
     * without padding (the pooling of LeNet-5, VGG and the examples' CNNs) are read straight from the image.
     */
    static GatherIndex windowArgmax(Tensor x, ConvWindow win, Tensor values) {
        int planes = x.shape[0] * x.shape[1], h = x.shape[2], w = x.shape[3], oh = win.outH("maxPool2d", h), ow = win.outW("maxPool2d", w);
        int l = oh * ow, kw = win.kw();
        if (win.kh() == 2 && kw == 2 && win.sh() == 2 && win.sw() == 2 && win.ph() == 0 && win.pw() == 0 && win.dh() == 1 && win.dw() == 1) {
            int[] offsets = new int[planes * l];
            if (x.f != null) ArgmaxKernelsF32.windowPairs(x.f, planes, h, w, values.f, offsets);
            else ArgmaxKernelsF64.windowPairs(x.d, planes, h, w, values.d, offsets);
            return new GatherIndex(offsets, new int[] {planes, l});
        }
        int[] runs = win.runs("maxPool2d", 1, h, w, oh, ow);   // one plane's columns within the budget, the most the buffer of a chunk holds
        int[] k = new int[planes * l];
        int taps = win.kh() * kw, per = h * w;
        if (x.f != null) ArgmaxKernelsF32.windowArgmax(x.f, per, planes, taps, l, runs, win.sw(), values.f, k);
        else ArgmaxKernelsF64.windowArgmax(x.d, per, planes, taps, l, runs, win.sw(), values.d, k);
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
