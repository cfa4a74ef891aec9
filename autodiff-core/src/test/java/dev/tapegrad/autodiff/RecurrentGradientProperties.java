package dev.tapegrad.autodiff;

import static dev.tapegrad.autodiff.Checks.firstAndSecond;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Gradients of the fused recurrent cells (FLOAT64, random cotangents, first and second order). */
class RecurrentGradientProperties {

    /**
     * The primitive {@code LSTM_CELL} alone, and two steps chained as a layer chains them (the second step's cell state
     * and hidden projection are slices of the first's output, so the slices' in-place backward feeds the primitive).
     */
    @Property(tries = 40) @GradientProperty(Op.LSTM_CELL)
    void lstmCell(@ForAll @IntRange(min = 1, max = 3) int batch, @ForAll @IntRange(min = 1, max = 3) int hidden, @ForAll long seed) {
        Random r = new Random(seed);
        int h = hidden;
        Tensor gi = Gen.uniform(r, -2, 2, batch, 4 * h), gh = Gen.uniform(r, -2, 2, batch, 4 * h), c = Gen.uniform(r, -1.5, 1.5, batch, h);
        Tensor w = Gen.uniform(r, -1, 1, h, 4 * h);
        firstAndSecond("lstmCell", seed, t -> RecurrentCells.lstm(t[0], t[1], t[2]), gi, gh, c);
        firstAndSecond("lstmCell, two steps", seed, t -> {
            Tensor first = RecurrentCells.lstm(t[0], t[1], t[2]);
            Tensor second = RecurrentCells.lstm(t[0].mul(0.5), first.slice(-1, 0, h).matmul(t[3]), first.slice(-1, h, 2 * h));
            return second.slice(-1, 0, h).mul(first.slice(-1, 0, h));
        }, gi, gh, c, w);
    }

    /**
     * The primitive {@code LSTM_SEQUENCE} over 1 to 3 steps, both directions, from a random initial state (so the
     * product with {@code h0} in {@code W_hh}'s gradient counts), every step's {@code h} and {@code c} in the output.
     */
    @Property(tries = 40) @GradientProperty(Op.LSTM_SEQUENCE)
    void lstmSequence(@ForAll @IntRange(min = 1, max = 3) int steps, @ForAll @IntRange(min = 1, max = 2) int batch,
                      @ForAll @IntRange(min = 1, max = 2) int hidden, @ForAll boolean reverse, @ForAll long seed) {
        Random r = new Random(seed);
        Tensor gi = Gen.uniform(r, -2, 2, steps, batch, 4 * hidden), whh = Gen.uniform(r, -1, 1, 4 * hidden, hidden);
        Tensor h0 = Gen.uniform(r, -1, 1, batch, hidden), c0 = Gen.uniform(r, -1.5, 1.5, batch, hidden);
        firstAndSecond("lstmSequence" + (reverse ? ", reverse" : ""), seed, t -> RecurrentCells.lstmSequence(t[0], t[1], t[2], t[3], reverse), gi, whh, h0, c0);
    }

    /** A batch of more than one block of rows (16), which the primitive carries through time block by block. */
    @Property(tries = 4)
    void lstmSequenceOverSeveralBlocksOfRows(@ForAll @IntRange(min = 17, max = 20) int batch, @ForAll boolean reverse, @ForAll long seed) {
        Random r = new Random(seed);
        Tensor gi = Gen.uniform(r, -2, 2, 2, batch, 4), whh = Gen.uniform(r, -1, 1, 4, 1);
        Tensor h0 = Gen.uniform(r, -1, 1, batch, 1), c0 = Gen.uniform(r, -1.5, 1.5, batch, 1);
        firstAndSecond("lstmSequence, B " + batch, seed, t -> RecurrentCells.lstmSequence(t[0], t[1], t[2], t[3], reverse), gi, whh, h0, c0);
    }
}
