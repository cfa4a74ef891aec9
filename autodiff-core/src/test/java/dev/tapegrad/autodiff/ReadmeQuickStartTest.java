package dev.tapegrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The README's quick start, as written there, with the values it claims. */
class ReadmeQuickStartTest {

    @Test
    void quickStartRunsAsDocumented() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);                 // FLOAT64 [2, 3]
        Tensor w = Tensor.randn(new Random(0), DType.FLOAT64, 3, 4).requiresGrad();  // a leaf that wants a gradient
        try (GradientTape tape = GradientTape.record()) {
            Tensor loss = x.matmul(w).tanh().sum();
            Gradients g = loss.backward();           // walks the graph in reverse
            Tensor dw = g.get(w);                    // same shape and dtype as w
            Tensor[] both = tape.gradient(loss, x, w);   // TF-style; x wants no gradient, so both[0] is null
            assertArrayEquals(w.shape(), dw.shape());
            assertNull(both[0]);
            assertArrayEquals(dw.toDoubleArray(), both[1].toDoubleArray(), 0);
        }

        // Second derivatives: the inner gradient is recorded on the outer tape.
        Tensor z = Tensor.of(new double[] {1, -2, 0.5}).requiresGrad();
        try (GradientTape outer = GradientTape.record()) {
            Tensor grad;
            try (GradientTape inner = GradientTape.record()) { grad = inner.gradient(z.pow(3).sum(), z)[0]; }  // 3z^2
            Tensor hessianTimesOnes = outer.gradient(grad.sum(), z)[0];                                         // 6z
            assertArrayEquals(new double[] {3, 12, 0.75}, grad.toDoubleArray(), 1e-12);
            assertArrayEquals(new double[] {6, -12, 3}, hessianTimesOnes.toDoubleArray(), 1e-12);
        }
        GradCheck.first("tanh", t -> t[0].tanh(), 42, Tensor.randn(new Random(1), DType.FLOAT64, 3, 4)).assertPassed();
    }
}
