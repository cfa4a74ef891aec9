package dev.tapegrad.autodiff;

import dev.tapegrad.autodiff.kernel.AttentionKernelsF32;
import dev.tapegrad.autodiff.kernel.AttentionKernelsF64;
import dev.tapegrad.autodiff.kernel.Layout;
import java.util.Arrays;
import java.util.Random;

/**
 * Scaled dot-product attention, PyTorch's {@code F.scaled_dot_product_attention}: the primitive {@link Op#ATTENTION}
 * where it applies, else composed from the primitives (matrix products, a max-shifted softmax, elementwise arithmetic).
 *
 * <p>For a query {@code q [..., L, d]}, key {@code k [..., S, d]} and value {@code v [..., S, dv]} (leading
 * axes broadcast):
 * <pre>
 *   weights = softmax(q k^T / sqrt(d) + mask)        [..., L, S], softmax over S
 *   output  = dropout(weights) v                     [..., L, dv]
 * </pre>
 * Masks are additive float tensors, as PyTorch's float masks: they broadcast to {@code [..., L, S]}, 0 keeps a
 * position and {@code -inf} drops it (any finite value shifts the score). A mask of another dtype is converted
 * to the query's. {@code isCausal} adds {@link #causalMask(DType, int, int)}: query {@code i} sees keys
 * {@code j <= i} (aligned top-left when {@code L != S}, as PyTorch); it cannot be combined with an explicit
 * mask (PyTorch refuses that too).
 *
 * <p><b>Fully masked rows.</b> A query row whose every score is {@code -inf} gets weights of 0, hence an
 * output row of 0 and a zero gradient for everything in that row, instead of the NaN of a plain softmax (what
 * {@code F.scaled_dot_product_attention} returns too, while {@code nn.MultiheadAttention} gives NaN). Rows
 * with at least one finite score are the ordinary softmax.
 *
 * <p><b>The primitive.</b> Without dropout, with query, key and value of the same batch axes and a mask that does not
 * track a gradient (or none, or {@code isCausal}), {@link #scaledDotProduct} is the primitive {@link Op#ATTENTION}: per
 * product the scores are formed, masked and softmaxed in one {@code [L, S]} block and multiplied by {@code v}, keeping
 * only the weights for the backward ({@code dP = G v^T}, {@code dS = P (dP - rowsum(dP P)) / sqrt(d)},
 * {@code dq = dS k}, {@code dk = dS^T q}, {@code dv = P^T G}, in one pass per product) instead of recording the
 * scaling, the product, the mask's sum, the softmax and the second product with their intermediate tensors. While a
 * tape records the backward (higher-order gradients) the same formulas are built from recorded operations, the weights
 * recomputed by the composite, so they differentiate again. Other cases (dropout, broadcast batch axes, a mask with a
 * gradient, empty axes) take the composite; the two agree to rounding (the scale multiplies the scores here, the
 * query there).
 */
public final class Attention {
    private Attention() {}

    /** {@code softmax(q k^T / sqrt(d) + attnMask) v} without dropout; {@code attnMask} may be null. */
    public static Tensor scaledDotProduct(Tensor q, Tensor k, Tensor v, Tensor attnMask, boolean isCausal) {
        return scaledDotProduct(q, k, v, attnMask, isCausal, 0, null);
    }

    /**
     * {@code dropout(softmax(q k^T / sqrt(d) + attnMask)) v}: each attention weight is zeroed with probability
     * {@code dropoutP} and the others scaled by {@code 1 / (1 - dropoutP)}, drawing from {@code random}
     * (which may be null when {@code dropoutP} is 0). Shapes and masks as in the class comment.
     */
    public static Tensor scaledDotProduct(Tensor q, Tensor k, Tensor v, Tensor attnMask, boolean isCausal, double dropoutP, Random random) {
        String op = "Attention.scaledDotProduct";
        requireRank(op, "query", q);
        requireRank(op, "key", k);
        requireRank(op, "value", v);
        DType.requireSame(op, q, v);
        if (k.size(-2) != v.size(-2))
            throw new IllegalArgumentException(op + ": key " + Shape.str(k.shape) + " and value " + Shape.str(v.shape)
                    + " differ in the sequence axis S (-2)");
        Tensor mask = mask(op, q, k, attnMask, isCausal);
        if (dropoutP == 0 && fusable(q, k, v, mask)) return fused(q, k, v, mask);
        Tensor w = dropout(op, maskedSoftmax(scores(q, k, mask)), dropoutP, random);
        Shape.broadcast(op + ": batch axes of the weights " + Shape.str(w.shape) + " and value " + Shape.str(v.shape), batch(w), batch(v));
        return w.matmul(v);
    }

