package dev.tapegrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autodiff.DType;
import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Recurrent layers' names, initialisation, modes, variable lengths, their fit in Sequential and summary, and their errors. */
class RecurrentTest {

    private static Tensor randn(Random r, int... shape) { return Tensor.randn(r, DType.FLOAT64, shape); }

    @Test
    void parametersHavePyTorchNamesShapesAndInitialisation() {
        LSTM lstm = new LSTM(3, 4, 2, true, false, 0, true, new Random(1));
        Map<String, int[]> want = new LinkedHashMap<>();
        for (String s : List.of("_l0", "_l0_reverse", "_l1", "_l1_reverse")) {
            want.put("weight_ih" + s, new int[] {16, s.startsWith("_l0") ? 3 : 8});
            want.put("weight_hh" + s, new int[] {16, 4});
            want.put("bias_ih" + s, new int[] {16});
            want.put("bias_hh" + s, new int[] {16});
        }
        assertEquals(List.copyOf(want.keySet()), List.copyOf(lstm.namedParameters().keySet()));
        lstm.namedParameters().forEach((k, p) -> {
            assertArrayEquals(want.get(k), p.shape(), k);
            assertEquals(DType.FLOAT32, p.dtype());
            for (double v : p.value().toDoubleArray()) assertTrue(Math.abs(v) <= 0.5, k + ": " + v + " outside U(-1/sqrt(4), 1/sqrt(4))");
        });
        double[] all = lstm.parameters().stream().flatMapToDouble(p -> java.util.Arrays.stream(p.value().toDoubleArray())).toArray();
        double mean = java.util.Arrays.stream(all).average().orElseThrow(), var = java.util.Arrays.stream(all).map(v -> v * v).average().orElseThrow();
        assertEquals(0, mean, 0.03);
        assertEquals(0.25 / 3, var, 0.01);    // the variance of U(-0.5, 0.5)
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0"), List.copyOf(new GRU(3, 4, 1, false, false, 0, false, new Random(1)).namedParameters().keySet()));
        assertEquals(List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh"), List.copyOf(new GRUCell(3, 4, new Random(1)).namedParameters().keySet()));
        assertArrayEquals(new int[] {12, 3}, new GRUCell(3, 4, new Random(1)).namedParameters().get("weight_ih").shape());
        assertArrayEquals(new int[] {4, 4}, new RNNCell(3, 4, new Random(1)).namedParameters().get("weight_hh").shape());
    }

    @Test
    void shapesOfOutputsAndStates() {
        Random r = new Random(2);
        GRU gru = new GRU(3, 5, 3, true, true, 0, true, r);
        RecurrentOutput o = gru.forward(Tensor.randn(r, 2, 7, 3), null);
        assertArrayEquals(new int[] {2, 7, 10}, o.output().shape());
        assertArrayEquals(new int[] {6, 2, 5}, o.state().h().shape());
        assertNull(o.state().c());
        RecurrentOutput l = new LSTM(3, 5, r).forward(Tensor.randn(r, 7, 2, 3), null);
        assertArrayEquals(new int[] {7, 2, 5}, l.output().shape());
        assertArrayEquals(new int[] {1, 2, 5}, l.state().c().shape());
    }

    /** A one-layer LSTM is its cell applied step by step: same weights (renamed), same outputs and final state. */
    @Test
    void oneLayerLstmIsItsCellUnrolled() {
        Random r = new Random(3);
        LSTM lstm = new LSTM(3, 4, r);
        LSTMCell cell = new LSTMCell(3, 4, r);
        Map<String, Tensor> renamed = new LinkedHashMap<>();
        lstm.stateDict().forEach((k, v) -> renamed.put(k.replace("_l0", ""), v));
        cell.loadStateDict(renamed);
        Tensor x = Tensor.randn(r, 6, 2, 3);
        RecurrentState s0 = new RecurrentState(Tensor.randn(r, 1, 2, 4), Tensor.randn(r, 1, 2, 4));
        RecurrentOutput o = lstm.forward(x, s0);
        RecurrentState s = new RecurrentState(s0.h().reshape(2, 4), s0.c().reshape(2, 4));
        for (int t = 0; t < 6; t++) {
            s = cell.forward(x.slice(0, t, t + 1).reshape(2, 3), s);
            assertArrayEquals(s.h().toFloatArray(), o.output().slice(0, t, t + 1).reshape(2, 4).toFloatArray(), 1e-6f);
        }
        assertArrayEquals(s.c().toFloatArray(), o.state().c().toFloatArray(), 1e-6f);
    }

    /** Each sequence of a padded batch gives what it gives alone, cut to its length; zeros after it. */
    @Property(tries = 20)
    void paddedBatchEqualsEachSequenceAlone(@ForAll @IntRange(min = 0, max = 2) int kind, @ForAll boolean bidirectional, @ForAll boolean batchFirst,
                                            @ForAll long seed) {
        Random r = new Random(seed);
        Recurrent m = kind == 0 ? new LSTM(2, 3, 2, true, batchFirst, 0, bidirectional, r) : kind == 1 ? new GRU(2, 3, 2, true, batchFirst, 0, bidirectional, r)
                : new RNN(2, 3, 2, "tanh", true, batchFirst, 0, bidirectional, r);
        m.to(DType.FLOAT64);
        int steps = 5, batch = 3, states = 2 * (bidirectional ? 2 : 1), seqAxis = batchFirst ? 1 : 0, batchAxis = 1 - seqAxis;
        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++) lengths[b] = 1 + r.nextInt(steps);
        Tensor x = batchFirst ? randn(r, batch, steps, 2) : randn(r, steps, batch, 2);
        RecurrentState s0 = new RecurrentState(randn(r, states, batch, 3), kind == 0 ? randn(r, states, batch, 3) : null);
        RecurrentOutput all = m.forward(x, s0, lengths);
        for (int b = 0; b < batch; b++) {
            Tensor xb = x.slice(batchAxis, b, b + 1).slice(seqAxis, 0, lengths[b]);
            RecurrentState sb = new RecurrentState(s0.h().slice(1, b, b + 1), s0.c() == null ? null : s0.c().slice(1, b, b + 1));
            RecurrentOutput alone = m.forward(xb, sb);
            Tensor ob = all.output().slice(batchAxis, b, b + 1);
            assertArrayEquals(alone.output().toDoubleArray(), ob.slice(seqAxis, 0, lengths[b]).toDoubleArray(), 1e-12);
            assertTrue(ob.slice(seqAxis, lengths[b], steps).abs().sum().item() == 0, "zeros past the length");
            assertArrayEquals(alone.state().h().toDoubleArray(), all.state().h().slice(1, b, b + 1).toDoubleArray(), 1e-12);
            if (kind == 0) assertArrayEquals(alone.state().c().toDoubleArray(), all.state().c().slice(1, b, b + 1).toDoubleArray(), 1e-12);
        }
    }

