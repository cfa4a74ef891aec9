package dev.tapegrad.autodiff.kernel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Work split across a fixed pool of {@link #THREADS} threads (the available processors, or the
 * {@code tapegrad.threads} system property, see {@link Settings}): {@code THREADS - 1} daemon workers plus the calling thread.
 * A training step issues many short parallel operations, so idle workers spin for {@link Settings#SPIN_NANOS}
 * before parking (see {@link Settings}), as OpenMP runtimes do: waking a parked thread costs tens of microseconds. The caller
 * takes tasks too and never waits for a worker to start, so a busy pool (another thread's job, or nested
 * calls, which run inline) cannot deadlock. Which task computes what depends only on the sizes and on
 * {@link #THREADS}, never on scheduling, so results are deterministic for a given thread count.
 */
public final class Parallel {
    private Parallel() {}

    public static final int THREADS = Settings.THREADS;
    /** Below this many multiply-adds (or element operations) one thread does the work. */
    public static final long MIN_WORK = 1L << 16;
    private static final long SPIN_NANOS = Settings.SPIN_NANOS;

    /** Set while the current thread runs a task of {@link #tasks}. */
    private static final ThreadLocal<boolean[]> INSIDE = ThreadLocal.withInitial(() -> new boolean[1]);
    /** Held by the one caller whose job the workers serve; other callers run their tasks inline. */
    private static final AtomicBoolean BUSY = new AtomicBoolean();
    private static volatile Job job;
    private static volatile long generation;
    private static final Worker[] WORKERS = startWorkers();

    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    /** Runs {@code body} over {@code [0, n)} split into up to {@link #THREADS} ranges aligned to {@code align}, if {@code work} is large enough. */
    public static void range(int n, int align, long work, Range body) {
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
    public static void serially(Runnable body) {
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
    public static void tasks(int count, IntConsumer task) {
        boolean[] inside = INSIDE.get();
        if (count <= 1 || WORKERS.length == 0 || inside[0] || !BUSY.compareAndSet(false, true)) {
            for (int t = 0; t < count; t++) task.accept(t);
            return;
        }
        Job j = new Job(task, count);
        try {
            job = j;
            generation++;
            for (Worker w : WORKERS) if (w.sleeping) LockSupport.unpark(w);
            inside[0] = true;
            j.work();
            while (j.remaining.get() > 0) Thread.onSpinWait();
        } finally {
            inside[0] = false;
            job = null; // the task may hold tensors: keep nothing reachable after the call
            BUSY.set(false);
        }
        Throwable e = j.failure.get();
        if (e instanceof RuntimeException re) throw re;
        if (e instanceof Error er) throw er;
        if (e != null) throw new IllegalStateException(e);
    }

    /** One call's tasks, claimed one at a time by whichever thread is free. */
    private static final class Job {
        final IntConsumer task;
        final int count;
        final AtomicInteger next = new AtomicInteger(), remaining;
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Job(IntConsumer task, int count) {
            this.task = task;
            this.count = count;
            remaining = new AtomicInteger(count);
        }

        void work() {
            for (int t; (t = next.getAndIncrement()) < count; remaining.decrementAndGet()) {
                try {
                    task.accept(t);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }
        }
    }

    private static final class Worker extends Thread {
        volatile boolean sleeping;

        Worker(int i) {
            super("tapegrad-worker-" + i);
            setDaemon(true);
        }

        @Override
        public void run() {
            INSIDE.get()[0] = true;
            long seen = generation;
            while (true) {
                long deadline = System.nanoTime() + SPIN_NANOS;
                while (generation == seen) {
                    if (System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                        continue;
                    }
                    sleeping = true;
                    if (generation == seen) LockSupport.park(this);
                    sleeping = false;
                    deadline = System.nanoTime() + SPIN_NANOS;
                }
                seen = generation;
                serve();
            }
        }
    }

    /** A worker's share of the current job; the reference dies with this frame. */
    private static void serve() {
        Job j = job;
        if (j != null) j.work();
    }

    private static Worker[] startWorkers() {
        Worker[] w = new Worker[THREADS - 1];
        for (int i = 0; i < w.length; i++) {
            w[i] = new Worker(i + 1);
            w[i].start();
        }
        return w;
    }
}
