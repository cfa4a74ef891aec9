package dev.tapegrad.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WorkloadsTest {
    @Test
    void everyWorkloadRunsOnItsDeclaredInputAndGivesAFiniteValue() {
        for (String model : Workloads.MODELS) {
            int size = 1;
            for (int d : Workloads.inputShape(model)) size *= d;
            assertEquals(size, Workloads.inputs(model).length, model);
            assertEquals(Workloads.batch(model), Workloads.labels(model).length, model);
            try (Workloads.Step step = Workloads.tapegrad(model)) {
                double first = step.run();
                assertTrue(Double.isFinite(first) && Double.isFinite(step.run()), model + ": " + first);
            }
        }
    }

    @Test
    void shapesAndBatchesFollowTheNames() {
        assertArrayEquals(new int[] {256, 784}, Workloads.inputShape("mlp-256"));
        assertArrayEquals(new int[] {64, 1, 28, 28}, Workloads.inputShape("mnist-cnn-64"));
        assertArrayEquals(new int[] {64, 3, 32, 32}, Workloads.inputShape("lenet5-64"));
        assertArrayEquals(new int[] {1000, 784}, Workloads.inputShape("mnist-mlp-infer-1000"));
    }

    @Test
    void theDataIsJavaUtilRandomsAsThePythonPeerReplaysIt() {
        // The first values benchmarks/peers-python/peer_timing.py's JavaRandom must reproduce.
        assertEquals(0.7308782f, Workloads.inputs("mlp-64")[0]);
        assertArrayEquals(new int[] {8, 2, 0, 7}, java.util.Arrays.copyOf(Workloads.labels("mlp-64"), 4));
    }

    @Test
    void unknownNamesAreRefusedWithTheKnownOnes() {
        String message = assertThrows(IllegalArgumentException.class, () -> Workloads.batch("mlp-32")).getMessage();
        assertTrue(message.contains("unknown workload mlp-32; known: [mlp-64"), message);
        assertThrows(IllegalArgumentException.class, () -> Workloads.isCnn("lenet5-64"));
    }
}
