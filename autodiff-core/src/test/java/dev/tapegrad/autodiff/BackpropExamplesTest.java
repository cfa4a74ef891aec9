package dev.tapegrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Hand-derived gradients of small graphs (micrograd's sanity checks, in tensors). */
class BackpropExamplesTest {

    @Test
    void fanOutSumsGradients() {
        // y = x*x + x  =>  dy/dx = 2x + 1
        Tensor x = Tensor.of(new double[] {-2, 0.5, 3}).requiresGrad();
        try (GradientTape tape = GradientTape.record()) {
            Tensor y = x.mul(x).add(x).sum();
            assertArrayEquals(new double[] {-3, 2, 7}, y.backward().get(x).toDoubleArray(), 0);
        }
    }

    @Test
    void tensorUsedOnTwoPaths() {
        // a = 2x; b = a*x; y = a + b = 2x + 2x^2  =>  dy/dx = 2 + 4x
        Tensor x = Tensor.scalar(3).requiresGrad();
        try (GradientTape tape = GradientTape.record()) {
            Tensor a = x.mul(2);
            Tensor y = a.add(a.mul(x));
            assertEquals(14, y.backward().get(x).item(), 0);
        }
    }

    @Test
    void micrograd_sanityCheck() {
        // x = -4; z = 2x + 2 + x; q = relu(z) + z*x; h = relu(z*z); y = h + q + q*x  (micrograd test_sanity_check)
        Tensor x = Tensor.scalar(-4).requiresGrad();
        try (GradientTape tape = GradientTape.record()) {
            Tensor z = x.mul(2).add(2).add(x);
            Tensor q = z.relu().add(z.mul(x));
            Tensor h = z.mul(z).relu();
            Tensor y = h.add(q).add(q.mul(x));
            assertEquals(-20, y.item(), 0);
            assertEquals(46, y.backward().get(x).item(), 1e-12);
        }
    }

    @Test
    void constantsGetNoGradientAndSourcesNotUsedGetNull() {
        Tensor x = Tensor.of(new double[] {1, 2}).requiresGrad();
        Tensor c = Tensor.of(new double[] {5, 7});
        Tensor unused = Tensor.of(new double[] {1}).requiresGrad();
        try (GradientTape tape = GradientTape.record()) {
            Tensor y = x.mul(c).sum();
            Tensor[] g = tape.gradient(y, x, c, unused);
            assertArrayEquals(new double[] {5, 7}, g[0].toDoubleArray(), 0);
            assertNull(g[1]);
            assertNull(g[2]);
            assertNull(y.backward().get(unused));
        }
    }

    @Test
    void broadcastingIsUndoneOnTheGradient() {
        // y = sum((A + b) * s), A [2,3], b [3], s scalar  =>  dy/db = [2s, 2s, 2s], dy/ds = sum(A) + 2 sum(b)
        Tensor a = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad();
        Tensor b = Tensor.of(new double[] {1, 1, 1}).requiresGrad();
        Tensor s = Tensor.scalar(2).requiresGrad();
        try (GradientTape tape = GradientTape.record()) {
            Gradients g = a.add(b).mul(s).sum().backward();
            assertArrayEquals(new double[] {4, 4, 4}, g.get(b).toDoubleArray(), 0);
            assertEquals(21 + 6, g.get(s).item(), 0);
            assertArrayEquals(new int[] {}, g.get(s).shape());
            assertArrayEquals(new double[] {2, 2, 2, 2, 2, 2}, g.get(a).toDoubleArray(), 0);
        }
    }

    @Test
    void matmulTanhExampleFromTheDesign() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor w = Tensor.randn(new Random(0), DType.FLOAT64, 3, 4).requiresGrad();
        try (GradientTape tape = GradientTape.record()) {
            Tensor loss = x.matmul(w).tanh().sum();
            Tensor dw = loss.backward().get(w);
            // d/dW sum(tanh(XW)) = X^T (1 - tanh(XW)^2)
            Tensor expected = x.transpose(0, 1).matmul(x.matmul(w).tanh().square().neg().add(1));
            assertArrayEquals(expected.toDoubleArray(), dw.toDoubleArray(), 1e-12);
            assertArrayEquals(new int[] {3, 4}, dw.shape());
            assertEquals(DType.FLOAT64, dw.dtype());
        }
    }

    @Test
    void hessianVectorProductThroughNestedTapes() {
        // f(x) = sum(x^3)  =>  grad = 3x^2, Hessian = diag(6x)
        Tensor x = Tensor.of(new double[] {1, -2, 0.5}).requiresGrad();
        Tensor v = Tensor.of(new double[] {1, 1, 2});
        try (GradientTape outer = GradientTape.record()) {
            Tensor grad;
            try (GradientTape inner = GradientTape.record()) {
                grad = inner.gradient(x.pow(3).sum(), x)[0];
            }
            assertArrayEquals(new double[] {3, 12, 0.75}, grad.toDoubleArray(), 1e-12);
            Tensor hv = outer.gradient(grad.mul(v).sum(), x)[0];
            assertArrayEquals(new double[] {6, -12, 6}, hv.toDoubleArray(), 1e-12);
        }
    }

    @Test
    void aGradientForSomeSourcesFormsOnlyTheirs() {
        // Inside a recording tape every gradient formed is recorded: asked for x's alone, a primitive that forms all its
        // inputs' gradients at once (convolution, layer norm, attention) must not form the others, and x's must be the same
        // as when all are asked for.
        Random r = new Random(5);
        Tensor x = Tensor.randn(r, DType.FLOAT64, 2, 3, 6, 6).requiresGrad();
        Tensor w = Tensor.randn(r, DType.FLOAT64, 4, 3, 3, 3).requiresGrad(), b = Tensor.randn(r, DType.FLOAT64, 4).requiresGrad();
        formsOnlyTheSourcesGradients(() -> Conv.conv2d(x, w, b, 2, 1).tanh().sum(), x, w, b);
        Tensor scale = Tensor.randn(r, DType.FLOAT64, 6).requiresGrad(), shift = Tensor.randn(r, DType.FLOAT64, 6).requiresGrad();
        formsOnlyTheSourcesGradients(() -> Normalization.layerNorm(x, new int[] {6}, scale, shift, 1e-5).square().sum(), x, scale, shift);
        Tensor k = Tensor.randn(r, DType.FLOAT64, 2, 5, 4).requiresGrad(), v = Tensor.randn(r, DType.FLOAT64, 2, 5, 3).requiresGrad();
        Tensor q = Tensor.randn(r, DType.FLOAT64, 2, 4, 4).requiresGrad();
        formsOnlyTheSourcesGradients(() -> Attention.scaledDotProduct(q, k, v, null, false).square().sum(), q, k, v);
    }

    @Test
    void backwardToSomeParametersGivesTheirsAlone() {
        // As PyTorch's loss.backward(inputs=...): a generator's update through the discriminator, without the latter's gradients.
        Random r = new Random(6);
        Parameter g = new Parameter(Tensor.randn(r, DType.FLOAT64, 3, 4)), d = new Parameter(Tensor.randn(r, DType.FLOAT64, 4, 1));
        Tensor z = Tensor.randn(r, DType.FLOAT64, 5, 3).requiresGrad();
        try (GradientTape tape = GradientTape.record()) {
            Tensor loss = z.matmul(g.value()).tanh().matmul(d.value()).sigmoid().sum();
            Gradients all = loss.backward(), generator = loss.backward(java.util.List.of(g));
            assertArrayEquals(all.get(g).toDoubleArray(), generator.get(g).toDoubleArray(), 0);
            assertEquals(1, generator.size(), "only the generator's gradient");
            assertNull(generator.get(d));
            assertNull(generator.get(z));
        }
        Tensor leaf = Tensor.scalar(1).requiresGrad();
        assertMessage(IllegalArgumentException.class, () -> leaf.backward(java.util.List.of()), "backward: inputs is empty");
        assertMessage(NullPointerException.class, () -> leaf.backward((java.util.Collection<Parameter>) null), "backward: inputs is null");
        assertMessage(NullPointerException.class, () -> leaf.backward(java.util.Arrays.asList(g, null)), "backward: inputs holds null");
        try (GradientTape tape = GradientTape.record()) {
            Tensor y = leaf.mul(2);
            assertMessage(NullPointerException.class, () -> tape.gradient(y, leaf, null), "gradient: source 1 is null");
            assertMessage(NullPointerException.class, () -> tape.gradient(y, (Tensor[]) null), "gradient: sources is null");
        }
    }

    private static void assertMessage(Class<? extends Throwable> type, org.junit.jupiter.api.function.Executable call, String message) {
        Throwable e = org.junit.jupiter.api.Assertions.assertThrows(type, call);
        assertTrue(e.getMessage() != null && e.getMessage().contains(message), "message: " + e.getMessage());
    }

    /** {@code f()}'s gradient for {@code x} alone records fewer operations on an outer tape than for all, and is the same. */
    private static void formsOnlyTheSourcesGradients(java.util.function.Supplier<Tensor> f, Tensor x, Tensor... others) {
        try (GradientTape outer = GradientTape.record()) {
            Tensor y = f.get();
            Tensor[] all = new Tensor[others.length + 1];
            all[0] = x;
            System.arraycopy(others, 0, all, 1, others.length);
            int start = outer.recordedOperations();
            Tensor[] onlyX, every;
            try (GradientTape inner = GradientTape.record()) {
                onlyX = inner.gradient(y, x);
            }
            int forX = outer.recordedOperations() - start;
            try (GradientTape inner = GradientTape.record()) {
                every = inner.gradient(y, all);
            }
            int forAll = outer.recordedOperations() - start - forX;
            assertArrayEquals(every[0].toDoubleArray(), onlyX[0].toDoubleArray(), 0);
            assertTrue(forX < forAll - 1, "recorded for x alone " + forX + ", for all " + forAll);
            Gradients g = y.backward();
            for (int i = 1; i < all.length; i++) assertArrayEquals(g.get(all[i]).toDoubleArray(), every[i].toDoubleArray(), 1e-9);
        }
    }

    @Test
    void aChainOfAMillionOperationsBackpropagates() {
        Tensor x = Tensor.scalar(1).requiresGrad();
        try (GradientTape tape = GradientTape.record()) {
            Tensor y = x;
            for (int i = 0; i < 1_000_000; i++) y = y.add(1e-6);
            assertEquals(1, y.backward().get(x).item(), 0);
        }
    }

    @Test
    void severalBackwardPassesOverOneTape() {
        Tensor x = Tensor.scalar(2).requiresGrad();
        try (GradientTape tape = GradientTape.record()) {
            Tensor y = x.square();
            assertEquals(4, y.backward().get(x).item(), 0);
            assertEquals(4, y.backward().get(x).item(), 0);
            assertEquals(12, y.backward(Tensor.scalar(3)).get(x).item(), 0);
        }
    }
}
