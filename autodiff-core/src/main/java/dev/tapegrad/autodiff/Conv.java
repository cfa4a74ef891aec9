package dev.tapegrad.autodiff;

/**
 * Convolutions with PyTorch's semantics and argument names ({@code torch.nn.functional}), NCHW layout: the
 * primitives {@link Op#CONV2D} and {@link Op#CONV_TRANSPOSE2D} (see {@code Convolution}), and {@link #unfold} and
 * {@link #fold}, the primitives {@link Op#UNFOLD} and {@link Op#FOLD}. Pairs ({@code stride},
 * {@code padding}, {@code dilation}, kernel) may be given as one value for both axes or two (height, width).
 *
 * <ul>
 *   <li>{@code conv2d}: input {@code [N, C, H, W]}, weight {@code [O, C/groups, kh, kw]}, bias {@code [O]} or
 *       null; output {@code [N, O, H', W']}, {@code H' = floor((H + 2 p - d (kh - 1) - 1) / s) + 1}.</li>
 *   <li>{@code convTranspose2d}: input {@code [N, C, H, W]}, weight {@code [C, O/groups, kh, kw]}; output
 *       {@code H' = (H - 1) s - 2 p + d (kh - 1) + outputPadding + 1}. It is the adjoint of {@code conv2d}. As in PyTorch
 *       the output padding must be smaller than the stride or the dilation; where it reaches the stride (below a larger
 *       dilation) the output is the unpadded one cropped by the padding and extended with zeros (plus the bias) past its end.</li>
 *   <li>{@code conv1d}: input {@code [N, C, L]}, weight {@code [O, C/groups, k]}.</li>
 * </ul>
 */
public final class Conv {
    private Conv() {}

    /** Sliding windows as columns, {@code [N, C, H, W] -> [N, C*kh*kw, L]} ({@code F.unfold}). */
    public static Tensor unfold(Tensor x, int[] kernel, int[] dilation, int[] padding, int[] stride) {
        java.util.Objects.requireNonNull(x, "unfold: input is null");
        return Unfold.unfold(x, ConvWindow.of("unfold", kernel, dilation, padding, stride), 0);
    }

