package dev.tapegrad.autodiff.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The worker pool: every index once, failures rethrown on the caller, nested work inline, the split fixed by the sizes. */
class ParallelTest {

    @Test
    void everyTaskRunsExactlyOnce() {
        int[] runs = new int[1000];
        Parallel.tasks(runs.length, t -> runs[t]++);
        int[] ones = new int[1000];
        java.util.Arrays.fill(ones, 1);
        assertArrayEquals(ones, runs);
    }

    @Test
    void rangesCoverEveryRowOnceAlignedToTheBlock() {
        int[] hits = new int[1003];
        AtomicInteger ranges = new AtomicInteger();
        Parallel.range(hits.length, 8, Long.MAX_VALUE, (from, to) -> {
            ranges.incrementAndGet();
            assertEquals(0, from % 8, "aligned start");
            for (int i = from; i < to; i++) hits[i]++;
        });
        for (int h : hits) assertEquals(1, h);
        assertEquals(Math.min(Parallel.THREADS, (hits.length + 7) / 8), ranges.get());
    }

    @Test
    void smallWorkStaysOnTheCallingThread() {
        Thread caller = Thread.currentThread();
        Parallel.range(100, 1, Parallel.MIN_WORK - 1, (from, to) -> assertSame(caller, Thread.currentThread()));
    }

    @Test
    void nestedWorkRunsInline() {
        int[] inner = new int[4 * 64];
        Parallel.tasks(4, t -> {
            Thread worker = Thread.currentThread();
            Parallel.range(64, 1, Long.MAX_VALUE, (from, to) -> {
                assertSame(worker, Thread.currentThread());
                for (int i = from; i < to; i++) inner[t * 64 + i]++;
            });
        });
        for (int h : inner) assertEquals(1, h);
    }

    @Test
    void aFailureInATaskIsRethrownOnTheCaller() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.tasks(8, t -> {
            if (t == 5) throw new IllegalStateException("task 5 failed");
        }));
        assertEquals("task 5 failed", e.getMessage());
        int[] after = new int[8];
        Parallel.tasks(8, t -> after[t]++);
        for (int h : after) assertEquals(1, h);
    }
}
