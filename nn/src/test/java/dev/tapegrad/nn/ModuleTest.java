package dev.tapegrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autodiff.DType;
import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Registration, names, modes, state dicts and the summary. */
class ModuleTest {

    /** Two linear layers sharing the first one's weight (tied weights). */
    static final class Tied extends Module {
        final Linear a, b;

        Tied(Random r) {
            a = child("a", new Linear(3, 3, r));
            b = child("b", new Linear(3, 3, r));
            param("shared", a.weight);
        }

        @Override
        public Tensor forward(Tensor x) { return b.forward(a.forward(x)); }
    }

    @Test
    void namesAreDottedAndInRegistrationOrder() {
        Sequential s = new Sequential(new Linear(4, 3, new Random(1)), new ReLU(), new Sequential(new Linear(3, 2, new Random(2)), new BatchNorm1d(2)));
        assertEquals(List.of("0.weight", "0.bias", "2.0.weight", "2.0.bias", "2.1.weight", "2.1.bias"), List.copyOf(s.namedParameters().keySet()));
        assertEquals(List.of("2.1.running_mean", "2.1.running_var", "2.1.num_batches_tracked"), List.copyOf(s.namedBuffers().keySet()));
        assertEquals(4 * 3 + 3 + 3 * 2 + 2 + 2 + 2, s.parameterCount());
    }

    @Test
    void tiedParametersAreCountedOnce() {
        Tied t = new Tied(new Random(1));
        // as PyTorch: a module's own parameters come before its children's, so the tied weight is listed as "shared"
        assertEquals(List.of("shared", "a.bias", "b.weight", "b.bias"), List.copyOf(t.namedParameters().keySet()));
        assertEquals(4, t.parameters().size());
    }

    @Test
    void duplicateAndDottedNamesAreRefused() {
        class Bad extends Module {
            Bad(String second) {
                param("w", Tensor.zeros(1));
                param(second, Tensor.zeros(1));
            }

            @Override
            public Tensor forward(Tensor x) { return x; }
        }
        LayerGradientTest.assertMessage(() -> new Bad("w"), "Bad", "'w'", "already registered");
        LayerGradientTest.assertMessage(() -> new Bad("a.b"), "'a.b'");
    }

    @Test
    void trainAndEvalReachEveryDescendant() {
        Sequential s = new Sequential(new Dropout(0.5, new Random(1)), new Sequential(new BatchNorm1d(2)));
        s.eval();
        assertFalse(s.get(0).isTraining());
        assertFalse(((Sequential) s.get(1)).get(0).isTraining());
        s.train();
        assertTrue(((Sequential) s.get(1)).get(0).isTraining());
    }

    @Test
    void stateDictRoundTripsAndLoadsStrictly() {
        Sequential a = new Sequential(new Linear(3, 2, new Random(1)), new BatchNorm1d(2));
        Sequential b = new Sequential(new Linear(3, 2, new Random(2)), new BatchNorm1d(2));
        a.forward(Tensor.randn(new Random(3), 4, 3));             // moves a's running statistics
        b.loadStateDict(a.stateDict());
        Tensor x = Tensor.randn(new Random(4), 5, 3);
        a.eval();
        b.eval();
        assertArrayEquals(a.forward(x).toFloatArray(), b.forward(x).toFloatArray());

        Map<String, Tensor> bad = new LinkedHashMap<>(a.stateDict());
        bad.remove("0.bias");
        bad.put("0.weight", Tensor.zeros(3, 2));
        bad.put("extra", Tensor.zeros(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(bad));
        assertTrue(e.getMessage().contains("missing key '0.bias'") && e.getMessage().contains("unexpected key 'extra'")
                && e.getMessage().contains("shape mismatch for '0.weight': model has [2, 3], state has [3, 2]"), e.getMessage());
    }

    @Test
    void aCounterMustHoldACountAndNullsAreNamed() {
        Sequential net = new Sequential(new Linear(3, 2, new Random(1)), new BatchNorm1d(2));
        Map<String, Tensor> before = net.stateDict();
        for (double bad : new double[] {1.5, -3, Double.NaN}) {   // were loaded, and saveModel then failed ("to be written as I64 but holds 1.5")
            Map<String, Tensor> state = new LinkedHashMap<>(before);
            state.put("1.num_batches_tracked", Tensor.scalar(DType.FLOAT32, bad));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.loadStateDict(state));
            assertEquals("Sequential.loadStateDict: counter '1.num_batches_tracked' holds " + bad + ", not a count (an integer >= 0)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> net.get(1).namedBuffers().get("num_batches_tracked").set(Tensor.scalar(bad)));
            assertTrue(e.getMessage().startsWith("Buffer.set: counter 'num_batches_tracked' holds "), e.getMessage());
        }
        assertEquals(0, net.stateDict().get("1.num_batches_tracked").item(), 0);
        assertEquals("Sequential.loadStateDict: state is null", assertThrows(NullPointerException.class, () -> net.loadStateDict(null)).getMessage());
        Map<String, Tensor> nullValue = new LinkedHashMap<>(before);
        nullValue.put("0.bias", null);
        assertEquals("Sequential.loadStateDict: '0.bias' is null", assertThrows(NullPointerException.class, () -> net.loadStateDict(nullValue)).getMessage());
    }

    @Test
    void toConvertsParametersAndBuffersInPlace() {
        Sequential s = new Sequential(new Linear(3, 2, new Random(1)), new BatchNorm1d(2));
        Parameter w = s.parameters().get(0);
        s.to(DType.FLOAT64);
        assertEquals(DType.FLOAT64, w.dtype());
        assertEquals(DType.FLOAT64, s.namedBuffers().get("1.running_mean").value().dtype());
        assertEquals(DType.FLOAT64, s.forward(Tensor.zeros(DType.FLOAT64, 2, 3)).dtype());
    }

    @Test
    void summaryListsLayersShapesAndParameters() {
        Sequential s = new Sequential(new Linear(784, 392, new Random(1)), new Sigmoid(), new Linear(392, 10, new Random(2)));
        String text = s.summary(784);
        assertTrue(text.contains("0 (Linear)") && text.contains("[-1, 392]") && text.contains("307,720"), text);
        assertTrue(text.contains("2 (Linear)") && text.contains("[-1, 10]") && text.contains("3,930"), text);
        assertTrue(text.contains("Total params: 311,650"), text);
        assertTrue(s.isTraining());
    }
}
