package dev.tapegrad.autodiff;

import java.util.stream.IntStream;

/** Splits row ranges across cores above a work threshold; each row is computed by exactly one task. */
final class Parallel {
    private Parallel() {}

    static final int THREADS = Runtime.getRuntime().availableProcessors();
    private static final long MIN_WORK = 1L << 17;

    @FunctionalInterface
    interface Rows {
        void run(int from, int to);
    }

    /** Runs {@code body} over {@code [0, rows)} in blocks aligned to {@code align} rows. */
    static void rows(int rows, int align, long work, Rows body) {
        int blocks = (rows + align - 1) / align;
        if (THREADS == 1 || work < MIN_WORK || blocks < 2) {
            body.run(0, rows);
            return;
        }
        int tasks = Math.min(blocks, THREADS * 4);
        IntStream.range(0, tasks).parallel().forEach(t -> {
            int from = (int) ((long) blocks * t / tasks) * align, to = Math.min(rows, (int) ((long) blocks * (t + 1) / tasks) * align);
            if (from < to) body.run(from, to);
        });
    }
}
