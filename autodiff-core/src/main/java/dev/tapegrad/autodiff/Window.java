package dev.tapegrad.autodiff;

/**
 * The geometry of a sliding 2-d window over {@code [N, C, H, W]} (PyTorch's {@code F.unfold}): kernel,
 * dilation, padding and stride per axis, and the output size
 * {@code out = floor((in + 2 pad - dil (k - 1) - 1) / stride) + 1}.
 */
record Window(int kh, int kw, int dh, int dw, int ph, int pw, int sh, int sw) {

    static Window of(String op, int[] kernel, int[] dilation, int[] padding, int[] stride) {
        int[] k = pair(op, "kernel", kernel, 1), d = pair(op, "dilation", dilation, 1), p = pair(op, "padding", padding, 0), s = pair(op, "stride", stride, 1);
        return new Window(k[0], k[1], d[0], d[1], p[0], p[1], s[0], s[1]);
    }

    /** A one- or two-element argument as a pair, each at least {@code min}. */
    static int[] pair(String op, String name, int[] v, int min) {
        if (v.length != 1 && v.length != 2)
            throw new IllegalArgumentException(op + ": " + name + " " + java.util.Arrays.toString(v) + " must have one or two values");
        int[] p = v.length == 1 ? new int[] {v[0], v[0]} : v.clone();
        for (int x : p)
            if (x < min) throw new IllegalArgumentException(op + ": " + name + " " + java.util.Arrays.toString(v) + " must be at least " + min);
        return p;
    }

    int outH(String op, int h) { return out(op, h, kh, dh, ph, sh, "height"); }

    int outW(String op, int w) { return out(op, w, kw, dw, pw, sw, "width"); }

    private static int out(String op, int in, int k, int d, int p, int s, String axis) {
        int span = d * (k - 1) + 1, o = (in + 2 * p - span) / s + 1;
        if (in + 2 * p < span)
            throw new IllegalArgumentException(op + ": kernel of " + axis + " " + k + " (dilation " + d + ", span " + span + ") is larger than the padded input "
                    + axis + " " + (in + 2 * p) + " (input " + in + " + 2 x padding " + p + ")");
        return o;
    }

    /**
     * For input {@code [C, H, W]} (one sample), the source offset of every entry of the columns
     * {@code [C * kh * kw, outH * outW]}, or -1 where the window covers padding.
     */
    int[] sources(int c, int h, int w, int oh, int ow) {
        int l = oh * ow, rows = c * kh * kw;
        int[] src = new int[rows * l];
        for (int ch = 0; ch < c; ch++)
            for (int i = 0; i < kh; i++)
                for (int j = 0; j < kw; j++) {
                    int row = (ch * kh + i) * kw + j;
                    for (int y = 0; y < oh; y++) {
                        int iy = y * sh - ph + i * dh;
                        for (int x = 0; x < ow; x++) {
                            int ix = x * sw - pw + j * dw;
                            src[row * l + y * ow + x] = iy < 0 || iy >= h || ix < 0 || ix >= w ? -1 : (ch * h + iy) * w + ix;
                        }
                    }
                }
        return src;
    }
}
