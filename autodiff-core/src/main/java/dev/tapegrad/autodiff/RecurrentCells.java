package dev.tapegrad.autodiff;

import dev.tapegrad.autodiff.kernel.RecurrentKernelsF32;
import dev.tapegrad.autodiff.kernel.RecurrentKernelsF64;
import java.util.Arrays;
import java.util.Objects;

/**
 * Fused recurrent cells: {@link #lstm} is the primitive {@link Op#LSTM_CELL}, one step of an LSTM from its gate
 * pre-activations, in one pass forward and one backward (PyTorch's {@code _thnn_fused_lstm_cell}, which also takes
 * the input and hidden projections separately and keeps the activated gates for the backward); {@link #lstmSequence}
 * is the primitive {@link Op#LSTM_SEQUENCE}, those steps over a whole sequence with the hidden projections inside.
 */
public final class RecurrentCells {
    private RecurrentCells() {}

    /**
     * One LSTM step from the input projection {@code gi = x W_ih^T + b_ih} and the hidden projection
     * {@code gh = h W_hh^T + b_hh} (each {@code [B, 4H]}, gates in PyTorch's order {@code i, f, g, o} along the last
     * axis) and the cell state {@code c} ({@code [B, H]}): with {@code z = gi + gh}, {@code i = sigmoid(z_i)},
     * {@code f = sigmoid(z_f)}, {@code g = tanh(z_g)}, {@code o = sigmoid(z_o)}, {@code c' = f c + i g} and
     * {@code h' = o tanh(c')}. Equal, to within float rounding, to that composite of 14 recorded operations.
     *
     * <p>The result is {@code [B, 2H]}, {@code h'} then {@code c'} along the last axis: take {@code h' = out.slice(-1, 0, H)}
     * and {@code c' = out.slice(-1, H, 2 H)}. The engine records single-output nodes; with two nodes, each output's
     * backward would produce its own {@code [B, 4H]} gate gradient for the sweep to add, while one output gets its
     * cotangent assembled by the slices' backward (which adds each slice's gradient into its half in place) and
     * turned into the gates' and {@code c}'s gradients in one pass.
     *
     * <p>The forward keeps the activations {@code i, f, g, o, tanh(c')} ({@code 5 B H} values) for the backward, which
     * computes {@code d = g_c + g_h o (1 - tanh(c')^2)}, {@code dz = [d g i (1 - i), d c f (1 - f), d i (1 - g^2),
     * g_h tanh(c') o (1 - o)]} (the gradient of both {@code gi} and {@code gh}) and {@code dc = d f} in one pass per
     * cotangent. While a tape records the backward sweep (higher-order gradients) the same formulas are built from
     * recorded operations, so they can be differentiated again.
     *
     * @throws IllegalArgumentException when {@code c} is not 2-D, {@code gi} or {@code gh} is not {@code [B, 4H]} for
     *         {@code c}'s {@code [B, H]}, or the dtypes differ
     * @throws NullPointerException     naming the argument that is null
     */
    public static Tensor lstm(Tensor gi, Tensor gh, Tensor c) {
        Objects.requireNonNull(gi, "lstmCell: gi is null");
        Objects.requireNonNull(gh, "lstmCell: gh is null");
        Objects.requireNonNull(c, "lstmCell: c is null");
        DType.requireSame("lstmCell", gi, c);
        DType.requireSame("lstmCell", gh, c);
        if (c.rank() != 2)
            throw new IllegalArgumentException("lstmCell: cell state c must be [B, H], got " + Shape.str(c.shape));
        int batch = c.shape[0], hidden = c.shape[1];
        int[] gates = {batch, 4 * hidden};
        if (!Arrays.equals(gi.shape, gates) || !Arrays.equals(gh.shape, gates))
            throw new IllegalArgumentException("lstmCell: gi " + Shape.str(gi.shape) + " and gh " + Shape.str(gh.shape) + " must both be "
                    + Shape.str(gates) + " ([B, 4H]) for cell state c " + Shape.str(c.shape) + " ([B, H])");
        Tensor acts = Tensor.alloc(c.dtype(), new int[] {batch, 5 * hidden}), out = Tensor.alloc(c.dtype(), new int[] {batch, 2 * hidden});
        if (c.f != null) RecurrentKernelsF32.cellForward(gi.f, 0, gh.f, c.f, 0, batch, hidden, acts.f, 0, out.f, 0, hidden, 2 * hidden);
        else RecurrentKernelsF64.cellForward(gi.d, 0, gh.d, c.d, 0, batch, hidden, acts.d, 0, out.d, 0, hidden, 2 * hidden);
        return Tensor.record(Op.LSTM_CELL, out, new LstmBackward(gi, gh, c, acts), gi, gh, c);
    }

