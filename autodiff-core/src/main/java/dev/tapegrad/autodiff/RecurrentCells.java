package dev.tapegrad.autodiff;

import dev.tapegrad.autodiff.kernel.RecurrentKernelsF32;
import dev.tapegrad.autodiff.kernel.RecurrentKernelsF64;
import java.util.Objects;

/**
 * Fused recurrent cells: {@link #lstm} is the primitive {@link Op#LSTM_CELL}, one step of an LSTM from its gate
 * pre-activations, in one pass forward and one backward (PyTorch's {@code _thnn_fused_lstm_cell}, which also takes
 * the input and hidden projections separately and keeps the activated gates for the backward).
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
        if (!java.util.Arrays.equals(gi.shape, gates) || !java.util.Arrays.equals(gh.shape, gates))
            throw new IllegalArgumentException("lstmCell: gi " + Shape.str(gi.shape) + " and gh " + Shape.str(gh.shape) + " must both be "
                    + Shape.str(gates) + " ([B, 4H]) for cell state c " + Shape.str(c.shape) + " ([B, H])");
        Tensor acts = Tensor.alloc(c.dtype(), new int[] {batch, 5 * hidden}), out = Tensor.alloc(c.dtype(), new int[] {batch, 2 * hidden});
        if (c.f != null) RecurrentKernelsF32.lstmForward(gi.f, gh.f, c.f, batch, hidden, acts.f, out.f);
        else RecurrentKernelsF64.lstmForward(gi.d, gh.d, c.d, batch, hidden, acts.d, out.d);
        return Tensor.record(Op.LSTM_CELL, out, new LstmBackward(gi, gh, c, acts), gi, gh, c);
    }

    /**
     * The backward of {@link #lstm}: one pass (or, while a tape records the sweep, one recorded formula) gives both
     * gradients of a cotangent, kept until every input that tracks a gradient has taken its own (the sweep asks input
     * by input), then dropped.
     */
    private static final class LstmBackward implements Node.Backward {
        private final Tensor gi, gh, c, acts;
        private Tensor lastG;
        private boolean lastRecorded;
        private Tensor[] grads;   // {dz, dc} for lastG

        LstmBackward(Tensor gi, Tensor gh, Tensor c, Tensor acts) {
            this.gi = gi;
            this.gh = gh;
            this.c = c;
            this.acts = acts;
        }

        @Override
        public Tensor grad(Tensor g, int input) {
            boolean recorded = GradientTape.isRecording();
            if (g != lastG || recorded != lastRecorded) {
                grads = recorded ? recorded(g) : fused(g);
                lastG = g;
                lastRecorded = recorded;
            }
            Tensor result = grads[input == 2 ? 1 : 0];
            if (input == lastTracking()) {
                lastG = null;
                grads = null;
            }
            return result;
        }

        private Tensor[] fused(Tensor g) {
            int batch = c.shape[0], hidden = c.shape[1];
            Tensor dz = Tensor.alloc(c.dtype(), gi.shape), dc = Tensor.alloc(c.dtype(), c.shape);
            if (c.f != null) RecurrentKernelsF32.lstmBackward(g.f, acts.f, c.f, batch, hidden, dz.f, dc.f);
            else RecurrentKernelsF64.lstmBackward(g.d, acts.d, c.d, batch, hidden, dz.d, dc.d);
            return new Tensor[] {dz, dc};
        }

        private int lastTracking() { return c.tracksGradient() ? 2 : gh.tracksGradient() ? 1 : 0; }

        /** {@code {dz, dc}} as recorded operations on {@code gi}, {@code gh}, {@code c} and {@code g}. */
        private Tensor[] recorded(Tensor g) {
            int h = c.shape[1];
            Tensor z = gi.add(gh);
            Tensor i = z.slice(-1, 0, h).sigmoid(), f = z.slice(-1, h, 2 * h).sigmoid();
            Tensor cell = z.slice(-1, 2 * h, 3 * h).tanh(), o = z.slice(-1, 3 * h, 4 * h).sigmoid();
            Tensor t = f.mul(c).add(i.mul(cell)).tanh(), gH = g.slice(-1, 0, h);
            Tensor d = g.slice(-1, h, 2 * h).add(gH.mul(o).mul(oneMinus(t.square())));
            Tensor dz = Tensor.cat(-1, d.mul(cell).mul(i.mul(oneMinus(i))), d.mul(c).mul(f.mul(oneMinus(f))), d.mul(i).mul(oneMinus(cell.square())),
                    gH.mul(t).mul(o.mul(oneMinus(o))));
            return new Tensor[] {dz, d.mul(f)};
        }

        private static Tensor oneMinus(Tensor x) { return x.neg().add(1); }
    }
}