    @Test
    void batchFirstIsTheTransposedLayout() {
        GRU a = new GRU(2, 3, 2, true, false, 0, true, new Random(4)), b = new GRU(2, 3, 2, true, true, 0, true, new Random(4));
        Tensor x = Tensor.randn(new Random(5), 6, 2, 2);
        assertArrayEquals(a.forward(x).transpose(0, 1).toFloatArray(), b.forward(x.transpose(0, 1)).toFloatArray(), 0f);
    }

    @Test
    void dropoutActsBetweenLayersInTrainingModeOnly() {
        Tensor x = Tensor.randn(new Random(6), 5, 2, 3);
        LSTM plain = new LSTM(3, 4, 2, true, false, 0, false, new Random(7));
        LSTM dropped = new LSTM(3, 4, 2, true, false, 0.5, false, new Random(7));
        LSTM again = new LSTM(3, 4, 2, true, false, 0.5, false, new Random(7));
        float[] reference = plain.forward(x).toFloatArray(), trained = dropped.forward(x).toFloatArray();
        assertFalse(java.util.Arrays.equals(reference, trained));
        assertArrayEquals(trained, again.forward(x).toFloatArray(), 0f);    // the masks come from the constructor's Random
        dropped.eval();
        assertArrayEquals(reference, dropped.forward(x).toFloatArray(), 0f);
        LSTM single = new LSTM(3, 4, 1, true, false, 0.5, false, new Random(8));
        assertArrayEquals(single.forward(x).toFloatArray(), new LSTM(3, 4, 1, true, false, 0, false, new Random(8)).forward(x).toFloatArray(), 0f);
    }

    @Test
    void fitsInSequentialAndTheSummary() {
        Random r = new Random(9);
        Sequential net = new Sequential(new LSTM(3, 8, 2, true, true, 0, false, r), new Linear(8, 2, r));
        assertArrayEquals(new int[] {4, 6, 2}, net.forward(Tensor.randn(r, 4, 6, 3)).shape());
        String summary = net.summary(6, 3);
        assertTrue(summary.contains("0 (LSTM)") && summary.contains("[-1, 6, 8]") && summary.contains(String.format("%,d", 4 * 8 * (3 + 8 + 2) + 4 * 8 * (8 + 8 + 2))),
                summary);
        assertTrue(new Sequential(new GRUCell(3, 5, r)).summary(3).contains("[-1, 5]"));
        assertArrayEquals(new int[] {2, 5}, new LSTMCell(3, 5, r).forward(Tensor.randn(r, 2, 3)).shape());
    }

