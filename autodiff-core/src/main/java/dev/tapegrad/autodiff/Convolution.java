package dev.tapegrad.autodiff;

import static dev.tapegrad.autodiff.Tensor.record;

import dev.tapegrad.autodiff.kernel.ConvKernelsF32;
import dev.tapegrad.autodiff.kernel.ConvKernelsF64;
import dev.tapegrad.autodiff.kernel.ConvLayout;
import dev.tapegrad.autodiff.kernel.Settings;

/**
 * The convolution primitives {@link Op#CONV2D} and {@link Op#CONV_TRANSPOSE2D} ({@link Conv} checks the arguments and
 * calls them). Both are the same three products in the kernels' {@link ConvLayout}, on an image {@code x [N, C, H, W]}
 * or {@code y}, maps {@code [N, O, L]} and the weight as {@code W [O, C/groups * kh * kw]} per group:
 * <pre>
 *   conv2d:          y  = W unfold(x) + b     dx = fold(W^T g)      dW = sum_n g unfold(x)^T    db = sum g
 *   convTranspose2d: y  = fold(W^T x) + b     dx = W unfold(g)      dW = sum_n x unfold(g)^T    db = sum g
 * </pre>
 * (for the transposed convolution {@code W} is its weight {@code [C, O/groups, kh, kw]} read as {@code [C, O/groups * kh * kw]}).
 * The kernels unfold a few samples at a time into a buffer of their thread's instead of the columns of the whole batch,
 * and a stride-1 convolution one copy per row of the columns (the flattened image's "wide" layout, {@link ConvLayout}).
 * While a tape records the backward sweep (higher-order gradients), the input gradient is the other primitive (each is the
 * other's adjoint) and the weight gradient the composite {@link #weightComposite}, so it can be differentiated again.
 * {@link #composite} and {@link #transposedComposite}, the same functions from {@link Op#UNFOLD}, {@link Op#FOLD} and
 * {@link Op#MATMUL}, are the reference the primitives are tested against.
 */
final class Convolution {
    private Convolution() {}

    /** {@code conv2d(x, w) + bias}: {@code x [N, C, H, W]}, {@code w [O, C/groups, kh, kw]}, {@code bias [O]} or null; checked by {@link Conv}. */
    // d(W unfold(x) + b) = (fold(W^T g), sum_n g unfold(x)^T, sum g)
    static Tensor conv2d(Tensor x, Tensor w, Tensor bias, ConvWindow win, int groups) {
        int n = x.shape[0], c = x.shape[1], h = x.shape[2], wd = x.shape[3], o = w.shape[0];
        int oh = win.outH("conv2d", h), ow = win.outW("conv2d", wd);
        ConvLayout layout = layout("conv2d", win, n, c, h, wd, o, oh, ow, groups);
        Tensor y = Tensor.alloc(x.dtype(), new int[] {n, o, oh, ow});
        if (x.f != null) ConvKernelsF32.forward(x.f, w.f, bias == null ? null : bias.f, y.f, layout);
        else ConvKernelsF64.forward(x.d, w.d, bias == null ? null : bias.d, y.d, layout);
        Tensor[] inputs = bias == null ? new Tensor[] {x, w} : new Tensor[] {x, w, bias};
        return record(Op.CONV2D, y, new AllInputs(inputs) {
            @Override
            Tensor[] fused(Tensor g) {
                return new Tensor[] {wants(0) ? adjoint(g, w, null, layout, x.shape) : null,
                        wants(1) ? weight(x, g, layout, w.shape) : null, wants(2) ? biasGradient(g) : null};
            }

            @Override
            Tensor[] recorded(Tensor g) {
                return new Tensor[] {wants(0) ? convTranspose2d(g, w, null, win, groups, h, wd) : null,
                        wants(1) ? weightComposite(x, g, win, groups, w.shape) : null, wants(2) ? biasGradient(g) : null};
            }
        }, inputs);
    }

    /**
     * {@code convTranspose2d(x, w) + bias} to an output of {@code outH x outW}: {@code x [N, C, H, W]},
     * {@code w [C, O/groups, kh, kw]}, {@code bias [O]} or null; checked by {@link Conv}.
     */
    // d(fold(W^T x) + b) = (W unfold(g), sum_n x unfold(g)^T, sum g)
    static Tensor convTranspose2d(Tensor x, Tensor w, Tensor bias, ConvWindow win, int groups, int outH, int outW) {
        int n = x.shape[0], c = x.shape[1], h = x.shape[2], wd = x.shape[3], o = w.shape[1] * groups;
        ConvLayout layout = layout("convTranspose2d", win, n, o, outH, outW, c, h, wd, groups);
        int[] shape = {n, o, outH, outW};
        Tensor y = adjoint(x, w, bias, layout, shape);
        Tensor[] inputs = bias == null ? new Tensor[] {x, w} : new Tensor[] {x, w, bias};
        return record(Op.CONV_TRANSPOSE2D, y, new AllInputs(inputs) {
            @Override
            Tensor[] fused(Tensor g) {
                Tensor dx = null;
                if (wants(0)) {
                    dx = Tensor.alloc(x.dtype(), x.shape);
                    if (x.f != null) ConvKernelsF32.forward(g.f, w.f, null, dx.f, layout);
                    else ConvKernelsF64.forward(g.d, w.d, null, dx.d, layout);
                }
                return new Tensor[] {dx, wants(1) ? weight(g, x, layout, w.shape) : null, wants(2) ? biasGradient(g) : null};
            }

            @Override
            Tensor[] recorded(Tensor g) {
                return new Tensor[] {wants(0) ? conv2d(g, w, null, win, groups) : null,
                        wants(1) ? weightComposite(g, x, win, groups, w.shape) : null, wants(2) ? biasGradient(g) : null};
            }
        }, inputs);
    }