    /**
     * A whole LSTM layer (one direction) over a sequence: the primitive {@link Op#LSTM_SEQUENCE}, equal to {@code T}
     * steps of {@link #lstm} with {@code gh = h W_hh^T} and to within float rounding of the same composite. Step
     * {@code t} takes its gates {@code gi[t] + h_prev W_hh^T}, where {@code h_prev} (and {@code c_prev}) is the previous
     * step's state, {@code h0} ({@code c0}) before the first step; the steps run {@code 0..T-1}, or {@code T-1..0} when
     * {@code reverse} (a bidirectional layer's second direction).
     *
     * <p>The result is {@code [2, T, B, H]}: every step's {@code h} ({@code out[0]}, the layer's output sequence), then
     * every step's {@code c} ({@code out[1]}). Why one primitive for the whole sequence: the backward through time
     * then forms {@code W_hh}'s gradient as one product {@code dZ^T H_prev} over all {@code T B} rows, where {@code T}
     * steps of the cell form {@code T} products of inner size {@code B} (each reading and writing the whole
     * {@code [4H, H]} sum), and nothing is recorded, sliced or padded per step. The forward keeps the activations
     * ({@code [T, B, 5H]}) for the backward; while a tape records the backward sweep, the backward is built step by step
     * from recorded operations on the inputs and this output, so it can be differentiated again.
     *
     * @param gi      the input projections {@code x W_ih^T + b_ih + b_hh}, {@code [T, B, 4H]}, gates {@code i, f, g, o}
     * @param whh     {@code W_hh}, {@code [4H, H]}
     * @param h0      the initial hidden state, {@code [B, H]}
     * @param c0      the initial cell state, {@code [B, H]}
     * @param reverse whether the steps run from {@code T-1} down to 0
     * @throws IllegalArgumentException when a shape does not fit {@code whh}'s {@code [4H, H]} (naming both), {@code T} or
     *         {@code B} is 0, or the dtypes differ
     * @throws NullPointerException     naming the argument that is null
     */
    public static Tensor lstmSequence(Tensor gi, Tensor whh, Tensor h0, Tensor c0, boolean reverse) {
        Objects.requireNonNull(gi, "lstmSequence: gi is null");
        Objects.requireNonNull(whh, "lstmSequence: whh is null");
        Objects.requireNonNull(h0, "lstmSequence: h0 is null");
        Objects.requireNonNull(c0, "lstmSequence: c0 is null");
        for (Tensor t : new Tensor[] {gi, h0, c0}) DType.requireSame("lstmSequence", t, whh);
        if (whh.rank() != 2 || whh.shape[1] == 0 || whh.shape[0] != 4L * whh.shape[1])
            throw new IllegalArgumentException("lstmSequence: whh must be [4H, H] with H positive, got " + Shape.str(whh.shape));
        int hidden = whh.shape[1];
        if (gi.rank() != 3 || gi.shape[2] != 4L * hidden || gi.shape[0] == 0 || gi.shape[1] == 0)
            throw new IllegalArgumentException("lstmSequence: gi must be [T, B, " + 4 * hidden + "] ([T, B, 4H] with T and B positive) for whh "
                    + Shape.str(whh.shape) + ", got " + Shape.str(gi.shape));
        int steps = gi.shape[0], batch = gi.shape[1];
        int[] state = {batch, hidden};
        if (!Arrays.equals(h0.shape, state) || !Arrays.equals(c0.shape, state))
            throw new IllegalArgumentException("lstmSequence: h0 " + Shape.str(h0.shape) + " and c0 " + Shape.str(c0.shape) + " must both be "
                    + Shape.str(state) + " ([B, H]) for gi " + Shape.str(gi.shape) + " and whh " + Shape.str(whh.shape));
        Tensor acts = Tensor.alloc(whh.dtype(), new int[] {steps, batch, 5 * hidden}), out = Tensor.alloc(whh.dtype(), new int[] {2, steps, batch, hidden});
        if (whh.f != null)
            RecurrentKernelsF32.sequenceForward(gi.f, whh.f, h0.f, c0.f, steps, batch, hidden, reverse, acts.f, out.f);
        else RecurrentKernelsF64.sequenceForward(gi.d, whh.d, h0.d, c0.d, steps, batch, hidden, reverse, acts.d, out.d);
        return Tensor.record(Op.LSTM_SEQUENCE, out, new SequenceBackward(gi, whh, h0, c0, acts, out, reverse), gi, whh, h0, c0);
    }

    /** The backward of {@link #lstm}: {@code dz} (for both {@code gi} and {@code gh}) and {@code dc}. */
    private static final class LstmBackward extends AllInputs {
        private final Tensor gi, gh, c, acts;

        LstmBackward(Tensor gi, Tensor gh, Tensor c, Tensor acts) {
            super(gi, gh, c);
            this.gi = gi;
            this.gh = gh;
            this.c = c;
            this.acts = acts;
        }

        @Override
        Tensor[] fused(Tensor g) {
            int batch = c.shape[0], hidden = c.shape[1];
            Tensor dz = Tensor.alloc(c.dtype(), gi.shape), dc = Tensor.alloc(c.dtype(), c.shape);
            if (c.f != null) RecurrentKernelsF32.cellBackward(g.f, 0, hidden, 2 * hidden, null, 0, false, acts.f, 0, c.f, 0, batch, hidden, dz.f, 0, dc.f);
            else RecurrentKernelsF64.cellBackward(g.d, 0, hidden, 2 * hidden, null, 0, false, acts.d, 0, c.d, 0, batch, hidden, dz.d, 0, dc.d);
            return new Tensor[] {dz, dz, dc};
        }

