package dev.tapegrad.nn;

import dev.tapegrad.autodiff.DType;
import dev.tapegrad.autodiff.GradCheck;
import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * First and second derivatives through time of every recurrent layer and cell, against finite differences
 * ({@link GradCheck}, FLOAT64): with respect to the input, the initial state and every parameter, of the
 * output sequence and the final state together; one and two layers, one and two directions, batch first or
 * not, with and without an initial state and variable lengths.
 */
class RecurrentGradientTest {
    static final int IN = 2, HIDDEN = 3, T = 4, B = 3;

    record Config(int layers, boolean bidirectional, boolean batchFirst, boolean bias, boolean state, int[] lengths) {
        @Override
        public String toString() {
            return layers + " layers" + (bidirectional ? ", bidirectional" : "") + (batchFirst ? ", batch first" : "") + (bias ? "" : ", no bias")
                    + (state ? ", initial state" : "") + (lengths == null ? "" : ", lengths " + Arrays.toString(lengths));
        }
    }

    static Stream<Arguments> layers() {
        List<Config> configs = List.of(new Config(1, false, false, true, false, null), new Config(2, true, false, true, true, null),
                new Config(2, true, true, false, true, new int[] {4, 1, 3}), new Config(1, false, true, true, false, new int[] {2, 4, 3}));
        return Stream.of("tanh", "relu", "lstm", "gru").flatMap(kind -> configs.stream().map(c -> Arguments.of(kind, c)));
    }

    static Recurrent layer(String kind, Config c, Random r) {
        Recurrent m = switch (kind) {
            case "lstm" -> new LSTM(IN, HIDDEN, c.layers(), c.bias(), c.batchFirst(), 0, c.bidirectional(), r);
            case "gru" -> new GRU(IN, HIDDEN, c.layers(), c.bias(), c.batchFirst(), 0, c.bidirectional(), r);
            default -> new RNN(IN, HIDDEN, c.layers(), kind, c.bias(), c.batchFirst(), 0, c.bidirectional(), r);
        };
        m.to(DType.FLOAT64);
        return m;
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("layers")
    void layerGradientsThroughTime(String kind, Config c) {
        Random r = new Random(kind.hashCode() ^ c.toString().hashCode());
        Recurrent m = layer(kind, c, r);
        boolean lstm = kind.equals("lstm");
        int states = c.layers() * (c.bidirectional() ? 2 : 1);
        List<Tensor> inputs = new ArrayList<>();
        inputs.add(Tensor.randn(r, DType.FLOAT64, c.batchFirst() ? new int[] {B, T, IN} : new int[] {T, B, IN}));
        if (c.state()) inputs.add(Tensor.randn(r, DType.FLOAT64, states, B, HIDDEN));
        if (c.state() && lstm) inputs.add(Tensor.randn(r, DType.FLOAT64, states, B, HIDDEN));
        int first = inputs.size();
        for (Parameter p : m.parameters()) inputs.add(p.value());
        Function<Tensor[], Tensor> f = t -> {
            RecurrentState s = c.state() ? new RecurrentState(t[1], lstm ? t[2] : null) : null;
            RecurrentOutput o = Parameter.substituted(values(m, t, first), () -> m.forward(t[0], s, c.lengths()));
            return flat(o.output(), o.state().h(), o.state().c());
        };
        Tensor[] in = inputs.toArray(Tensor[]::new);
        GradCheck.first(kind + " " + c, f, 11, in).assertPassed();
        GradCheck.second(kind + " " + c, f, 12, in).assertPassed();
    }

    static Stream<Arguments> cells() {
        return Stream.of(Arguments.of("tanh", true), Arguments.of("relu", false), Arguments.of("lstm", true), Arguments.of("lstm", false),
                Arguments.of("gru", true), Arguments.of("gru", false));
    }

    @ParameterizedTest(name = "{0} cell, bias {1}")
    @MethodSource("cells")
    void cellGradients(String kind, boolean bias) {
        Random r = new Random(kind.hashCode() + (bias ? 1 : 0));
        RecurrentCell m = switch (kind) {
            case "lstm" -> new LSTMCell(IN, HIDDEN, bias, r);
            case "gru" -> new GRUCell(IN, HIDDEN, bias, r);
            default -> new RNNCell(IN, HIDDEN, bias, kind, r);
        };
        m.to(DType.FLOAT64);
        boolean lstm = kind.equals("lstm");
        List<Tensor> inputs = new ArrayList<>(List.of(Tensor.randn(r, DType.FLOAT64, B, IN), Tensor.randn(r, DType.FLOAT64, B, HIDDEN)));
        if (lstm) inputs.add(Tensor.randn(r, DType.FLOAT64, B, HIDDEN));
        int first = inputs.size();
        for (Parameter p : m.parameters()) inputs.add(p.value());
        Function<Tensor[], Tensor> f = t -> {
            RecurrentState s = Parameter.substituted(values(m, t, first), () -> m.step(t[0], new RecurrentState(t[1], lstm ? t[2] : null)));
            return flat(s.h(), s.c());
        };
        Tensor[] in = inputs.toArray(Tensor[]::new);
        GradCheck.first(kind + " cell", f, 21, in).assertPassed();
        GradCheck.second(kind + " cell", f, 22, in).assertPassed();
    }

    /** The non-null tensors flattened and concatenated. */
    static Tensor flat(Tensor... ts) { return Tensor.cat(0, Arrays.stream(ts).filter(t -> t != null).map(Tensor::flatten).toArray(Tensor[]::new)); }

    /** The module's parameters, in order, standing for {@code t[first..]} (see {@link Parameter#substituted}). */
    private static java.util.Map<Parameter, Tensor> values(Module m, Tensor[] t, int first) {
        java.util.Map<Parameter, Tensor> v = new java.util.IdentityHashMap<>();
        List<Parameter> ps = m.parameters();
        for (int i = 0; i < ps.size(); i++) v.put(ps.get(i), t[first + i]);
        return v;
    }
}
