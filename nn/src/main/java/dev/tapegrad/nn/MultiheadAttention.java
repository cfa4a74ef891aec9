package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Attention;
import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Shape;
import dev.tapegrad.autodiff.Tensor;
import java.util.Random;

/**
 * Multi-head attention, {@code torch.nn.MultiheadAttention} with equal query, key and value sizes:
 * <pre>
 *   [q | k | v] = [query Wq^T | key Wk^T | value Wv^T] + in_proj_bias       in_proj_weight = [Wq; Wk; Wv]  [3E, E]
 *   head_h      = softmax(q_h k_h^T / sqrt(E / H) + attnMask + keyPaddingMask) v_h     per head h of E / H features
 *   output      = [head_1 ... head_H] out_proj.weight^T + out_proj.bias
 * </pre>
 * Parameters, named as PyTorch's so its state dict loads unchanged: {@code in_proj_weight [3E, E]} (Xavier
 * uniform), {@code in_proj_bias [3E]} (zeros), {@code out_proj.weight [E, E]} ({@link Linear}'s initialisation),
 * {@code out_proj.bias [E]} (zeros); without {@code bias} neither bias exists.
 *
 * <p>Inputs are {@code [B, L, E]} with {@code batchFirst}, otherwise {@code [L, B, E]}, or unbatched {@code [L, E]};
 * key and value have length {@code S}. Masks are additive float tensors (0 keeps, {@code -inf} drops), like
 * PyTorch's float masks: {@code attnMask} is {@code [L, S]} or {@code [B * H, L, S]}, {@code keyPaddingMask}
 * {@code [B, S]} ({@code [S]} unbatched); either may be null. In training mode the attention weights are dropped
 * out with probability {@code dropout}. A query row whose keys are all masked gets zero weights and a zero output
 * row before {@code out_proj} (see {@link Attention}); PyTorch's module returns NaN there.
 */
public final class MultiheadAttention extends Module {
    /** {@code in_proj_weight [3E, E]} and {@code in_proj_bias [3E]} (null without bias). */
    public final Parameter inProjWeight, inProjBias;
    /** {@code out_proj}: {@code E -> E}. */
    public final Linear outProj;
    private final int embedDim, numHeads;
    private final double dropout;
    private final boolean batchFirst;
    private final Random random;

    /** PyTorch's defaults: dropout 0, with biases, sequence-first layout. */
    public MultiheadAttention(int embedDim, int numHeads, Random random) { this(embedDim, numHeads, 0, true, false, random); }

    /**
     * {@code embedDim} split over {@code numHeads} heads (it must divide evenly); {@code dropout} on the attention
     * weights in training mode; {@code bias} for both projections; {@code batchFirst} for {@code [B, L, E]} inputs;
     * {@code random} draws the initial weights and the dropout masks.
     */
    public MultiheadAttention(int embedDim, int numHeads, double dropout, boolean bias, boolean batchFirst, Random random) {
        if (embedDim <= 0 || numHeads <= 0 || embedDim % numHeads != 0)
            throw new IllegalArgumentException("MultiheadAttention: embedDim " + embedDim + " must be a positive multiple of numHeads " + numHeads);
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("MultiheadAttention: dropout " + dropout + " must be in [0, 1)");
        Checks.fits("MultiheadAttention", new long[] {4L * embedDim, embedDim}, new long[] {bias ? 4L * embedDim : 0});
        this.embedDim = embedDim;
        this.numHeads = numHeads;
        this.dropout = dropout;
        this.batchFirst = batchFirst;
        this.random = dropout > 0 ? random("random", random) : random;
        inProjWeight = param("in_proj_weight", Init.xavierUniform(random, 3 * embedDim, embedDim));
        inProjBias = bias ? param("in_proj_bias", Tensor.zeros(3 * embedDim)) : null;
        outProj = child("out_proj", new Linear(embedDim, embedDim, bias, random));
        if (bias) {
            try (var pause = dev.tapegrad.autodiff.GradientTape.pause()) {   // a layer may be built while a tape records
                outProj.bias.assign(Tensor.zeros(embedDim));
            }
        }
    }

    /** Self-attention: {@code forward(x, x, x, null, null).output()}. */
    @Override
    public Tensor forward(Tensor x) { return forward(x, x, x, null, null).output(); }

    /** Attention of {@code query} over {@code key}/{@code value} with optional masks (shapes in the class comment). */
    public AttentionOutput forward(Tensor query, Tensor key, Tensor value, Tensor attnMask, Tensor keyPaddingMask) {
        return forward(query, key, value, attnMask, keyPaddingMask, true);
    }

    /**
     * The same; with {@code averageAttnWeights} false (PyTorch's {@code average_attn_weights=False}) the weights are
     * those of each head, {@code [B, numHeads, L, S]} ({@code [numHeads, L, S]} unbatched).
     */
    public AttentionOutput forward(Tensor query, Tensor key, Tensor value, Tensor attnMask, Tensor keyPaddingMask, boolean averageAttnWeights) {
        AttentionOutput o = attend(query, key, value, attnMask, keyPaddingMask, true);
        return averageAttnWeights ? new AttentionOutput(o.output(), o.weights().mean(-3, false)) : o;
    }