    /** Columns summed back into an image of {@code outputSize = {H, W}} ({@code F.fold}); the adjoint of {@link #unfold}. */
    public static Tensor fold(Tensor cols, int[] outputSize, int[] kernel, int[] dilation, int[] padding, int[] stride) {
        java.util.Objects.requireNonNull(cols, "fold: columns is null");
        int[] size = ConvWindow.pair("fold", "output size", outputSize, 1);
        return Unfold.fold(cols, size[0], size[1], ConvWindow.of("fold", kernel, dilation, padding, stride));
    }

    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        return conv2d(x, weight, bias, new int[] {stride}, new int[] {padding}, new int[] {1}, 1);
    }

    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        String op = "conv2d";
        java.util.Objects.requireNonNull(x, op + ": input is null");
        java.util.Objects.requireNonNull(weight, op + ": weight is null");
        if (x.rank() != 4) throw new IllegalArgumentException(op + ": expected input [N, C, H, W], got " + Shape.str(x.shape));
        if (weight.rank() != 4) throw new IllegalArgumentException(op + ": expected weight [O, C/groups, kh, kw], got " + Shape.str(weight.shape));
        DType.requireSame(op, x, weight);
        int c = x.shape[1], o = weight.shape[0];
        checkGroups(op, groups, c, o);
        if (weight.shape[1] != c / groups)
            throw new IllegalArgumentException(op + ": weight " + Shape.str(weight.shape) + " expects " + weight.shape[1] * groups + " input channels ("
                    + groups + " groups), input " + Shape.str(x.shape) + " has " + c);
        checkBias(op, x, bias, o);
        ConvWindow win = ConvWindow.of(op, new int[] {weight.shape[2], weight.shape[3]}, dilation, padding, stride);
        win.outH(op, x.shape[2]);
        win.outW(op, x.shape[3]);
        return Convolution.conv2d(x, weight, bias, win, groups);
    }

    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        return convTranspose2d(x, weight, bias, new int[] {stride}, new int[] {padding}, new int[] {0}, new int[] {1}, 1);
    }

    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] outputPadding,
                                         int[] dilation, int groups) {
        String op = "convTranspose2d";
        java.util.Objects.requireNonNull(x, op + ": input is null");
        java.util.Objects.requireNonNull(weight, op + ": weight is null");
        if (x.rank() != 4) throw new IllegalArgumentException(op + ": expected input [N, C, H, W], got " + Shape.str(x.shape));
        if (weight.rank() != 4) throw new IllegalArgumentException(op + ": expected weight [C, O/groups, kh, kw], got " + Shape.str(weight.shape));
        DType.requireSame(op, x, weight);
        int c = x.shape[1], h = x.shape[2], w = x.shape[3];
        if (weight.shape[0] != c)
            throw new IllegalArgumentException(op + ": weight " + Shape.str(weight.shape) + " expects " + weight.shape[0] + " input channels, input "
                    + Shape.str(x.shape) + " has " + c);
        int o = weight.shape[1] * groups;
        checkGroups(op, groups, c, o);
        checkBias(op, x, bias, o);
        ConvWindow win = ConvWindow.of(op, new int[] {weight.shape[2], weight.shape[3]}, dilation, padding, stride);
        int[] op2 = ConvWindow.pair(op, "output padding", outputPadding, 0);
        if (op2[0] >= Math.max(win.sh(), win.dh()) || op2[1] >= Math.max(win.sw(), win.dw()))
            throw new IllegalArgumentException(op + ": output padding " + java.util.Arrays.toString(outputPadding) + " must be smaller than stride or dilation");
        long oh = (h - 1L) * win.sh() - 2L * win.ph() + (long) win.dh() * (win.kh() - 1) + op2[0] + 1;
        long ow = (w - 1L) * win.sw() - 2L * win.pw() + (long) win.dw() * (win.kw() - 1) + op2[1] + 1;
        if (oh <= 0 || ow <= 0) throw new IllegalArgumentException(op + ": output size " + oh + "x" + ow + " for input " + Shape.str(x.shape) + " is not positive");
        if (oh + 2L * win.ph() > Integer.MAX_VALUE || ow + 2L * win.pw() > Integer.MAX_VALUE)
            throw new IllegalArgumentException(op + ": output size " + oh + "x" + ow + " for input " + Shape.str(x.shape) + ", with the padding "
                    + java.util.Arrays.toString(padding) + " on each side, is more than an array holds");
        if (win.outH(op, (int) oh) == h && win.outW(op, (int) ow) == w) return Convolution.convTranspose2d(x, weight, bias, win, groups, (int) oh, (int) ow);
        // An output padding of a stride or more (below the dilation) adds rows or columns past the windows of x's positions: the
        // output without padding (those windows exactly), cropped by the padding, zeros added past its end, then the bias.
        ConvWindow full = new ConvWindow(win.kh(), win.kw(), win.dh(), win.dw(), 0, 0, win.sh(), win.sw());
        int fh = (int) oh + 2 * win.ph() - op2[0], fw = (int) ow + 2 * win.pw() - op2[1], bottom = (int) Math.min(fh, win.ph() + oh), right = (int) Math.min(fw, win.pw() + ow);
        Tensor y = Convolution.convTranspose2d(x, weight, null, full, groups, fh, fw).slice(2, win.ph(), bottom).slice(3, win.pw(), right)
                .pad(0, (int) (win.pw() + ow - right), 0, (int) (win.ph() + oh - bottom));
        return bias == null ? y : y.add(bias.reshape(1, o, 1, 1));
    }

    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        java.util.Objects.requireNonNull(x, "conv1d: input is null");
        java.util.Objects.requireNonNull(weight, "conv1d: weight is null");
        if (x.rank() != 3) throw new IllegalArgumentException("conv1d: expected input [N, C, L], got " + Shape.str(x.shape));
        if (weight.rank() != 3) throw new IllegalArgumentException("conv1d: expected weight [O, C/groups, k], got " + Shape.str(weight.shape));
        try {
            return conv2d(x.unsqueeze(2), weight.unsqueeze(2), bias, new int[] {1, stride}, new int[] {0, padding}, new int[] {1, dilation}, groups).squeeze(2);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("conv1d of " + Shape.str(x.shape) + " with weight " + Shape.str(weight.shape) + ", computed as " + e.getMessage(), e);
        }
    }

    /** Throws unless {@code groups} is positive and divides both channel counts, naming {@code op}. */
    public static void checkGroups(String op, int groups, int in, int out) {
        if (groups <= 0 || in % groups != 0 || out % groups != 0)
            throw new IllegalArgumentException(op + ": groups " + groups + " must be positive and divide in_channels " + in + " and out_channels " + out);
    }

    /**
     * A size argument given as one value for both axes or two (height, width), as a pair, each at least
     * {@code min}; otherwise an exception naming {@code op} and the argument {@code name}.
     */
    public static int[] pair(String op, String name, int[] values, int min) { return ConvWindow.pair(op, name, values, min); }

    private static void checkBias(String op, Tensor x, Tensor bias, int o) {
        if (bias == null) return;
        DType.requireSame(op, x, bias);
        if (bias.rank() != 1 || bias.shape[0] != o)
            throw new IllegalArgumentException(op + ": bias " + Shape.str(bias.shape) + " must be [" + o + "]");
    }
}
