package dev.tapegrad.autodiff;

import dev.tapegrad.autodiff.kernel.LayerNormKernelsF32;
import dev.tapegrad.autodiff.kernel.LayerNormKernelsF64;
import dev.tapegrad.autodiff.kernel.NormKernelsF32;
import dev.tapegrad.autodiff.kernel.NormKernelsF64;
import java.util.Arrays;
import java.util.Objects;

/**
 * Functional batch normalisation, channel axis 1 ({@code F.batch_norm}'s computation, without its in-place
 * running statistics, which the {@code nn} layers keep): {@link #batchStatistics} gives the per-channel
 * mean and biased variance over every other axis (N, H, W for {@code [N, C, H, W]}), and {@link #normalize}
 * computes {@code (x - mean) / sqrt(var + eps) * weight + bias}; both are composites, so gradients flow to
 * {@code x}, the statistics, {@code weight} and {@code bias}. {@link #batchNorm} (training mode, the batch's own
 * statistics) is the primitive {@link Op#BATCH_NORM}: one pass for the mean, one for the variance, one for the
 * output, and a backward of two passes; while a tape records the backward sweep (higher-order gradients) its
 * gradient is built from recorded operations instead, so it can be differentiated again, as relu's and sigmoid's
 * are. {@link #layerNorm} normalises over the last axes instead ({@code F.layer_norm}): the primitive
 * {@link Op#LAYER_NORM} over those axes flattened into one, then the affine transform as recorded operations.
 */
public final class Normalization {
    private Normalization() {}

    /** {@code {mean, var}} of {@code x} per channel, each of shape {@code [1, C, 1, ...]} (the biased variance). */
    public static Tensor[] batchStatistics(Tensor x) {
        requireBatch("batchNorm", x);
        int[] axes = statisticsAxes(x);
        Tensor mean = x.mean(axes, true);
        return new Tensor[] {mean, Tensor.centeredVar(x.sub(mean), axes, true, false)};
    }

    /**
     * {@code (x - mean) * (weight / sqrt(var + eps)) + bias} with per-channel {@code mean}, {@code var},
     * {@code weight} and {@code bias} (each {@code [C]} or already shaped {@code [1, C, 1, ...]}); a null
     * {@code weight} or {@code bias} means 1 or 0 ({@code F.batch_norm} without an affine transform). {@code eps}
     * must not be negative or NaN.
     */
    public static Tensor normalize(Tensor x, Tensor mean, Tensor var, Tensor weight, Tensor bias, double eps) {
        requireBatch("batchNorm", x);
        if (!(eps >= 0)) throw new IllegalArgumentException("batchNorm: eps " + eps + " must be non-negative");
        Objects.requireNonNull(mean, "batchNorm: mean is null");
        Objects.requireNonNull(var, "batchNorm: var is null");
        int[] channel = channelShape(x);
        for (Tensor t : new Tensor[] {mean, var, weight, bias})
            if (t != null && t.numel() != x.shape[1])
                throw new IllegalArgumentException("batchNorm: statistic or parameter " + Shape.str(t.shape) + " does not have the " + x.shape[1] + " channels of "
                        + Shape.str(x.shape));
        Tensor invStd = var.reshape(channel).add(eps).sqrt();
        Tensor scale = weight == null ? invStd.pow(-1) : weight.reshape(channel).div(invStd);
        Tensor y = x.sub(mean.reshape(channel)).mul(scale);
        return bias == null ? y : y.add(bias.reshape(channel));
    }

    /**
     * Normalisation with the batch's own statistics (training mode): {@code (x - mean) / sqrt(var + eps) * weight + bias},
     * equal to {@code normalize(x, batchStatistics(x)..., weight, bias, eps)} to within rounding but computed by the
     * primitive {@link Op#BATCH_NORM} (see {@link #batchNormWithStatistics}).
     */
    public static Tensor batchNorm(Tensor x, Tensor weight, Tensor bias, double eps) { return batchNormWithStatistics(x, weight, bias, eps)[0]; }

