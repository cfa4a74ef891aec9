package dev.tapegrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Anomaly detection and graph inspection. */
class DebuggingTest {

    @Test
    void anomalyModeNamesTheForwardOperationAndTheLineThatCreatedIt() {
        Tensor x = Tensor.of(new double[] {1, 0, 2}).requiresGrad();
        try (GradientTape tape = GradientTape.record().detectAnomaly()) {
            Tensor y = x.mul(2);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.log());
            assertTrue(e.getMessage().contains("LOG") && e.getMessage().contains("an infinity") && e.getMessage().contains("[3]")
                    && e.getMessage().contains("DebuggingTest"), e.getMessage());
        }
        try (GradientTape tape = GradientTape.record()) {
            assertEquals(Double.NEGATIVE_INFINITY, x.mul(2).log().get(1), "off by default: IEEE arithmetic as usual");
        }
    }

    @Test
    void anomalyModeNamesTheBackwardRuleThatMadeNaN() {
        Tensor x = Tensor.of(new double[] {4, 0}).requiresGrad();
        try (GradientTape tape = GradientTape.record().detectAnomaly()) {
            Tensor y = x.sqrt();                                  // finite forward, but d sqrt at 0 is 1 / (2 sqrt 0) = infinity
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.sum().backward());
            assertTrue(e.getMessage().contains("backward of POW") && e.getMessage().contains("input 0") && e.getMessage().contains("DebuggingTest.java:"),
                    e.getMessage());
        }
        try (GradientTape tape = GradientTape.record()) {
            Tensor g = x.sqrt().sum().backward().get(x);
            assertEquals(Double.POSITIVE_INFINITY, g.get(1));
        }
        try (GradientTape tape = GradientTape.record().detectAnomaly()) {
            Tensor bad = Tensor.of(new double[] {Double.NaN}).requiresGrad();
            assertDoesNotThrow(() -> bad.mul(2).sum().backward(), "NaN in, NaN out is not an anomaly");
        }
    }

    @Test
    void graphsAsTextAndDot() {
        Tensor w = Tensor.ones(DType.FLOAT64, 3, 2).requiresGrad(), x = Tensor.ones(DType.FLOAT64, 4, 3);
        String text, dot;
        try (GradientTape tape = GradientTape.record().detectAnomaly()) {
            Tensor loss = x.matmul(w).tanh().sum();
            text = Graphs.describe(loss);
            dot = Graphs.dot(loss);
        }
        assertTrue(text.startsWith("%0 = SUM(%1) [] FLOAT64"), text);
        assertTrue(text.contains("%1 = TANH(%2) [4, 2] FLOAT64") && text.contains("%2 = MATMUL(const, %3) [4, 2] FLOAT64"), text);
        assertTrue(text.contains("%3 = leaf [3, 2] FLOAT64 (requiresGrad)") && text.contains("@ dev.tapegrad.autodiff.DebuggingTest.graphsAsTextAndDot"), text);
        assertTrue(dot.startsWith("digraph tapegrad {") && dot.contains("n3 -> n2;") && dot.contains("n2 -> n1;") && dot.contains("n1 -> n0;"), dot);
        assertEquals("%0 = leaf [3, 2] FLOAT64 (requiresGrad)\n", Graphs.describe(w));
        try (GradientTape tape = GradientTape.record()) {
            assertNull(w.mul(2).node.site, "no creation site recorded when anomaly detection is off");
        }
    }

    @Test
    void anInnerTapeDetectsAnomaliesOnlyWhileOpen() {
        Tensor x = Tensor.of(new double[] {0}).requiresGrad();
        try (GradientTape outer = GradientTape.record()) {
            try (GradientTape inner = GradientTape.record().detectAnomaly()) {
                assertThrows(IllegalStateException.class, () -> x.log());
            }
            assertEquals(Double.NEGATIVE_INFINITY, x.log().item(), "off again once the detecting tape closed");
        }
    }
}
