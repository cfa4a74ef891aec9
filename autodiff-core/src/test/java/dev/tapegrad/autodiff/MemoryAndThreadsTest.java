package dev.tapegrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The graph is released when its tape closes; a tape left open is stopped before memory runs out; threads train independently. */
class MemoryAndThreadsTest {

    /** A small MLP trained by plain SGD on fixed data; returns the final weights. */
    private static double[] train(long seed, int steps) {
        Random r = new Random(seed);
        Tensor x = Tensor.randn(r, 64, 32), y = Tensor.randn(r, 64, 4);
        Parameter w1 = new Parameter(Tensor.randn(r, 32, 128).mul(0.1)), w2 = new Parameter(Tensor.randn(r, 128, 4).mul(0.1));
        for (int s = 0; s < steps; s++) {
            Gradients g;
            try (GradientTape tape = GradientTape.record()) {
                g = x.matmul(w1.value()).relu().matmul(w2.value()).sub(y).square().mean().backward();
            }
            w1.assign(w1.value().add(g.get(w1), -0.05));
            w2.assign(w2.value().add(g.get(w2), -0.05));
        }
        return Tensor.cat(0, w1.value().reshape(-1), w2.value().reshape(-1)).toDoubleArray();
    }

    @Test
    void twoThreadsTrainingTwoModelsGetWhatEachGetsAlone() throws Exception {
        double[] a = train(1, 30), b = train(2, 30);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<double[]> ta = () -> train(1, 30), tb = () -> train(2, 30);
            Future<double[]> fa = pool.submit(ta), fb = pool.submit(tb);
            assertArrayEquals(a, fa.get(), "model 1 trained beside model 2");
            assertArrayEquals(b, fb.get(), "model 2 trained beside model 1");
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void retainedHeapStaysFlatOverManySteps() {
        train(3, 20);
        long before = usedAfterGc();
        train(3, 400);
        long after = usedAfterGc();
        assertTrue(after - before < 8 << 20, "retained heap grew by " + ((after - before) >> 10) + " KB over 400 steps");
    }

    @Test
    void aTapeLeftOpenAcrossStepsIsStoppedWithAClearMessage() {
        long saved = GradientTape.budget;
        GradientTape.budget = 64 << 20;
        Tensor x = Tensor.randn(new Random(4), 256, 256), w = Tensor.randn(new Random(5), 256, 256).requiresGrad();
        try (GradientTape tape = GradientTape.record()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
                for (int step = 0; step < 10_000; step++) x.matmul(w).tanh().sum().backward();
            });
            assertTrue(e.getMessage().contains("left open across training steps") && e.getMessage().contains("MB"), e.getMessage());
        } finally {
            GradientTape.budget = saved;
        }
    }

    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