    /**
     * {@link #batchNorm} of {@code x} ({@code [N, C, ...]}) with {@code weight} and {@code bias} ({@code C} elements each,
     * {@code [C]} or {@code [1, C, 1, ...]}; null means 1 or 0), and the statistics it used: {@code {y, mean, var}}, the
     * per-channel mean and biased variance, each {@code [C]}. The statistics are constants, not recorded (a layer
     * needs them for its running statistics: {@code nn}'s {@code BatchNorm} takes {@code var m / (m - 1)}, the unbiased
     * variance, as PyTorch does). They are accumulated in double in two passes, the mean and then the mean squared
     * deviation from it (not {@code E[x^2] - E[x]^2}, which cancels when the mean is large against the spread).
     *
     * <p>The gradient, with {@code x^ = (x - mean) / sqrt(var + eps)} and {@code M} values per channel:
     * {@code dx = weight / sqrt(var + eps) (g - mean(g) - x^ mean(g x^))}, {@code dweight = sum(g x^)},
     * {@code dbias = sum(g)}: one pass for the two sums, one for {@code dx}. While a tape records the backward sweep
     * (higher-order gradients) the same formula is built from recorded operations, so it can be differentiated again.
     *
     * @throws IllegalArgumentException when {@code x} has fewer than 2 axes, {@code weight} or {@code bias} does not have
     *         {@code C} elements, or their dtype differs from {@code x}'s, or {@code eps} is negative or NaN (0 is
     *         allowed, unlike PyTorch's {@code F.batch_norm} in training)
     */
    public static Tensor[] batchNormWithStatistics(Tensor x, Tensor weight, Tensor bias, double eps) {
        requireBatch("batchNorm", x);
        if (!(eps >= 0)) throw new IllegalArgumentException("batchNorm: eps " + eps + " must be non-negative");
        int c = x.shape[1];
        for (Tensor t : new Tensor[] {weight, bias}) {
            if (t == null) continue;
            DType.requireSame("batchNorm", x, t);
            if (t.numel() != c)
                throw new IllegalArgumentException("batchNorm: " + (t == weight ? "weight " : "bias ") + Shape.str(t.shape) + " does not have the " + c
                        + " channels of input " + Shape.str(x.shape));
        }
        Fused f = new Fused(x, weight, bias, eps);
        Tensor y = combine(x, f.mean, f.scale(), null, null, null, bias == null ? new double[c] : bias.toDoubleArray(), f.layout);
        Tensor out = Tensor.record(Op.BATCH_NORM, y, f, f.inputs);
        return new Tensor[] {out, f.channels(f.mean), f.channels(f.var)};
    }

    /**
     * The primitive's statistics and its backward: per cotangent {@code g}, one pass for {@code sum(g)} and
     * {@code sum(g (x - mean))} per channel (kept, with {@code g}, for the other inputs' gradients of the same
     * {@code g}), one for {@code dx}.
     */
    private static final class Fused implements Node.Backward {
        private static final int WEIGHT = 1, BIAS = 2;   // role 0 is x
        final Tensor x, weight, bias;
        final double eps;
        final int[] layout;
        final double[] mean, var, invStd;
        final Tensor[] inputs;
        private final int[] roles;
        private Tensor lastG;
        private double[] sumG, sumGc;

        Fused(Tensor x, Tensor weight, Tensor bias, double eps) {
            this.x = x;
            this.weight = weight;
            this.bias = bias;
            this.eps = eps;
            int c = x.shape[1];
            layout = new int[] {x.shape[0], c, Shape.size(Arrays.copyOfRange(x.shape, 2, x.rank()))};
            mean = new double[c];
            var = new double[c];
            invStd = new double[c];
            double m = count();
            sums(x, new double[c], null, null, layout, mean, null);
            for (int ch = 0; ch < c; ch++) mean[ch] /= m;
            sums(x, mean, x, mean, layout, new double[c], var);
            for (int ch = 0; ch < c; ch++) {
                var[ch] /= m;
                invStd[ch] = 1 / Math.sqrt(var[ch] + eps);
            }
            Tensor[] all = {x, weight, bias};
            int k = 0;
            roles = new int[3];
            for (int r = 0; r < 3; r++) if (all[r] != null) roles[k++] = r;
            inputs = new Tensor[k];
            for (int i = 0; i < k; i++) inputs[i] = all[roles[i]];
        }

        double count() { return (double) layout[0] * layout[2]; }

        /** {@code weight / sqrt(var + eps)} per channel. */
        double[] scale() {
            double[] s = invStd.clone();
            if (weight != null) for (int ch = 0; ch < s.length; ch++) s[ch] *= weight.at(ch);
            return s;
        }

        /** Per-channel values in {@code x}'s dtype, shaped {@code [C]}. */
        Tensor channels(double[] v) { return shaped(new int[] {v.length}, v); }

        Tensor shaped(int[] shape, double[] v) {
            Tensor t = Tensor.alloc(x.dtype(), shape);
            if (t.d != null) System.arraycopy(v, 0, t.d, 0, v.length);
            else for (int i = 0; i < v.length; i++) t.f[i] = (float) v[i];
            return t;
        }

