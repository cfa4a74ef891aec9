package dev.tapegrad.autodiff;

import dev.tapegrad.autodiff.kernel.Settings;

/**
 * The geometry of a sliding 2-d window over {@code [N, C, H, W]} (PyTorch's {@code F.unfold}): kernel,
 * dilation, padding and stride per axis, and the output size
 * {@code out = floor((in + 2 pad - dil (k - 1) - 1) / stride) + 1}.
 */
record ConvWindow(int kh, int kw, int dh, int dw, int ph, int pw, int sh, int sw) {

    static ConvWindow of(String op, int[] kernel, int[] dilation, int[] padding, int[] stride) {
        int[] k = pair(op, "kernel", kernel, 1), d = pair(op, "dilation", dilation, 1), p = pair(op, "padding", padding, 0), s = pair(op, "stride", stride, 1);
        return new ConvWindow(k[0], k[1], d[0], d[1], p[0], p[1], s[0], s[1]);
    }

    /** A one- or two-element argument as a pair, each at least {@code min}. */
    static int[] pair(String op, String name, int[] v, int min) {
        java.util.Objects.requireNonNull(v, () -> op + ": " + name + " is null");
        if (v.length != 1 && v.length != 2)
            throw new IllegalArgumentException(op + ": " + name + " " + java.util.Arrays.toString(v) + " must have one or two values");
        int[] p = v.length == 1 ? new int[] {v[0], v[0]} : v.clone();
        for (int x : p)
            if (x < min) throw new IllegalArgumentException(op + ": " + name + " " + java.util.Arrays.toString(v) + " must be at least " + min);
        return p;
    }

    int outH(String op, int h) { return out(op, h, kh, dh, ph, sh, "height"); }

    int outW(String op, int w) { return out(op, w, kw, dw, pw, sw, "width"); }

    /**
     * The output size along one axis, computed in long: a padded input past {@code 2^31} is refused (so every offset
     * within it is an int), as is a window larger than it.
     */
    private static int out(String op, int in, int k, int d, int p, int s, String axis) {
        long span = (long) d * (k - 1) + 1, padded = in + 2L * p;
        if (padded > Integer.MAX_VALUE)
            throw new IllegalArgumentException(op + ": padding " + p + " makes the input " + axis + " " + in + " + 2 x " + p + " = " + padded
                    + ", more than an array holds");
        if (padded < span)
            throw new IllegalArgumentException(op + ": kernel of " + axis + " " + k + " (dilation " + d + ", span " + span + ") is larger than the padded input "
                    + axis + " " + padded + " (input " + in + " + 2 x padding " + p + ")");
        return (int) ((padded - span) / s + 1);
    }

    /**
     * Refuses (naming {@code op}) one sample's columns {@code [C * kh * kw, oh * ow]} beyond {@link Settings#MAX_ELEMENTS},
     * or either factor alone (the products in double, exact below {@code 2^53}, so that none wraps).
     */
    void checkColumns(String op, int c, int oh, int ow) {
        double taps = (double) kh * kw, l = (double) oh * ow;
        if (taps > Settings.MAX_ELEMENTS || l > Settings.MAX_ELEMENTS || c * taps * l > Settings.MAX_ELEMENTS)
            throw new IllegalArgumentException(op + ": the columns of one sample, " + c + " x " + kh + " x " + kw + " rows by " + oh + " x " + ow
                    + " windows, exceed the budget of " + Settings.MAX_ELEMENTS + " elements (tapegrad.maxElements)");
    }

    /**
     * One sample's columns {@code [C * kh * kw, outH * outW]} as runs along an output row, for input
     * {@code [C, H, W]}: triples {@code (column offset, source offset, length)}; the source advances by the
     * width stride {@code sw} per element, and a source of -1 marks a run of padding. Refused, naming {@code op},
     * beyond the budget ({@link #checkColumns}).
     */
    int[] runs(String op, int c, int h, int w, int oh, int ow) {
        checkColumns(op, c, oh, ow);
        if (3.0 * Math.min(3, ow) * c * kh * kw * oh > Integer.MAX_VALUE - 8)   // at most three runs per row of a window's output row
            throw new IllegalArgumentException(op + ": the runs of one sample's columns, " + c + " x " + kh + " x " + kw + " rows by " + oh + " x " + ow
                    + " windows, are more than an array holds");
        int[] r = new int[3 * Math.min(3, ow) * c * kh * kw * oh];
        int n = 0, l = oh * ow;
        for (int ch = 0; ch < c; ch++)
            for (int i = 0; i < kh; i++)
                for (int j = 0; j < kw; j++) {
                    int row = (ch * kh + i) * kw + j, shift = j * dw - pw;
                    // x in [lo, hi) reads inside the image: 0 <= x sw + shift < w
                    int lo = (int) Math.min(ow, Math.max(0, Math.floorDiv(-shift + sw - 1L, sw))), hi = (int) Math.max(lo, Math.min(ow, Math.floorDiv(w - 1L - shift, sw) + 1));
                    for (int y = 0; y < oh; y++) {
                        int iy = y * sh - ph + i * dh, col = row * l + y * ow;
                        if (iy < 0 || iy >= h || lo == hi) {
                            n = run(r, n, col, -1, ow);
                            continue;
                        }
                        n = run(r, n, col, -1, lo);
                        n = run(r, n, col + lo, (ch * h + iy) * w + lo * sw + shift, hi - lo);
                        n = run(r, n, col + hi, -1, ow - hi);
                    }
                }
        return java.util.Arrays.copyOf(r, n);
    }

    private static int run(int[] r, int n, int col, int src, int len) {
        if (len == 0) return n;
        r[n] = col;
        r[n + 1] = src;
        r[n + 2] = len;
        return n + 3;
    }
}