    /** The composite of {@link #scaledDotProduct} without dropout, whatever the operands (for tests of the primitive). */
    static Tensor composite(Tensor q, Tensor k, Tensor v, Tensor attnMask, boolean isCausal) {
        return weights(q, k, attnMask, isCausal).matmul(v);
    }

    private static boolean fusable(Tensor q, Tensor k, Tensor v, Tensor mask) {
        int[] bq = batch(q);
        return q.dtype() == k.dtype() && q.dtype() == v.dtype() && Arrays.equals(bq, batch(k)) && Arrays.equals(bq, batch(v))
                && q.numel() > 0 && k.numel() > 0 && v.numel() > 0 && (mask == null || !mask.tracksGradient());
    }

    /** {@link Op#ATTENTION}: {@code softmax(q k^T / sqrt(d) + mask) v} for operands of equal batch axes and a constant mask (or none). */
    // d(P v) = (dS k / sqrt(d), dS^T q / sqrt(d), P^T G), dS = P (G v^T - rowsum(G v^T P))
    private static Tensor fused(Tensor q, Tensor k, Tensor v, Tensor mask) {
        int r = q.rank(), l = q.shape[r - 2], d = q.shape[r - 1], s = k.shape[r - 2], dv = v.shape[r - 1];
        int[] batch = batch(q);
        int count = Shape.size(batch);
        double scale = 1 / Math.sqrt(d);
        int[] maskIndex = null;
        Tensor slices = null;
        if (mask != null) {
            // the mask as dense [L, S] slices, one per index of its own (broadcast) batch axes
            int[] own = new int[r];
            Arrays.fill(own, 1);
            System.arraycopy(mask.shape, 0, own, r - mask.rank(), mask.rank());
            int[] sliced = own.clone();
            sliced[r - 2] = l;
            sliced[r - 1] = s;
            slices = mask.reshape(own).expand(sliced);
            int[] maskBatch = Arrays.copyOf(own, r - 2);
            maskIndex = Arrays.equals(maskBatch, batch) ? null : Layout.offsets(batch, Layout.broadcastStrides(maskBatch, batch), 0);
        }
        int[] pShape = Arrays.copyOf(batch, r), oShape = v.shape.clone();
        pShape[r - 2] = l;
        pShape[r - 1] = s;
        oShape[r - 2] = l;
        Tensor p = Tensor.alloc(q.dtype(), pShape), out = Tensor.alloc(q.dtype(), oShape);
        if (q.f != null)
            AttentionKernelsF32.forward(q.f, k.f, v.f, slices == null ? null : slices.f, maskIndex, (float) scale, p.f, out.f, count, l, s, d, dv);
        else AttentionKernelsF64.forward(q.d, k.d, v.d, slices == null ? null : slices.d, maskIndex, scale, p.d, out.d, count, l, s, d, dv);
        return Tensor.record(Op.ATTENTION, out, new AllInputs(q, k, v) {
            @Override
            Tensor[] fused(Tensor g) {
                Tensor dq = Tensor.alloc(q.dtype(), q.shape), dk = Tensor.alloc(k.dtype(), k.shape), dvt = Tensor.alloc(v.dtype(), v.shape);
                if (q.f != null) AttentionKernelsF32.backward(q.f, k.f, v.f, p.f, g.f, (float) scale, dq.f, dk.f, dvt.f, count, l, s, d, dv);
                else AttentionKernelsF64.backward(q.d, k.d, v.d, p.d, g.d, scale, dq.d, dk.d, dvt.d, count, l, s, d, dv);
                return new Tensor[] {dq, dk, dvt};
            }

            @Override
            Tensor[] recorded(Tensor g) {
                Tensor w = maskedSoftmax(scores(q, k, mask)), ds = null;
                if (wants(0) || wants(1)) {
                    Tensor dp = g.matmulTransposed(v);
                    ds = w.mul(dp.sub(dp.mul(w).sum(-1, true))).mul(scale);
                }
                return new Tensor[] {wants(0) ? ds.matmul(k) : null, wants(1) ? MatMul.mm(ds, q, true, false) : null, wants(2) ? MatMul.mm(w, g, true, false) : null};
            }
        }, q, k, v);
    }

    /**
     * The attention weights {@code softmax(q k^T / sqrt(d) + attnMask)}, {@code [..., L, S]}, each row summing to 1
     * (or all 0 for a fully masked row); {@code attnMask} may be null.
     */
    public static Tensor weights(Tensor q, Tensor k, Tensor attnMask, boolean isCausal) {
        return weights("Attention.weights", q, k, attnMask, isCausal);
    }