        @Override
        public Tensor grad(Tensor g, int i) {
            int role = roles[i];
            if (GradientTape.isRecording()) return recorded(g, role);
            int c = layout[1];
            if (g != lastG) {
                sumG = new double[c];
                sumGc = new double[c];
                sums(g, new double[c], x, mean, layout, sumG, sumGc);
                lastG = g;
            }
            if (role == BIAS) return shaped(bias.shape, sumG);
            double[] gHat = new double[c];
            for (int ch = 0; ch < c; ch++) gHat[ch] = sumGc[ch] * invStd[ch];
            if (role == WEIGHT) return shaped(weight.shape, gHat);
            double m = count();
            double[] meanG = new double[c], k = scale(), kc = new double[c];
            for (int ch = 0; ch < c; ch++) {
                meanG[ch] = sumG[ch] / m;
                kc[ch] = -k[ch] * invStd[ch] * gHat[ch] / m;
            }
            return combine(g, meanG, k, x, mean, kc, new double[c], layout);
        }

        /** The gradient as recorded operations on {@code x}, {@code weight} and {@code g}. */
        private Tensor recorded(Tensor g, int role) {
            int[] axes = statisticsAxes(x);
            if (role == BIAS) return g.sum(axes, false).reshape(bias.shape);
            Tensor[] s = batchStatistics(x);
            Tensor std = s[1].add(eps).sqrt(), xHat = x.sub(s[0]).div(std);
            if (role == WEIGHT) return g.mul(xHat).sum(axes, false).reshape(weight.shape);
            Tensor dx = g.sub(g.mean(axes, true)).sub(xHat.mul(g.mul(xHat).mean(axes, true))).div(std);
            return weight == null ? dx : dx.mul(weight.reshape(channelShape(x)));
        }
    }

    private static void sums(Tensor a, double[] ca, Tensor b, double[] cb, int[] layout, double[] sumA, double[] sumAB) {
        if (a.f != null) NormKernelsF32.sums(a.f, ca, b == null ? null : b.f, cb, layout[0], layout[1], layout[2], sumA, sumAB);
        else NormKernelsF64.sums(a.d, ca, b == null ? null : b.d, cb, layout[0], layout[1], layout[2], sumA, sumAB);
    }

    private static Tensor combine(Tensor a, double[] pa, double[] qa, Tensor b, double[] pb, double[] qb, double[] t, int[] layout) {
        Tensor out = Tensor.alloc(a.dtype(), a.shape);
        if (a.f != null) NormKernelsF32.combine(a.f, pa, qa, b == null ? null : b.f, pb, qb, t, layout[0], layout[1], layout[2], out.f);
        else NormKernelsF64.combine(a.d, pa, qa, b == null ? null : b.d, pb, qb, t, layout[0], layout[1], layout[2], out.d);
        return out;
    }

    private static void requireBatch(String op, Tensor x) {
        Objects.requireNonNull(x, op + ": x is null");
        if (x.rank() < 2) throw new IllegalArgumentException(op + ": expected input [N, C, ...], got " + Shape.str(x.shape));
    }

    /** Every axis but the channel's. */
    private static int[] statisticsAxes(Tensor x) {
        int[] axes = new int[x.rank() - 1];
        for (int i = 0, j = 0; i < x.rank(); i++) if (i != 1) axes[j++] = i;
        return axes;
    }

    /** {@code [1, C, 1, ...]} of {@code x}'s rank. */
    private static int[] channelShape(Tensor x) {
        int[] channel = new int[x.rank()];
        Arrays.fill(channel, 1);
        channel[1] = x.shape[1];
        return channel;
    }

