package dev.tapegrad.autodiff;

/**
 * Pooling over {@code [N, C, H, W]} with PyTorch's semantics ({@code F.max_pool2d}, {@code F.avg_pool2d},
 * {@code F.adaptive_avg_pool2d}); the stride defaults to the kernel. Max pooling pads with -inf and sends
 * the gradient to the first maximum of each window (deterministic at ties).
 */
public final class Pool {
    private Pool() {}

    public static Tensor maxPool2d(Tensor x, int kernel) { return maxPool2d(x, new int[] {kernel}, new int[] {kernel}, new int[] {0}, new int[] {1}); }

    public static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation) {
        ConvWindow win = window("maxPool2d", x, kernel, stride, padding, dilation);
        // The position of each window's maximum, found without building the windows, then a gather of those
        // positions: the backward is a scatter straight into the image. (A window that lies wholly in the
        // padding has no position: then the windows are unfolded with -inf padding and reduced with max.)
        int planes = x.shape[0] * x.shape[1];
        Tensor maxima = Tensor.alloc(x.dtype(), new int[] {planes, win.outH("maxPool2d", x.shape[2]) * win.outW("maxPool2d", x.shape[3])});
        GatherIndex argmax = Unfold.windowArgmax(x, win, maxima);
        if (argmax == null) return pooled(x, Unfold.unfold(flat(x), win, Double.NEGATIVE_INFINITY).max(1, false), win);
        return pooled(x, Movement.gathered(x.reshape(planes, x.shape[2] * x.shape[3]), 1, argmax, maxima), win);
    }

    public static Tensor avgPool2d(Tensor x, int kernel) { return avgPool2d(x, new int[] {kernel}, new int[] {kernel}, new int[] {0}, true); }

    /** Average over each window; with {@code countIncludePad} the divisor is the window size, else the number of real elements. */
    public static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean countIncludePad) {
        ConvWindow win = window("avgPool2d", x, kernel, stride, padding, new int[] {1});
        Tensor sums = Unfold.unfold(flat(x), win, 0).sum(1, false);
        Tensor count = countIncludePad ? Tensor.scalar(x.dtype(), win.kh() * win.kw())
                : Unfold.unfold(Tensor.ones(x.dtype(), 1, 1, x.shape[2], x.shape[3]), win, 0).sum(1, false);
        return pooled(x, sums.div(count), win);
    }

    /**
     * Averages over {@code outputSize} windows {@code [floor(i H / oh), ceil((i + 1) H / oh))}, as a product with averaging matrices;
     * an input of no rows or columns is refused, as in PyTorch (its windows would average nothing).
     */
    public static Tensor adaptiveAvgPool2d(Tensor x, int... outputSize) {
        java.util.Objects.requireNonNull(x, "adaptiveAvgPool2d: input is null");
        if (x.rank() != 4) throw new IllegalArgumentException("adaptiveAvgPool2d: expected input [N, C, H, W], got " + Shape.str(x.shape));
        if (x.shape[2] == 0 || x.shape[3] == 0)
            throw new IllegalArgumentException("adaptiveAvgPool2d: input " + Shape.str(x.shape) + " has no " + (x.shape[2] == 0 ? "rows" : "columns") + " to average");
        int[] o = ConvWindow.pair("adaptiveAvgPool2d", "output size", outputSize, 1);
        Shape.checked("adaptiveAvgPool2d", x.shape[0], x.shape[1], o[0], o[1]);
        Shape.checked("adaptiveAvgPool2d", o[0], x.shape[2]);
        Shape.checked("adaptiveAvgPool2d", o[1], x.shape[3]);
        Tensor mh = averaging(o[0], x.shape[2], x.dtype()), mw = averaging(o[1], x.shape[3], x.dtype());
        return mh.matmul(x).matmul(mw.transpose(0, 1));
    }

    private static Tensor averaging(int out, int in, DType dtype) {
        double[] m = new double[out * in];
        for (int i = 0; i < out; i++) {
            int from = (int) Math.floor((double) i * in / out), to = (int) Math.ceil((double) (i + 1) * in / out);
            for (int j = from; j < to; j++) m[i * in + j] = 1.0 / (to - from);
        }
        return Tensor.of(m, out, in).to(dtype);
    }

    private static ConvWindow window(String op, Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation) {
        java.util.Objects.requireNonNull(x, () -> op + ": input is null");
        java.util.Objects.requireNonNull(stride, () -> op + ": stride is null");
        if (x.rank() != 4) throw new IllegalArgumentException(op + ": expected input [N, C, H, W], got " + Shape.str(x.shape));
        ConvWindow win = ConvWindow.of(op, kernel, dilation, padding, stride.length == 0 ? kernel : stride);
        if (2L * win.ph() > win.kh() || 2L * win.pw() > win.kw())
            throw new IllegalArgumentException(op + ": padding " + java.util.Arrays.toString(padding) + " must be at most half the kernel "
                    + java.util.Arrays.toString(kernel));
        win.outH(op, x.shape[2]);
        win.outW(op, x.shape[3]);
        return win;
    }

    /** {@code [N, C, H, W] -> [N*C, 1, H, W]}: pool every channel as its own image. */
    private static Tensor flat(Tensor x) { return x.reshape(x.shape[0] * x.shape[1], 1, x.shape[2], x.shape[3]); }

    private static Tensor pooled(Tensor x, Tensor perWindow, ConvWindow win) {
        return perWindow.reshape(x.shape[0], x.shape[1], win.outH("pool", x.shape[2]), win.outW("pool", x.shape[3]));
    }
}