    /**
     * The softmax over the last axis with fully masked rows made safe: a row whose entries are all {@code -inf}
     * becomes all 0 (with a zero gradient) instead of NaN; other rows are {@code x.softmax(-1)}.
     */
    public static Tensor maskedSoftmax(Tensor scores) {
        if (scores.rank() == 0) throw new IllegalArgumentException("Attention.maskedSoftmax: needs rank 1 or more, got a 0-d tensor");
        if (scores.numel() == 0) return scores.softmax(-1);   // no keys or no rows: an empty result
        return Softmax.lastAxis(scores, true);                 // a row of -inf is shifted by 0: exp gives 0s, divided by 1
    }

    /** The causal mask {@code [n, n]} (FLOAT32): 0 on and below the diagonal, {@code -inf} above it. */
    public static Tensor causalMask(int n) { return causalMask(DType.FLOAT32, n, n); }

    /** The causal mask {@code [l, s]}: 0 where {@code j <= i}, {@code -inf} where {@code j > i} (PyTorch's top-left alignment). */
    public static Tensor causalMask(DType dtype, int l, int s) {
        if (l < 0 || s < 0) throw new IllegalArgumentException("Attention.causalMask: sizes " + l + " and " + s + " must be non-negative");
        return Tensor.full(dtype, Double.NEGATIVE_INFINITY, l, s).triu(1);
    }

    private static Tensor weights(String op, Tensor q, Tensor k, Tensor attnMask, boolean isCausal) {
        return maskedSoftmax(scores(q, k, mask(op, q, k, attnMask, isCausal)));
    }

    /** {@code q k^T / sqrt(d) + mask} ({@code mask} may be null). */
    private static Tensor scores(Tensor q, Tensor k, Tensor mask) {
        Tensor scores = q.mul(1 / Math.sqrt(q.size(-1))).matmulTransposed(k);
        return mask == null ? scores : scores.add(mask);
    }

    /** The checked operands' additive mask in the query's dtype (the causal one for {@code isCausal}), or null. */
    private static Tensor mask(String op, Tensor q, Tensor k, Tensor attnMask, boolean isCausal) {
        requireRank(op, "query", q);
        requireRank(op, "key", k);
        DType.requireSame(op, q, k);
        int d = q.size(-1), l = q.size(-2), s = k.size(-2);
        if (k.size(-1) != d)
            throw new IllegalArgumentException(op + ": query " + Shape.str(q.shape) + " and key " + Shape.str(k.shape) + " differ in the feature axis d (-1)");
        int[] scoreBatch = Shape.broadcast(op + ": batch axes of query " + Shape.str(q.shape) + " and key " + Shape.str(k.shape), batch(q), batch(k));
        int[] scoreShape = Arrays.copyOf(scoreBatch, scoreBatch.length + 2);
        scoreShape[scoreBatch.length] = l;
        scoreShape[scoreBatch.length + 1] = s;
        if (isCausal && attnMask != null)
            throw new IllegalArgumentException(op + ": an explicit attnMask " + Shape.str(attnMask.shape) + " cannot be combined with isCausal");
        Tensor mask = isCausal ? causalMask(q.dtype(), l, s) : attnMask == null ? null : attnMask.to(q.dtype());
        if (mask != null && !Shape.broadcastsTo(mask.shape, scoreShape))
            throw new IllegalArgumentException(op + ": attnMask " + Shape.str(mask.shape) + " does not broadcast to the scores [..., L, S] "
                    + Shape.str(scoreShape) + " of query " + Shape.str(q.shape) + " and key " + Shape.str(k.shape));
        return mask;
    }

    /**
     * Dropout as attention applies it to its weights: each element is zeroed with probability {@code p} and the
     * others scaled by {@code 1 / (1 - p)}, drawing from {@code random}; {@code p = 0} returns {@code weights}.
     */
    public static Tensor dropout(Tensor weights, double p, Random random) { return dropout("Attention.dropout", weights, p, random); }

    private static Tensor dropout(String op, Tensor w, double p, Random random) {
        if (w == null) throw new NullPointerException(op + ": weights is null");
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException(op + ": dropout probability " + p + " must be in [0, 1)");
        if (p == 0) return w;
        if (random == null) throw new IllegalArgumentException(op + ": dropout probability " + p + " needs a Random");
        return w.dropout(p, random);
    }

    private static void requireRank(String op, String what, Tensor t) {
        if (t == null) throw new NullPointerException(op + ": " + what + " is null");
        if (t.rank() < 2)
            throw new IllegalArgumentException(op + ": " + what + " must have rank 2 or more ([..., length, features]), got " + Shape.str(t.shape));
    }

    private static int[] batch(Tensor t) { return Arrays.copyOf(t.shape, t.rank() - 2); }
}
