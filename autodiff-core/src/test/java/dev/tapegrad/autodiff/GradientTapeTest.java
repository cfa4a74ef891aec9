package dev.tapegrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Recording rules and misuse of tapes and parameters. */
class GradientTapeTest {

    @Test
    void nothingIsRecordedOutsideATapeOrWithoutATrackedInput() {
        Tensor x = Tensor.scalar(2).requiresGrad();
        assertNull(x.exp().recordedOp());
        try (GradientTape tape = GradientTape.record()) {
            assertEquals(Op.EXP, x.exp().recordedOp());
            assertNull(Tensor.scalar(2).exp().recordedOp());
            assertNull(x.detach().exp().recordedOp());
        }
    }

    @Test
    void nothingIsRecordedWhilePaused() {
        Tensor x = Tensor.scalar(2).requiresGrad();
        try (GradientTape tape = GradientTape.record()) {
            try (GradientTape.Pause p = GradientTape.pause()) {
                assertFalse(GradientTape.isRecording());
                assertNull(x.exp().recordedOp());
            }
            assertTrue(GradientTape.isRecording());
        }
    }

    @Test
    void closingOutOfOrderIsRefused() {
        GradientTape outer = GradientTape.record();
        GradientTape inner = GradientTape.record();
        IllegalStateException e = assertThrows(IllegalStateException.class, outer::close);
        assertTrue(e.getMessage().contains("reverse order"), e.getMessage());
        inner.close();
        outer.close();
        outer.close(); // idempotent
    }

    @Test
    void backwardAfterCloseIsRefused() {
        Tensor x = Tensor.scalar(2).requiresGrad();
        Tensor y;
        GradientTape tape = GradientTape.record();
        try (tape) {
            y = x.square();
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("backward"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> tape.gradient(y, x));
        assertFalse(y.tracksGradient());
    }

    @Test
    void backwardOfAnUnrecordedTensorIsRefused() {
        Tensor x = Tensor.scalar(2);
        try (GradientTape tape = GradientTape.record()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.square().backward());
            assertTrue(e.getMessage().contains("not recorded"), e.getMessage());
        }
        Tensor w = Tensor.scalar(2).requiresGrad();
        assertThrows(IllegalStateException.class, () -> w.square().backward());
    }

    @Test
    void backwardOfANonScalarNeedsASeed() {
        Tensor x = Tensor.of(new double[] {1, 2}).requiresGrad();
        try (GradientTape tape = GradientTape.record()) {
            Tensor y = x.square();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, y::backward);
            assertTrue(e.getMessage().contains("[2]") && e.getMessage().contains("seed"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> y.backward(Tensor.of(new double[] {1, 1, 1})));
            assertThrows(IllegalArgumentException.class, () -> y.backward(Tensor.of(new float[] {1, 1})));
            assertEquals(4, y.backward(Tensor.of(new double[] {0, 1})).get(x).get(1), 0);
        }
    }

    @Test
    void parameterAssignWhileRecordingIsRefused() {
        Parameter p = new Parameter("w", Tensor.zeros(DType.FLOAT64, 2));
        try (GradientTape tape = GradientTape.record()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.assign(Tensor.ones(DType.FLOAT64, 2)));
            assertTrue(e.getMessage().contains("'w'"), e.getMessage());
            try (GradientTape.Pause pause = GradientTape.pause()) {
                p.assign(Tensor.ones(DType.FLOAT64, 2));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> p.assign(Tensor.ones(DType.FLOAT64, 3)));
        assertThrows(IllegalArgumentException.class, () -> p.assign(Tensor.ones(DType.FLOAT32, 2)));
        p.assign(Tensor.full(DType.FLOAT64, 3, 2));
        assertTrue(p.value().tracksGradient());
        try (GradientTape tape = GradientTape.record()) {
            assertEquals(2, p.value().sum().backward().get(p).numel());
        }
    }

    @Test
    void anotherThreadDoesNotSeeThisThreadsTape() throws Exception {
        Tensor x = Tensor.scalar(2).requiresGrad();
        try (GradientTape tape = GradientTape.record()) {
            AtomicReference<Op> seen = new AtomicReference<>(Op.NEG);
            AtomicReference<Throwable> closing = new AtomicReference<>();
            Thread t = new Thread(() -> {
                seen.set(x.exp().recordedOp());
                try {
                    tape.close();
                } catch (Throwable e) {
                    closing.set(e);
                }
            });
            t.start();
            t.join();
            assertNull(seen.get());
            assertTrue(closing.get() instanceof IllegalStateException);
            assertFalse(tape.isClosed());
        }
    }

    @Test
    void closingTheTapeReleasesTheGraph() {
        Tensor x = Tensor.randn(new java.util.Random(1), DType.FLOAT64, 100, 100).requiresGrad();
        Tensor[] loss = new Tensor[1];
        WeakReference<Tensor> intermediate;
        try (GradientTape tape = GradientTape.record()) {
            intermediate = recordTanhSum(x, loss);
            assertTrue(intermediate.get() != null && loss[0].tracksGradient());
            loss[0].backward();
        }
        for (int i = 0; i < 20 && intermediate.get() != null; i++) System.gc();
        assertNull(intermediate.get(), "the intermediate tensor is still reachable from the loss after the tape closed");
        assertFalse(loss[0].tracksGradient());
    }

    /** Records {@code loss = sum(tanh(x))} and returns a weak reference to {@code tanh(x)}; no frame keeps it. */
    private static WeakReference<Tensor> recordTanhSum(Tensor x, Tensor[] loss) {
        Tensor h = x.tanh();
        loss[0] = h.sum();
        return new WeakReference<>(h);
    }

    @Test
    void innerTapeBackwardIsRecordedOnTheOuterTapeOnly() {
        Tensor x = Tensor.scalar(1.5).requiresGrad();
        try (GradientTape outer = GradientTape.record()) {
            try (GradientTape inner = GradientTape.record()) {
                Tensor g = x.sin().backward().get(x);        // backward on the innermost tape
                assertEquals(Op.MUL, g.recordedOp());         // recorded on the outer tape
            }
            Tensor g2 = x.sin().backward().get(x);            // the outermost tape itself: not recorded
            assertNull(g2.recordedOp());
        }
    }
}
