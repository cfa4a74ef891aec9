package dev.tapegrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tapegrad.autodiff.DType;
import dev.tapegrad.autodiff.Gradients;
import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.io.Safetensors;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Recurrent layers and cells against PyTorch (FLOAT64 fixtures from {@code nn/tools/fixtures/recurrent.py}):
 * the PyTorch {@code state_dict} loads by name, and the outputs, final states and the gradients of a random
 * projection with respect to the input, the initial state and every parameter agree to 1e-10.
 */
class RecurrentFixtureTest {
    private static final double TOL = 1e-10;

    @ParameterizedTest
    @ValueSource(strings = {"rnn_tanh", "rnn_relu_2layers_bidirectional_state", "rnn_tanh_batch_first_lengths_no_bias", "lstm",
            "lstm_2layers_bidirectional_state", "lstm_batch_first_2layers_bidirectional_lengths_state", "gru", "gru_2layers_bidirectional_state",
            "gru_bidirectional_lengths_no_bias", "rnn_cell_relu", "lstm_cell", "gru_cell", "gru_cell_no_bias"})
    void matchesPyTorch(String name) throws URISyntaxException {
        Safetensors.Contents file = Safetensors.load(Path.of(getClass().getResource("/recurrent/" + name + ".safetensors").toURI()));
        Map<String, Tensor> t = file.tensors();
        Map<String, String> meta = file.metadata();
        Module m = module(meta);
        m.to(DType.FLOAT64);
        Map<String, Tensor> state = new LinkedHashMap<>();
        t.forEach((k, v) -> { if (k.startsWith("param.")) state.put(k.substring(6), v); });
        m.loadStateDict(state);

        Tensor x = t.get("x").requiresGrad();
        Tensor h0 = t.containsKey("h0") ? t.get("h0").requiresGrad() : null, c0 = t.containsKey("c0") ? t.get("c0").requiresGrad() : null;
        RecurrentState s0 = h0 == null ? null : new RecurrentState(h0, c0);
        Map<String, Tensor> results = new LinkedHashMap<>();
        Gradients g;
        try (GradientTape tape = GradientTape.record()) {
            switch (m) {
                case Recurrent r -> {
                    String lengths = meta.get("lengths");
                    RecurrentOutput o = r.forward(x, s0, lengths.isEmpty() ? null : Arrays.stream(lengths.split(",")).mapToInt(Integer::parseInt).toArray());
                    results.put("out", o.output());
                    results.put("hn", o.state().h());
                    if (o.state().c() != null) results.put("cn", o.state().c());
                }
                case LSTMCell cell -> {
                    RecurrentState s = cell.forward(x, s0);
                    results.put("hn", s.h());
                    results.put("cn", s.c());
                }
                case RNNCell cell -> results.put("hn", cell.forward(x, h0));
                case GRUCell cell -> results.put("hn", cell.forward(x, h0));
                default -> throw new AssertionError(m);
            }
            Tensor loss = Tensor.zeros(DType.FLOAT64);
            for (Map.Entry<String, Tensor> e : results.entrySet()) loss = loss.add(e.getValue().mul(t.get("v." + e.getKey())).sum());
            g = loss.backward();
        }
        assertEquals(t.keySet().stream().filter(k -> !k.contains(".") && !k.equals("x") && !k.startsWith("h0") && !k.startsWith("c0")).sorted().toList(),
                results.keySet().stream().sorted().toList());
        results.forEach((k, v) -> close(name + " " + k, t.get(k), v));
        close(name + " grad x", t.get("grad.x"), g.get(x));
        if (h0 != null) close(name + " grad h0", t.get("grad.h0"), g.get(h0));
        if (c0 != null) close(name + " grad c0", t.get("grad.c0"), g.get(c0));
        m.namedParameters().forEach((k, p) -> close(name + " grad " + k, t.get("grad.param." + k), g.get(p)));
    }

    private static Module module(Map<String, String> meta) {
        int in = Integer.parseInt(meta.get("input_size")), hidden = Integer.parseInt(meta.get("hidden_size"));
        boolean bias = Boolean.parseBoolean(meta.get("bias"));
        Random r = new Random(0);
        return switch (meta.get("type")) {
            case "RNNCell" -> new RNNCell(in, hidden, bias, meta.get("nonlinearity"), r);
            case "LSTMCell" -> new LSTMCell(in, hidden, bias, r);
            case "GRUCell" -> new GRUCell(in, hidden, bias, r);
            default -> {
                int layers = Integer.parseInt(meta.get("num_layers"));
                boolean batchFirst = Boolean.parseBoolean(meta.get("batch_first")), bidirectional = Boolean.parseBoolean(meta.get("bidirectional"));
                yield switch (meta.get("type")) {
                    case "RNN" -> new RNN(in, hidden, layers, meta.get("nonlinearity"), bias, batchFirst, 0, bidirectional, r);
                    case "LSTM" -> new LSTM(in, hidden, layers, bias, batchFirst, 0, bidirectional, r);
                    case "GRU" -> new GRU(in, hidden, layers, bias, batchFirst, 0, bidirectional, r);
                    default -> throw new AssertionError(meta);
                };
            }
        };
    }

    private static void close(String what, Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], TOL, what + " [" + i + "]");
    }
}