        @Override
        Tensor[] recorded(Tensor g) {
            int h = c.shape[1];
            Tensor[] r = cellGradients(gi, gh, c, g.slice(-1, 0, h), g.slice(-1, h, 2 * h));
            return new Tensor[] {r[0], r[0], r[1]};
        }
    }

    /**
     * The backward of {@link #lstmSequence} through time: the gates' gradients {@code dZ} (that of {@code gi}),
     * {@code W_hh}'s as one product after the sweep, and the initial state's.
     */
    private static final class SequenceBackward extends AllInputs {
        private final Tensor gi, whh, h0, c0, acts, out;
        private final boolean reverse;

        SequenceBackward(Tensor gi, Tensor whh, Tensor h0, Tensor c0, Tensor acts, Tensor out, boolean reverse) {
            super(gi, whh, h0, c0);
            this.gi = gi;
            this.whh = whh;
            this.h0 = h0;
            this.c0 = c0;
            this.acts = acts;
            this.out = out;
            this.reverse = reverse;
        }

        @Override
        Tensor[] fused(Tensor g) {
            int steps = gi.shape[0], batch = gi.shape[1], hidden = whh.shape[1];
            DType t = whh.dtype();
            Tensor dz = Tensor.alloc(t, gi.shape), dw = Tensor.alloc(t, whh.shape), dh = Tensor.alloc(t, h0.shape), dc = Tensor.alloc(t, c0.shape);
            if (whh.f != null)
                RecurrentKernelsF32.sequenceBackward(g.f, acts.f, out.f, whh.f, h0.f, c0.f, steps, batch, hidden, reverse, dz.f, dh.f, dc.f, dw.f);
            else RecurrentKernelsF64.sequenceBackward(g.d, acts.d, out.d, whh.d, h0.d, c0.d, steps, batch, hidden, reverse, dz.d, dh.d, dc.d, dw.d);
            return new Tensor[] {dz, dw, dh, dc};
        }

        @Override
        Tensor[] recorded(Tensor g) {
            int steps = gi.shape[0], batch = gi.shape[1], hidden = whh.shape[1];
            Tensor[] dz = new Tensor[steps], prevH = new Tensor[steps];
            Tensor dh = null, dc = null;
            for (int s = steps - 1; s >= 0; s--) {
                int t = reverse ? steps - 1 - s : s, prev = reverse ? t + 1 : t - 1;
                Tensor hp = s == 0 ? h0 : state(out, 0, prev), cp = s == 0 ? c0 : state(out, 1, prev);
                Tensor gH = state(g, 0, t), gC = state(g, 1, t);
                if (dh != null) {
                    gH = gH.add(dh);
                    gC = gC.add(dc);
                }
                Tensor[] r = cellGradients(gi.slice(0, t, t + 1).reshape(batch, 4 * hidden), hp.matmulTransposed(whh), cp, gH, gC);
                dz[t] = r[0];
                prevH[t] = hp;
                dc = r[1];
                dh = r[0].matmul(whh);
            }
            Tensor dw = Tensor.cat(0, dz).transpose(0, 1).matmul(Tensor.cat(0, prevH));
            return new Tensor[] {Tensor.stack(0, dz), dw, dh, dc};
        }

        /** Step {@code t}'s {@code h} ({@code part} 0) or {@code c} (1) of a {@code [2, T, B, H]} tensor, as {@code [B, H]}. */
        private static Tensor state(Tensor x, int part, int t) {
            return x.slice(0, part, part + 1).slice(1, t, t + 1).reshape(x.shape[2], x.shape[3]);
        }
    }

    /**
     * The gradients {@code {dz, dc}} of one LSTM step (gates {@code gi + gh}, cell state {@code c}) for the cotangents
     * {@code gH} of {@code h'} and {@code gC} of {@code c'}, as recorded operations, so they can be differentiated again.
     */
    private static Tensor[] cellGradients(Tensor gi, Tensor gh, Tensor c, Tensor gH, Tensor gC) {
        int h = c.shape[1];
        Tensor z = gi.add(gh);
        Tensor i = z.slice(-1, 0, h).sigmoid(), f = z.slice(-1, h, 2 * h).sigmoid();
        Tensor cell = z.slice(-1, 2 * h, 3 * h).tanh(), o = z.slice(-1, 3 * h, 4 * h).sigmoid();
        Tensor t = f.mul(c).add(i.mul(cell)).tanh();
        Tensor d = gC.add(gH.mul(o).mul(oneMinus(t.square())));
        Tensor dz = Tensor.cat(-1, d.mul(cell).mul(i.mul(oneMinus(i))), d.mul(c).mul(f.mul(oneMinus(f))), d.mul(i).mul(oneMinus(cell.square())),
                gH.mul(t).mul(o.mul(oneMinus(o))));
        return new Tensor[] {dz, d.mul(f)};
    }

    private static Tensor oneMinus(Tensor x) { return x.neg().add(1); }
}
