package dev.tapegrad.autodiff;

import java.util.Random;

/**
 * Scaled dot-product attention, PyTorch's {@code F.scaled_dot_product_attention}, composed from the
 * primitives (matrix products, a max-shifted softmax, elementwise arithmetic), so it has no backward code of
 * its own and differentiates to any order.
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
        requireRank(op, "value", v);
        if (k.rank() >= 2 && v.rank() >= 2 && k.size(-2) != v.size(-2))
            throw new IllegalArgumentException(op + ": key " + Shape.str(k.shape) + " and value " + Shape.str(v.shape)
                    + " differ in the sequence axis S (-2)");
        Tensor w = dropout(op, weights(op, q, k, attnMask, isCausal), dropoutP, random);
        Shape.broadcast(op + ": batch axes of the weights " + Shape.str(w.shape) + " and value " + Shape.str(v.shape), batch(w), batch(v));
        return w.matmul(v);
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
        requireRank(op, "query", q);
        requireRank(op, "key", k);
        int d = q.size(-1), l = q.size(-2), s = k.size(-2);
        if (k.size(-1) != d)
            throw new IllegalArgumentException(op + ": query " + Shape.str(q.shape) + " and key " + Shape.str(k.shape) + " differ in the feature axis d (-1)");
        int[] scoreBatch = Shape.broadcast(op + ": batch axes of query " + Shape.str(q.shape) + " and key " + Shape.str(k.shape), batch(q), batch(k));
        int[] scoreShape = java.util.Arrays.copyOf(scoreBatch, scoreBatch.length + 2);
        scoreShape[scoreBatch.length] = l;
        scoreShape[scoreBatch.length + 1] = s;
        if (isCausal && attnMask != null)
            throw new IllegalArgumentException(op + ": an explicit attnMask " + Shape.str(attnMask.shape) + " cannot be combined with isCausal");
        Tensor mask = isCausal ? causalMask(q.dtype(), l, s) : attnMask == null ? null : attnMask.to(q.dtype());
        if (mask != null && !Shape.broadcastsTo(mask.shape, scoreShape))
            throw new IllegalArgumentException(op + ": attnMask " + Shape.str(mask.shape) + " does not broadcast to the scores [..., L, S] "
                    + Shape.str(scoreShape) + " of query " + Shape.str(q.shape) + " and key " + Shape.str(k.shape));
        Tensor scores = q.mul(1 / Math.sqrt(d)).matmulTransposed(k);
        return maskedSoftmax(mask == null ? scores : scores.add(mask));
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

    private static int[] batch(Tensor t) { return java.util.Arrays.copyOf(t.shape, t.rank() - 2); }
}