    /** The attention; the weights of each head only when {@code needWeights} (else null). */
    AttentionOutput attend(Tensor query, Tensor key, Tensor value, Tensor attnMask, Tensor keyPaddingMask, boolean needWeights) {
        checkInput("query", query);
        checkInput("key", key);
        checkInput("value", value);
        int rank = query.rank();
        if (rank != 2 && rank != 3) throw bad("query must be [B, L, E], [L, B, E] or unbatched [L, E]", "query", query);
        for (Tensor t : new Tensor[] {query, key, value})
            if (t.rank() != rank || t.size(-1) != embedDim)
                throw new IllegalArgumentException("MultiheadAttention: query " + Shape.str(query.shape()) + ", key " + Shape.str(key.shape()) + " and value "
                        + Shape.str(value.shape()) + " must all have rank " + rank + " and embedDim " + embedDim + " features");
        boolean self = query == key && key == value;
        Tensor q = batchFirstOf(query), k = self ? q : batchFirstOf(key), v = self ? q : batchFirstOf(value);
        int b = q.size(0), l = q.size(1), s = k.size(1), hd = embedDim / numHeads;
        if (k.size(0) != b || v.size(0) != b || v.size(1) != s)
            throw new IllegalArgumentException("MultiheadAttention: query " + Shape.str(query.shape()) + ", key " + Shape.str(key.shape()) + " and value "
                    + Shape.str(value.shape()) + " disagree in the batch size or the key/value length");
        Tensor mask = masks(attnMask, keyPaddingMask, rank == 2, b, l, s);
        Tensor[] qkv = project(q, k, v, self);
        Tensor qh = heads(qkv[0], b, l, hd), kh = heads(qkv[1], b, s, hd), vh = heads(qkv[2], b, s, hd), weights = null, att;
        if (needWeights || isTraining() && dropout > 0) {
            weights = Attention.weights(qh, kh, mask, false);
            if (isTraining()) weights = Attention.dropout(weights, dropout, random);
            att = weights.matmul(vh);
        } else att = Attention.scaledDotProduct(qh, kh, vh, mask, false);   // the fused primitive: no weights kept but for its backward
        Tensor out = att.permute(0, 2, 1, 3).reshape(b, l, embedDim);
        out = outProj.forward(out);
        Tensor perHead = needWeights ? weights : null;
        if (rank == 2) return new AttentionOutput(out.squeeze(0), perHead == null ? null : perHead.squeeze(0));
        return new AttentionOutput(batchFirst ? out : out.transpose(0, 1), perHead);
    }

    private void checkInput(String name, Tensor x) { Checks.input("MultiheadAttention", name, x, inProjWeight.dtype()); }

    /** {@code [B, L, E]}: the batch-first view of an input (an unbatched one gets a batch of 1). */
    private Tensor batchFirstOf(Tensor x) { return x.rank() == 2 ? x.unsqueeze(0) : batchFirst ? x : x.transpose(0, 1); }

    /** The in-projections; one product for self-attention (query, key and value the same tensor). */
    private Tensor[] project(Tensor q, Tensor k, Tensor v, boolean self) {
        Tensor wt = inProjWeight.value(), bias = inProjBias == null ? null : inProjBias.value();
        if (self) return q.linear(wt, bias).chunk(3, -1);
        Tensor[] out = new Tensor[3], in = {q, k, v};
        for (int i = 0; i < 3; i++) {
            int from = i * embedDim, to = from + embedDim;
            out[i] = in[i].linear(wt.slice(0, from, to), bias == null ? null : bias.slice(0, from, to));
        }
        return out;
    }

    /** {@code [B, n, E] -> [B, H, n, E / H]}. */
    private Tensor heads(Tensor x, int b, int n, int hd) { return x.reshape(b, n, numHeads, hd).permute(0, 2, 1, 3); }

    /** The attention and key-padding masks as one additive mask broadcasting to {@code [B, H, L, S]}, or null. */
    private Tensor masks(Tensor attnMask, Tensor keyPaddingMask, boolean unbatched, int b, int l, int s) {
        Tensor mask = null;
        if (attnMask != null) {
            int[] m = attnMask.shape();
            if (m.length == 2 && m[0] == l && m[1] == s) mask = attnMask;
            else if (m.length == 3 && m[0] == b * numHeads && m[1] == l && m[2] == s) mask = attnMask.reshape(b, numHeads, l, s);
            else throw new IllegalArgumentException("MultiheadAttention: attnMask " + Shape.str(m) + " must be [L, S] = " + Shape.str(l, s)
                    + " or [B * numHeads, L, S] = " + Shape.str(b * numHeads, l, s));
        }
        if (keyPaddingMask != null) {
            int[] want = unbatched ? new int[] {s} : new int[] {b, s};
            if (!java.util.Arrays.equals(keyPaddingMask.shape(), want))
                throw bad("keyPaddingMask must be " + (unbatched ? "[S] = " : "[B, S] = ") + Shape.str(want), "keyPaddingMask", keyPaddingMask);
            Tensor kpm = keyPaddingMask.reshape(b, 1, 1, s);
            mask = mask == null ? kpm : kpm.add(mask.to(kpm.dtype()));
        }
        return mask;
    }

    private static IllegalArgumentException bad(String what, String name, Tensor t) {
        return new IllegalArgumentException("MultiheadAttention: " + what + ", got " + name + " " + Shape.str(t.shape()));
    }
}
