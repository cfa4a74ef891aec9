package dev.tapegrad.nn;

import dev.tapegrad.autodiff.DType;
import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.RecurrentCells;
import dev.tapegrad.autodiff.Shape;
import dev.tapegrad.autodiff.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * What {@link RNN}, {@link LSTM} and {@link GRU} share: the parameters, the stack of layers and directions,
 * variable lengths, dropout between layers and the checks; the three differ only in their {@link Cell}.
 *
 * <p>Each layer and direction projects its whole input sequence with one product, {@code X W_ih^T + b_ih} for
 * {@code X} {@code [T B, in]}, and step {@code t} takes its slice of that and adds {@code h W_hh^T + b_hh}; a
 * layer's outputs are stacked (directions concatenated) into the next layer's input. One product over all steps
 * runs far faster than {@code T} small ones, and the backward pass adds each step's slice of the gradient
 * straight into the projection's gradient (the sweep does that for slices), so it stays {@code O(T)}; each step's
 * term of {@code W_hh}'s gradient is multiplied straight into its sum. The RNN and LSTM cells only ever use
 * {@code gi + gh}, so their {@code b_hh} joins {@code b_ih} in the projection (added once, not at every step, and
 * its gradient summed once); GRU's {@code b_hn} is inside {@code r (W_hn h + b_hn)} and stays in {@code gh}. An
 * LSTM layer's direction over full-length sequences is one primitive, {@link RecurrentCells#lstmSequence}, whose
 * backward through time forms {@code W_hh}'s gradient as one product over all steps; with {@code lengths} its steps
 * are recorded one by one (the masks select between each step's state and the previous one).
 */
abstract class Recurrent extends Module {

    /** A cell's update from its input projection {@code gi = x W_ih^T + b_ih} and {@code gh = h W_hh^T + b_hh}. */
    enum Cell {
        /** {@code h' = tanh(gi + gh)}. */
        TANH(1),
        /** {@code h' = relu(gi + gh)}. */
        RELU(1),
        /**
         * Gates in PyTorch's order {@code i, f, g, o} along the last axis: {@code i = sigmoid(.), f = sigmoid(.),
         * g = tanh(.), o = sigmoid(.)} of {@code gi + gh}; {@code c' = f c + i g}, {@code h' = o tanh(c')}: the fused
         * primitive {@link RecurrentCells#lstm} (one pass forward and one backward instead of 14 recorded operations).
         */
        LSTM(4),
        /**
         * Gates {@code r, z, n}: {@code r = sigmoid(gi_r + gh_r)}, {@code z = sigmoid(gi_z + gh_z)},
         * {@code n = tanh(gi_n + r gh_n)} (so {@code b_hn} stays inside the product with {@code r}, as in PyTorch),
         * {@code h' = (1 - z) n + z h}, computed as {@code n + z (h - n)}.
         */
        GRU(3);

        final int gates;

        Cell(int gates) { this.gates = gates; }

        RecurrentState step(Tensor gi, Tensor gh, Tensor h, Tensor c) {
            int n = h.size(-1);
            return switch (this) {
                case TANH -> new RecurrentState(gi.add(gh).tanh());
                case RELU -> new RecurrentState(gi.add(gh).relu());
                case LSTM -> {
                    Tensor hc = RecurrentCells.lstm(gi, gh, c);
                    yield new RecurrentState(hc.slice(-1, 0, n), hc.slice(-1, n, 2 * n));
                }
                case GRU -> {
                    Tensor r = gi.slice(-1, 0, n).add(gh.slice(-1, 0, n)).sigmoid();
                    Tensor z = gi.slice(-1, n, 2 * n).add(gh.slice(-1, n, 2 * n)).sigmoid();
                    Tensor nn = gi.slice(-1, 2 * n, 3 * n).add(r.mul(gh.slice(-1, 2 * n, 3 * n))).tanh();
                    yield new RecurrentState(nn.add(z.mul(h.sub(nn))));
                }
            };
        }

    }

    final Cell cell;
    final int inputSize, hiddenSize, numLayers, directions;
    final boolean bias, batchFirst;
    private final Dropout dropout;

    Recurrent(Cell cell, int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout,
              boolean bidirectional, Random random) {
        String name = getClass().getSimpleName();
        if (inputSize <= 0 || hiddenSize <= 0 || numLayers <= 0)
            throw new IllegalArgumentException(name + ": inputSize " + inputSize + ", hiddenSize " + hiddenSize + " and numLayers " + numLayers
                    + " must be positive");
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException(name + ": dropout " + dropout + " must be in [0, 1)");
        long gateRows = (long) cell.gates * hiddenSize, d = bidirectional ? 2 : 1;   // weight_ih of layer 0, of the layers above, weight_hh, biases
        Checks.fits(name, new long[] {d, gateRows, inputSize}, new long[] {d * (numLayers - 1), gateRows, d * hiddenSize},
                new long[] {d * numLayers, gateRows, hiddenSize}, new long[] {d * numLayers, bias ? 2 * gateRows : 0});
        this.cell = cell;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.numLayers = numLayers;
        this.directions = bidirectional ? 2 : 1;
        this.bias = bias;
        this.batchFirst = batchFirst;
        this.dropout = dropout > 0 ? new Dropout(dropout, random) : null;
        if (dropout > 0) random("random", random);
        double k = 1 / Math.sqrt(hiddenSize);
        int rows = (int) gateRows;
        for (int layer = 0; layer < numLayers; layer++)
            for (int dir = 0; dir < directions; dir++) {
                String suffix = "_l" + layer + (dir == 1 ? "_reverse" : "");
                int in = layer == 0 ? inputSize : hiddenSize * directions;
                param("weight_ih" + suffix, Init.uniform(random, -k, k, rows, in));
                param("weight_hh" + suffix, Init.uniform(random, -k, k, rows, hiddenSize));
                if (bias) {
                    param("bias_ih" + suffix, Init.uniform(random, -k, k, rows));
                    param("bias_hh" + suffix, Init.uniform(random, -k, k, rows));
                }
            }
    }

    /**
     * The output sequence for a zero initial state: {@code [T, B, D * H]}, or {@code [B, T, D * H]} with
     * {@code batchFirst}; what {@link Sequential} and {@link #summary} call. ({@code summary(shape...)} puts a
     * batch of 1 in front of {@code shape}: for a layer that is not batch first that leading 1 is {@code T}.)
     */
    @Override
    public Tensor forward(Tensor x) { return forward(x, null, null).output(); }

    /**
     * The output sequence and the final state, starting from {@code state} ({@code null}: zeros).
     *
     * @param x     {@code [T, B, inputSize]}, or {@code [B, T, inputSize]} with {@code batchFirst}
     * @param state {@code h} (and {@code c} for an LSTM) of shape {@code [numLayers * D, B, hiddenSize]}, or {@code null}
     */
    public RecurrentOutput forward(Tensor x, RecurrentState state) { return forward(x, state, null); }

    /**
     * A batch of sequences of different lengths, padded to {@code T}: sequence {@code b} has its first
     * {@code lengths[b]} steps valid. Its outputs past that length are zeros, and its final state is the one
     * after its last valid step (in the reverse direction, the state after step 0, the reverse pass starting
     * from step {@code lengths[b] - 1}): what PyTorch gives for {@code pack_padded_sequence(x, lengths,
     * enforce_sorted=False)} unpacked with {@code pad_packed_sequence(..., total_length=T)}. {@code lengths}
     * {@code null} means every sequence is {@code T} long.
     */
    public RecurrentOutput forward(Tensor x, RecurrentState state, int[] lengths) {
        List<Tensor> w = parameters().stream().map(Parameter::value).toList();   // in namedParameters() order
        String name = getClass().getSimpleName();
        Checks.input(name, "x", x);
        if (x.rank() != 3 || x.size(2) != inputSize || x.size(0) == 0 || x.size(1) == 0)
            throw new IllegalArgumentException(name + ": input x must be " + (batchFirst ? "[B, T, " : "[T, B, ") + inputSize
                    + "] with T and B positive, got " + Shape.str(x.shape()));
        DType dtype = w.get(0).dtype();
        Checks.dtype(name, "input x", x, dtype);
        Tensor seq = batchFirst ? x.transpose(0, 1) : x;
        int steps = seq.size(0), batch = seq.size(1), states = numLayers * directions;
        int[] stateShape = {states, batch, hiddenSize};
        Tensor h0 = stateTensor(name, "h", state == null ? null : state.h(), stateShape, dtype, true);
        Tensor c0 = stateTensor(name, "c", state == null ? null : state.c(), stateShape, dtype, cell == Cell.LSTM);
        Tensor[] masks = masks(name, lengths, steps, batch, dtype);
        Tensor[] hn = new Tensor[states], cn = new Tensor[states];
        int per = bias ? 4 : 2;
        Tensor input = seq;
        for (int layer = 0; layer < numLayers; layer++) {
            Tensor[] outs = new Tensor[directions];
            Tensor flat = input.reshape(steps * batch, input.size(2));
            for (int dir = 0; dir < directions; dir++) {
                int k = layer * directions + dir, at = k * per;
                Tensor wih = w.get(at), whh = w.get(at + 1), bih = bias ? w.get(at + 2) : null, bhh = bias ? w.get(at + 3) : null;
                boolean fold = bias && cell != Cell.GRU;
                Tensor xw = flat.linear(wih, fold ? bih.add(bhh) : bih), bh = fold ? null : bhh;
                Tensor h = h0 == null ? Tensor.zeros(dtype, batch, hiddenSize) : h0.slice(0, k, k + 1).reshape(batch, hiddenSize);
                Tensor c = cell != Cell.LSTM ? null : c0 == null ? Tensor.zeros(dtype, batch, hiddenSize) : c0.slice(0, k, k + 1).reshape(batch, hiddenSize);
                if (cell == Cell.LSTM && masks == null) {
                    Tensor hc = RecurrentCells.lstmSequence(xw.reshape(steps, batch, cell.gates * hiddenSize), whh, h, c, dir == 1);
                    int last = dir == 0 ? steps - 1 : 0;
                    outs[dir] = hc.slice(0, 0, 1).reshape(steps, batch, hiddenSize);
                    hn[k] = outs[dir].slice(0, last, last + 1).reshape(batch, hiddenSize);
                    cn[k] = hc.slice(0, 1, 2).slice(1, last, last + 1).reshape(batch, hiddenSize);
                    continue;
                }
                Tensor[] ys = new Tensor[steps];
                for (int s = 0; s < steps; s++) {
                    int t = dir == 0 ? s : steps - 1 - s;
                    RecurrentState next = cell.step(xw.slice(0, t * batch, (t + 1) * batch), h.linear(whh, bh), h, c);
                    if (masks == null) {
                        h = next.h();
                        c = next.c();
                        ys[t] = h;
                    } else {
                        ys[t] = next.h().mul(masks[t]);
                        h = Tensor.where(masks[t], next.h(), h);
                        if (c != null) c = Tensor.where(masks[t], next.c(), c);
                    }
                }
                outs[dir] = Tensor.stack(0, ys);
                hn[k] = h;
                cn[k] = c;
            }
            input = directions == 1 ? outs[0] : Tensor.cat(2, outs[0], outs[1]);
            if (dropout != null && layer < numLayers - 1 && isTraining()) input = dropout.forward(input);
        }
        return new RecurrentOutput(batchFirst ? input.transpose(0, 1) : input,
                new RecurrentState(Tensor.stack(0, hn), cell == Cell.LSTM ? Tensor.stack(0, cn) : null));
    }

    /** Checks a state tensor ({@code null} stays {@code null}: zeros). */
    static Tensor stateTensor(String name, String part, Tensor t, int[] shape, DType dtype, boolean wanted) {
        if (!wanted) {
            if (t != null) throw new IllegalArgumentException(name + ": state." + part + " must be null (this layer has no cell state), got "
                    + Shape.str(t.shape()));
            return null;
        }
        if (t == null) return null;
        if (!Arrays.equals(t.shape(), shape))
            throw new IllegalArgumentException(name + ": state." + part + " must be " + Shape.str(shape) + ", got " + Shape.str(t.shape()));
        return Checks.dtype(name, "state." + part, t, dtype);
    }

    /** Per step, {@code [B, 1]} with 1 where the step is within the sequence's length; {@code null} when every sequence is full. */
    private static Tensor[] masks(String name, int[] lengths, int steps, int batch, DType dtype) {
        if (lengths == null) return null;
        if (lengths.length != batch)
            throw new IllegalArgumentException(name + ": lengths has " + lengths.length + " entries for a batch of " + batch);
        boolean full = true;
        for (int b = 0; b < batch; b++) {
            if (lengths[b] < 1 || lengths[b] > steps)
                throw new IllegalArgumentException(name + ": lengths[" + b + "] = " + lengths[b] + " is outside [1, " + steps + "] (T = " + steps
                        + ", lengths " + Arrays.toString(lengths) + ")");
            full &= lengths[b] == steps;
        }
        if (full) return null;
        Tensor[] masks = new Tensor[steps];
        for (int t = 0; t < steps; t++) {
            double[] m = new double[batch];
            for (int b = 0; b < batch; b++) m[b] = t < lengths[b] ? 1 : 0;
            masks[t] = Tensor.of(m, batch, 1).to(dtype);
        }
        return masks;
    }
}
