package dev.tapegrad.nn;

import dev.tapegrad.autodiff.DType;
import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Shape;
import dev.tapegrad.autodiff.Tensor;
import java.util.List;
import java.util.Random;

/**
 * What {@link RNNCell}, {@link LSTMCell} and {@link GRUCell} share: parameters {@code weight_ih}
 * {@code [gates * H, inputSize]}, {@code weight_hh} {@code [gates * H, H]}, {@code bias_ih}, {@code bias_hh}
 * {@code [gates * H]}, all from {@code U(-1/sqrt(H), 1/sqrt(H))} as PyTorch; one step of the {@link Recurrent.Cell}
 * on an input {@code [B, inputSize]} and a state {@code [B, H]}.
 */
abstract class RecurrentCell extends Module {
    final Recurrent.Cell cell;
    final int inputSize, hiddenSize;
    final boolean bias;

    RecurrentCell(Recurrent.Cell cell, int inputSize, int hiddenSize, boolean bias, Random random) {
        if (inputSize <= 0 || hiddenSize <= 0)
            throw new IllegalArgumentException(getClass().getSimpleName() + ": inputSize " + inputSize + " and hiddenSize " + hiddenSize
                    + " must be positive");
        long gateRows = (long) cell.gates * hiddenSize;
        Checks.fits(getClass().getSimpleName(), new long[] {gateRows, inputSize}, new long[] {gateRows, hiddenSize}, new long[] {bias ? 2 * gateRows : 0});
        this.cell = cell;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.bias = bias;
        double k = 1 / Math.sqrt(hiddenSize);
        int rows = (int) gateRows;
        param("weight_ih", Init.uniform(random, -k, k, rows, inputSize));
        param("weight_hh", Init.uniform(random, -k, k, rows, hiddenSize));
        if (bias) {
            param("bias_ih", Init.uniform(random, -k, k, rows));
            param("bias_hh", Init.uniform(random, -k, k, rows));
        }
    }

    /** The next hidden state {@code h'} for {@code x} {@code [B, inputSize]} from a zero state. */
    @Override
    public Tensor forward(Tensor x) { return step(x, null).h(); }

    /** One step from {@code state} ({@code null}: zeros). */
    final RecurrentState step(Tensor x, RecurrentState state) {
        List<Tensor> w = parameters().stream().map(Parameter::value).toList();   // weight_ih, weight_hh[, bias_ih, bias_hh]
        String name = getClass().getSimpleName();
        Checks.input(name, "x", x);
        if (x.rank() != 2 || x.size(1) != inputSize)
            throw new IllegalArgumentException(name + ": input x must be [B, " + inputSize + "], got " + Shape.str(x.shape()));
        DType dtype = w.get(0).dtype();
        Checks.dtype(name, "input x", x, dtype);
        int[] shape = {x.size(0), hiddenSize};
        boolean lstm = cell == Recurrent.Cell.LSTM;
        Tensor h = Recurrent.stateTensor(name, "h", state == null ? null : state.h(), shape, dtype, true);
        Tensor c = Recurrent.stateTensor(name, "c", state == null ? null : state.c(), shape, dtype, lstm);
        if (h == null) h = Tensor.zeros(dtype, shape);
        if (c == null && lstm) c = Tensor.zeros(dtype, shape);
        return cell.step(x.linear(w.get(0), bias ? w.get(2) : null), h.linear(w.get(1), bias ? w.get(3) : null), h, c);
    }
}
