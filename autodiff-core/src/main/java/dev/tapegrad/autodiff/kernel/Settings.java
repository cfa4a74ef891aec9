package dev.tapegrad.autodiff.kernel;

/**
 * The engine's process-wide settings, each read once from a system property when first used. They are
 * the only global state of the kernels:
 *
 * <table>
 *   <caption>System properties</caption>
 *   <tr><th>property</th><th>default</th><th>effect</th></tr>
 *   <tr><td>{@code tapegrad.threads}</td><td>{@code availableProcessors()}</td><td>size of the worker pool
 *       ({@link Parallel}): the calling thread plus {@code threads - 1} daemon workers; 1 to {@value #MAX_THREADS}</td></tr>
 *   <tr><td>{@code tapegrad.spinMicros}</td><td>200</td><td>how long an idle worker spins before it parks, 0 to
 *       1000000 (a second)</td></tr>
 *   <tr><td>{@code tapegrad.maxElements}</td><td>{@code 2^31 - 9}</td><td>the largest tensor an operation may
 *       allocate, in elements (a memory budget); larger ones are refused up front, naming the operation and the
 *       shape, instead of failing with {@code OutOfMemoryError}</td></tr>
 *   <tr><td>{@code tapegrad.tapeBudgetBytes}</td><td>3/4 of the maximum heap</td><td>how many bytes of recorded results
 *       one open tape may keep alive before it throws (a tape left open across training steps)</td></tr>
 *   <tr><td>{@code tapegrad.scalar}</td><td>false</td><td>{@code true} runs the scalar kernels even when the
 *       Vector API is available (to compare the two)</td></tr>
 *   <tr><td>{@code tapegrad.gemmRows}</td><td>from the vector width</td><td>rows of the matrix product's register
 *       tile, 4, 6 or 8 (see {@link Gemm#MR}); set it only to compare the tiles on one machine</td></tr>
 * </table>
 *
 * <p>The Vector API kernels run when the {@code jdk.incubator.vector} module is enabled ({@code
 * --add-modules jdk.incubator.vector}); without it the scalar kernels run, after a one-time notice on
 * standard error, the only output of the library's core.
 *
 * <p>A property that is not a decimal integer, or is outside its range, is refused with an {@link IllegalArgumentException}
 * naming it and its value (the cause of the {@link ExceptionInInitializerError} of the first class to read it).
 */
public final class Settings {
    private Settings() {}

    /** The most threads {@code tapegrad.threads} may ask for (more only cost their creation: minutes for 100000). */
    public static final int MAX_THREADS = 1024;

    /** Threads that share large operations: {@code tapegrad.threads}, 1 to {@link #MAX_THREADS}. */
    public static final int THREADS = threads(property("tapegrad.threads",
            Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors())));

    /** How long an idle worker spins before it parks, in nanoseconds: {@code tapegrad.spinMicros} x 1000. */
    public static final long SPIN_NANOS = 1000L * spinMicros(property("tapegrad.spinMicros", 200));

    /** The most elements one tensor may hold: {@code tapegrad.maxElements}, positive, at most what a Java array holds. */
    public static final long MAX_ELEMENTS = maxElements(property("tapegrad.maxElements", Integer.MAX_VALUE - 8));

    /**
     * Rows of the matrix product's register tile, {@code tapegrad.gemmRows}: 4, 6 or 8, or 0 (the default) for the
     * choice from the register file ({@link Gemm#MR}).
     */
    public static final int GEMM_ROWS = gemmRows(property("tapegrad.gemmRows", 0));

    /**
     * How many bytes of recorded results one open tape may keep alive: {@code tapegrad.tapeBudgetBytes}, positive, by
     * default three quarters of the maximum heap.
     */
    public static final long TAPE_BUDGET_BYTES = tapeBudget(property("tapegrad.tapeBudgetBytes",
            Runtime.getRuntime().maxMemory() / 4 * 3));

    /** System property {@code name} read by {@link #integer}. */
    private static long property(String name, long fallback) { return integer(name, System.getProperty(name), fallback); }

    /** The value of property {@code name}, a decimal integer, or {@code fallback} when it is not set or blank. */
    static long integer(String name, String value, long fallback) {
        if (value == null || value.isBlank()) return fallback;
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got '" + value + "'");
        }
    }

    static int threads(long n) {
        if (n < 1 || n > MAX_THREADS) throw new IllegalArgumentException("tapegrad.threads must be 1 to " + MAX_THREADS + ", got " + n);
        return (int) n;
    }

    static long spinMicros(long micros) {
        if (micros < 0 || micros > 1_000_000) throw new IllegalArgumentException("tapegrad.spinMicros must be 0 to 1000000 (a second), got " + micros);
        return micros;
    }

    static long maxElements(long n) {
        if (n < 1) throw new IllegalArgumentException("tapegrad.maxElements must be positive, got " + n);
        return Math.min(Integer.MAX_VALUE - 8, n);
    }

    static long tapeBudget(long bytes) {
        if (bytes < 1) throw new IllegalArgumentException("tapegrad.tapeBudgetBytes must be positive, got " + bytes);
        return bytes;
    }

    static int gemmRows(long rows) {
        if (rows != 0 && rows != 4 && rows != 6 && rows != 8)
            throw new IllegalArgumentException("tapegrad.gemmRows must be 4, 6 or 8 (or 0 for the automatic choice), got " + rows);
        return (int) rows;
    }

    /** Whether the Vector API kernels run (the module is enabled and {@code tapegrad.scalar} is not set). */
    public static final boolean VECTOR = detectVector();

    private static boolean detectVector() {
        if (Boolean.getBoolean("tapegrad.scalar")) return false;
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            System.err.println("tapegrad: the jdk.incubator.vector module is not enabled, so tensor kernels use slower scalar loops;"
                    + " run java with --add-modules jdk.incubator.vector");
            return false;
        }
        try {
            Class.forName("jdk.incubator.vector.FloatVector");
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            System.err.println("tapegrad: the Vector API failed to load (" + e + "); using scalar kernels");
            return false;
        }
    }
}