    /**
     * The kernels' layout of a convolution between an image {@code [n, c, h, w]} and maps {@code [n, o, oh, ow]}: wide
     * (each row of the columns one copy of the flattened, padded image) for stride 1, narrow otherwise (see {@link ConvLayout}).
     */
    private static ConvLayout layout(String op, ConvWindow win, int n, int c, int h, int w, int o, int oh, int ow, int groups) {
        win.checkColumns(op, c, oh, ow);
        // wide only when its padded image is within the budget, so that every offset into it is an int
        if (ConvLayout.wide(win.sh(), win.sw(), win.kh(), win.kw(), win.dw(), w, win.pw(), c, o)
                && (double) c * (h + 2L * win.ph()) * (w + 2L * win.pw()) <= Settings.MAX_ELEMENTS)
            return ConvLayout.wide(op, n, c, h, w, o, oh, ow, groups, win.kh(), win.kw(), win.dh(), win.dw(), win.ph(), win.pw());
        return ConvLayout.narrow(op, n, c, h, w, o, oh, ow, groups, win.kh() * win.kw(), win.runs(op, c, h, w, oh, ow), win.sw());
    }

    /** {@code fold(W^T maps) + bias} as a new image of {@code shape}. */
    private static Tensor adjoint(Tensor maps, Tensor w, Tensor bias, ConvLayout layout, int[] shape) {
        Tensor image = Tensor.alloc(maps.dtype(), shape);
        if (maps.f != null) ConvKernelsF32.adjoint(maps.f, w.f, bias == null ? null : bias.f, image.f, layout);
        else ConvKernelsF64.adjoint(maps.d, w.d, bias == null ? null : bias.d, image.d, layout);
        return image;
    }

    /** {@code sum_n maps unfold(image)^T} as a weight of {@code shape}. */
    private static Tensor weight(Tensor image, Tensor maps, ConvLayout layout, int[] shape) {
        Tensor dw = Tensor.alloc(image.dtype(), shape);
        if (image.f != null) ConvKernelsF32.weight(image.f, maps.f, dw.f, layout);
        else ConvKernelsF64.weight(image.d, maps.d, dw.d, layout);
        return dw;
    }

    private static Tensor biasGradient(Tensor g) { return g.sum(new int[] {0, 2, 3}, false); }

    /**
     * The weight gradient {@code sum_n maps unfold(image)^T} from recorded operations, reshaped to {@code shape}:
     * {@code image [N, Ci, H, W]}, {@code maps [N, Om, oh, ow]}.
     */
    static Tensor weightComposite(Tensor image, Tensor maps, ConvWindow win, int groups, int[] shape) {
        int n = maps.shape[0], om = maps.shape[1], l = maps.shape[2] * maps.shape[3], k = image.shape[1] / groups * win.kh() * win.kw();
        Tensor cols = Unfold.unfold(image, win, 0).reshape(n, groups, k, l);
        return maps.reshape(n, groups, om / groups, l).matmul(cols.transpose(2, 3)).sum(0, false).reshape(shape);
    }

    /** {@link #conv2d} from {@link Op#UNFOLD} and {@link Op#MATMUL}, one product per sample and group. */
    static Tensor composite(Tensor x, Tensor w, Tensor bias, ConvWindow win, int groups) {
        int n = x.shape[0], o = w.shape[0], oh = win.outH("conv2d", x.shape[2]), ow = win.outW("conv2d", x.shape[3]);
        int k = x.shape[1] / groups * win.kh() * win.kw();
        Tensor out = w.reshape(groups, o / groups, k).matmul(Unfold.unfold(x, win, 0).reshape(n, groups, k, oh * ow)).reshape(n, o, oh, ow);
        return bias == null ? out : out.add(bias.reshape(1, o, 1, 1));
    }

    /** {@link #convTranspose2d} from {@link Op#MATMUL} and {@link Op#FOLD}. */
    static Tensor transposedComposite(Tensor x, Tensor w, Tensor bias, ConvWindow win, int groups, int outH, int outW) {
        int n = x.shape[0], c = x.shape[1], o = w.shape[1] * groups, k = o / groups * win.kh() * win.kw();
        Tensor wt = w.reshape(groups, c / groups, k).transpose(1, 2);
        Tensor out = Unfold.fold(wt.matmul(x.reshape(n, groups, c / groups, x.shape[2] * x.shape[3])).reshape(n, o * win.kh() * win.kw(), -1), outH, outW, win);
        return bias == null ? out : out.add(bias.reshape(1, o, 1, 1));
    }
}