    @Test
    void trainsOnFloat32WithParameterGradients() {
        Random r = new Random(10);
        RNN rnn = new RNN(3, 4, 2, "relu", true, false, 0, true, r);
        Tensor x = Tensor.randn(r, 5, 2, 3);
        dev.tapegrad.autodiff.Gradients g;
        try (var tape = dev.tapegrad.autodiff.GradientTape.record()) {
            g = rnn.forward(x).square().sum().backward();
        }
        for (Parameter p : rnn.parameters()) {
            assertEquals(DType.FLOAT32, g.get(p).dtype());
            assertTrue(g.get(p).abs().sum().item() > 0, p.name());
        }
    }

    @Test
    void badInputNamesTheLayerTheArgumentAndTheShapes() {
        Random r = new Random(11);
        LSTM lstm = new LSTM(3, 4, 2, true, false, 0, true, r);
        GRU gru = new GRU(3, 4, 1, true, true, 0, false, r);
        Tensor x = Tensor.randn(r, 5, 2, 3);
        fails("LSTM: input x must be [T, B, 3] with T and B positive, got [5, 2, 4]", () -> lstm.forward(Tensor.randn(r, 5, 2, 4)));
        fails("LSTM: input x must be [T, B, 3] with T and B positive, got [5, 3]", () -> lstm.forward(Tensor.randn(r, 5, 3)));
        fails("GRU: input x must be [B, T, 3] with T and B positive, got [2, 0, 3]", () -> gru.forward(Tensor.zeros(2, 0, 3)));
        fails("LSTM: state.h must be [4, 2, 4], got [2, 2, 4]", () -> lstm.forward(x, new RecurrentState(Tensor.zeros(2, 2, 4), Tensor.zeros(4, 2, 4))));
        fails("LSTM: state.c must be [4, 2, 4], got [4, 4]", () -> lstm.forward(x, new RecurrentState(Tensor.zeros(4, 2, 4), Tensor.zeros(4, 4))));
        fails("GRU: state.c must be null (this layer has no cell state), got [1, 5, 4]",
                () -> gru.forward(Tensor.zeros(5, 2, 3), new RecurrentState(Tensor.zeros(1, 5, 4), Tensor.zeros(1, 5, 4))));
        fails("LSTM: state.h is FLOAT64 but the parameters are FLOAT32",
                () -> lstm.forward(x, new RecurrentState(Tensor.zeros(DType.FLOAT64, 4, 2, 4), Tensor.zeros(4, 2, 4))));
        fails("LSTM: input x is FLOAT64 but the parameters are FLOAT32", () -> lstm.forward(x.to(DType.FLOAT64)));
        fails("LSTM: lengths[1] = 6 is outside [1, 5] (T = 5, lengths [5, 6])", () -> lstm.forward(x, null, new int[] {5, 6}));
        fails("LSTM: lengths[0] = 0 is outside [1, 5] (T = 5, lengths [0, 2])", () -> lstm.forward(x, null, new int[] {0, 2}));
        fails("LSTM: lengths has 3 entries for a batch of 2", () -> lstm.forward(x, null, new int[] {1, 2, 3}));
        fails("RNN: nonlinearity must be \"tanh\" or \"relu\", got \"sigmoid\"", () -> new RNN(3, 4, 1, "sigmoid", true, false, 0, false, r));
        fails("RNNCell: nonlinearity must be \"tanh\" or \"relu\", got null", () -> new RNNCell(3, 4, true, null, r));
        fails("GRU: inputSize 3, hiddenSize 0 and numLayers 1 must be positive", () -> new GRU(3, 0, r));
        fails("LSTM: dropout 1.0 must be in [0, 1)", () -> new LSTM(3, 4, 2, true, false, 1, false, r));
        LSTMCell cell = new LSTMCell(3, 4, r);
        fails("LSTMCell: input x must be [B, 3], got [5, 2, 3]", () -> cell.forward(x));
        fails("LSTMCell: state.c must be [2, 4], got [4, 2, 4]", () -> cell.forward(Tensor.zeros(2, 3), new RecurrentState(Tensor.zeros(2, 4), Tensor.zeros(4, 2, 4))));
        fails("GRUCell: state.h must be [2, 4], got [2, 5]", () -> new GRUCell(3, 4, r).forward(Tensor.zeros(2, 3), Tensor.zeros(2, 5)));
    }

    private static void fails(String message, Executable e) { assertEquals(message, assertThrows(IllegalArgumentException.class, e).getMessage()); }
}
