package dev.tapegrad.autodiff;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * Work split across a fixed pool of {@link #THREADS} threads (the available processors, or the
 * {@code tapegrad.threads} system property). The calling thread takes tasks too, so a call never waits on a
 * busy pool and nested calls cannot deadlock. Which task computes what depends only on the sizes and on
 * {@link #THREADS}, never on scheduling, so results are deterministic for a given thread count. Work
 * started inside a task runs on that task's thread (no nested splitting).
 */
final class Parallel {
    private Parallel() {}

    static final int THREADS = Math.max(1, Integer.getInteger("tapegrad.threads", Runtime.getRuntime().availableProcessors()));
    /** Below this many multiply-adds (or element operations) one thread does the work. */
    static final long MIN_WORK = 1L << 16;

    private static final ExecutorService POOL = THREADS == 1 ? null : Executors.newFixedThreadPool(THREADS - 1, r -> {
        Thread t = new Thread(r, "tapegrad-worker");
        t.setDaemon(true);
        return t;
    });

    /** Set while the current thread runs a task of {@link #tasks}. */
    private static final ThreadLocal<boolean[]> INSIDE = ThreadLocal.withInitial(() -> new boolean[1]);

    @FunctionalInterface
    interface Range {
        void run(int from, int to);
    }

    /** Runs {@code body} over {@code [0, n)} split into up to {@link #THREADS} ranges aligned to {@code align}, if {@code work} is large enough. */
    static void range(int n, int align, long work, Range body) {
        int blocks = (n + align - 1) / align, tasks = work < MIN_WORK || INSIDE.get()[0] ? 1 : Math.min(blocks, THREADS);
        if (tasks <= 1) {
            if (n > 0) body.run(0, n);
            return;
        }
        tasks(tasks, t -> {
            int from = (int) ((long) blocks * t / tasks) * align, to = Math.min(n, (int) ((long) blocks * (t + 1) / tasks) * align);
            if (from < to) body.run(from, to);
        });
    }

    /** Runs {@code body} on the calling thread alone, as if inside a task (for tests of thread-count independence). */
    static void serially(Runnable body) {
        boolean[] inside = INSIDE.get();
        boolean was = inside[0];
        inside[0] = true;
        try {
            body.run();
        } finally {
            inside[0] = was;
        }
    }

    /** Runs {@code task.accept(t)} for every {@code t} in {@code [0, count)}, on the pool and the calling thread. */
    static void tasks(int count, IntConsumer task) {
        boolean[] inside = INSIDE.get();
        if (count <= 1 || POOL == null || inside[0]) {
            for (int t = 0; t < count; t++) task.accept(t);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(count);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable worker = () -> {
            boolean[] flag = INSIDE.get();
            flag[0] = true;
            for (int t; (t = next.getAndIncrement()) < count; done.countDown()) {
                try {
                    task.accept(t);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }
            flag[0] = false;
        };
        for (int i = 1; i < Math.min(count, THREADS); i++) POOL.execute(worker);
        worker.run();
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("tapegrad: interrupted while waiting for parallel work", e);
        }
        Throwable e = failure.get();
        if (e instanceof RuntimeException re) throw re;
        if (e instanceof Error er) throw er;
        if (e != null) throw new IllegalStateException(e);
    }
}