    /**
     * {@code F.layer_norm}: {@code (x - mean) / sqrt(var + eps) * weight + bias} with the mean and the biased
     * variance over the last {@code normalizedShape.length} axes (at least one), which must equal {@code normalizedShape};
     * {@code weight} and {@code bias} may be null, else of exactly {@code normalizedShape} and {@code x}'s dtype, as in
     * PyTorch. {@code eps} must not be negative or NaN (PyTorch returns NaN).
     */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        Objects.requireNonNull(x, "layerNorm: x is null");
        Objects.requireNonNull(normalizedShape, "layerNorm: normalizedShape is null");
        int k = normalizedShape.length, r = x.rank();
        if (k == 0) throw new IllegalArgumentException("layerNorm: normalizedShape [] names no axis; it needs at least one");
        if (r < k || !Arrays.equals(Arrays.copyOfRange(x.shape, r - k, r), normalizedShape))
            throw new IllegalArgumentException("layerNorm: input " + Shape.str(x.shape) + " does not end in " + Shape.str(normalizedShape));
        if (!(eps >= 0)) throw new IllegalArgumentException("layerNorm: eps " + eps + " must be non-negative");
        for (Tensor p : new Tensor[] {weight, bias}) {
            if (p == null) continue;
            DType.requireSame("layerNorm", x, p);
            if (!Arrays.equals(p.shape, normalizedShape))
                throw new IllegalArgumentException("layerNorm: " + (p == weight ? "weight " : "bias ") + Shape.str(p.shape) + " must have the normalizedShape "
                        + Shape.str(normalizedShape));
        }
        int[] rows = Arrays.copyOf(x.shape, r - k + 1);
        int d = rows[r - k] = Shape.size(normalizedShape);
        return standardize(x.reshape(rows), weight == null ? null : weight.reshape(d), bias == null ? null : bias.reshape(d), eps).reshape(x.shape);
    }

    /**
     * The primitive {@link Op#LAYER_NORM}: {@code z = y w + b} with {@code y = (x - mean) rstd} over the last axis,
     * {@code rstd = 1 / sqrt(var + eps)} (the biased variance), {@code w} and {@code b} ({@code [d]}, either may be null),
     * in one pass per row; only the rows' mean and {@code rstd} are kept (in double). Backward in one pass per row, {@code y}
     * formed again from them: {@code dx = rstd (g w - mean(g w) - y mean(g w y))}, and {@code dw = sum_rows g y},
     * {@code db = sum_rows g} summed block by block of rows in a fixed order. While a tape records the sweep the same
     * formulas are built from recorded operations, {@code y} and {@code rstd} computed again from {@code x}, so that they
     * can be differentiated again.
     */
    // dx = rstd (gw - mean(gw) - y mean(gw y)),  dw = sum g y,  db = sum g
    static Tensor standardize(Tensor x, Tensor w, Tensor b, double eps) {
        int d = x.shape[x.rank() - 1], rows = Shape.size(Arrays.copyOf(x.shape, x.rank() - 1));
        Tensor z = Tensor.alloc(x.dtype(), x.shape);
        double[] mean = new double[rows], rstd = new double[rows];
        if (x.f != null) LayerNormKernelsF32.forward(x.f, w == null ? null : w.f, b == null ? null : b.f, z.f, mean, rstd, rows, d, eps);
        else LayerNormKernelsF64.forward(x.d, w == null ? null : w.d, b == null ? null : b.d, z.d, mean, rstd, rows, d, eps);
        Tensor[] in = w == null && b == null ? new Tensor[] {x} : w == null ? new Tensor[] {x, b} : b == null ? new Tensor[] {x, w} : new Tensor[] {x, w, b};
        int iw = w == null ? -1 : 1, ib = b == null ? -1 : in.length - 1;   // the inputs' places of w and b
        return Tensor.record(Op.LAYER_NORM, z, new AllInputs(in) {
            @Override
            Tensor[] fused(Tensor g) {
                Tensor dx = Tensor.alloc(x.dtype(), x.shape), dw = wants(iw) ? Tensor.alloc(x.dtype(), w.shape) : null, db = wants(ib) ? Tensor.alloc(x.dtype(), b.shape) : null;
                if (x.f != null)
                    LayerNormKernelsF32.backward(g.f, x.f, w == null ? null : w.f, mean, rstd, dx.f, dw == null ? null : dw.f, db == null ? null : db.f, rows, d);
                else LayerNormKernelsF64.backward(g.d, x.d, w == null ? null : w.d, mean, rstd, dx.d, dw == null ? null : dw.d, db == null ? null : db.d, rows, d);
                return placed(dx, dw, db);
            }

            @Override
            Tensor[] recorded(Tensor g) {
                Tensor inv = x.var(new int[] {-1}, true, false).add(eps).rsqrt(), y = x.sub(x.mean(-1, true)).mul(inv), gw = w == null ? g : g.mul(w);
                Tensor dx = wants(0) ? gw.sub(gw.mean(-1, true)).sub(y.mul(gw.mul(y).mean(-1, true))).mul(inv) : null;
                return placed(dx, wants(iw) ? g.mul(y).sumTo(w.shape) : null, wants(ib) ? g.sumTo(b.shape) : null);
            }

            /** {@code dx}, {@code dw} and {@code db} at their inputs' places (any may be null: not wanted). */
            private Tensor[] placed(Tensor dx, Tensor dw, Tensor db) {
                Tensor[] out = new Tensor[in.length];
                out[0] = dx;
                if (iw > 0) out[iw] = dw;
                if (ib > 0) out[ib] = db;
                return out;
            }
        }, in);
    }
}
