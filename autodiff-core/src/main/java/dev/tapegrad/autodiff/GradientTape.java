package dev.tapegrad.autodiff;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Records tensor operations on the current thread so that gradients can be computed, in the manner of
 * TensorFlow's {@code GradientTape}:
 *
 * <pre>{@code
 * try (GradientTape tape = GradientTape.record()) {
 *     Tensor loss = x.matmul(w).tanh().sum();
 *     Gradients g = loss.backward();
 * }
 * }</pre>
 *
 * <p>An operation is recorded only while a tape is open on the current thread, not {@link #pause()
 * paused}, and one of its inputs {@link Tensor#tracksGradient() tracks a gradient}. The graph lives until
 * the outermost open tape closes (so several backward passes over it are allowed, like a persistent
 * TensorFlow tape); closing that tape releases it and a later {@code backward} through it is an error.
 *
 * <p><b>Nesting.</b> Tapes form a per-thread stack and must close in reverse order of opening. While a
 * tape computes a gradient ({@link #gradient}, or {@link Tensor#backward()} which uses the innermost
 * open tape), that tape and those opened after it stop recording, but the tapes opened before it keep
 * recording: the gradient computation is itself recorded on them and can be differentiated again
 * (Hessian-vector products, gradient penalties).
 *
 * <p><b>Anomaly detection</b> ({@link #detectAnomaly()}, as PyTorch's {@code detect_anomaly}): while a tape
 * that detects anomalies is open, every recorded operation remembers the line of code outside the engine
 * that created it, and the first operation that turns finite inputs into NaN or an infinity (in the forward
 * pass, or in a backward rule) throws {@link IllegalStateException} naming the primitive, the shapes and
 * that line. It costs nothing when off: one flag is read per recorded operation.
 *
 * <p><b>Threads.</b> A tape belongs to the thread that opened it; each thread records on its own tapes, so
 * two threads may train two models at once. Tensors are immutable and may be shared between threads; a
 * {@code Parameter} and a graph recorded on one thread's tape may not be used by another while it records.
 */
public final class GradientTape implements AutoCloseable {

    private static final class Stack {
        final List<GradientTape> open = new ArrayList<>();
        int suspendedFrom = Integer.MAX_VALUE;
        int pauses;
    }

    private static final ThreadLocal<Stack> STACK = ThreadLocal.withInitial(Stack::new);

    private final Thread thread = Thread.currentThread();
    private final List<Node> nodes = new ArrayList<>();
    private boolean closed, anomaly;
    /** On the outermost tape (the one that owns recorded nodes): how many open tapes of the thread detect anomalies. */
    private int anomalyTapes;

    private GradientTape() {}

    /** Opens a tape that records on the current thread until {@link #close()}. */
    public static GradientTape record() {
        GradientTape t = new GradientTape();
        STACK.get().open.add(t);
        return t;
    }

    /** A region with no recording on the current thread (like {@code torch.no_grad()}); close to end it. */
    public static Pause pause() {
        STACK.get().pauses++;
        return new Pause(Thread.currentThread());
    }

    /** Whether an operation run now on this thread would be recorded (given an input that tracks). */
    public static boolean isRecording() { return owner() != null; }

    /** Ends a {@link #pause()} region. */
    public static final class Pause implements AutoCloseable {
        private final Thread thread;
        private boolean closed;

        private Pause(Thread thread) { this.thread = thread; }

        @Override
        public void close() {
            if (closed) return;
            if (Thread.currentThread() != thread)
                throw new IllegalStateException("GradientTape.pause: closed on another thread than it was opened on");
            closed = true;
            STACK.get().pauses--;
        }
    }

    /**
     * Gradients of {@code target} with respect to each source, TensorFlow style: {@code null} for a
     * source that the target does not depend on. A non-scalar target takes {@link #gradientWithSeed(Tensor,
     * Tensor, Tensor...) a seed}. Only the gradients on the way to the sources are formed (as {@code torch.autograd.grad}
     * with {@code inputs}): asked for an input's gradient, a layer does not form its weight's, which also keeps a tape
     * recording this sweep (a gradient penalty) from recording them.
     */
    public Tensor[] gradient(Tensor target, Tensor... sources) { return gradientWithSeed(target, null, sources); }

    /** Gradients of {@code target} with respect to each source, starting from the cotangent {@code seed}. */
    public Tensor[] gradientWithSeed(Tensor target, Tensor seed, Tensor... sources) {
        Objects.requireNonNull(target, "gradient: target is null");
        Objects.requireNonNull(sources, "gradient: sources is null");
        for (int i = 0; i < sources.length; i++) Objects.requireNonNull(sources[i], "gradient: source " + i + " is null");
        checkUsable("gradient");
        Gradients g = Backprop.run("gradient", target, seed, this, List.of(sources));
        Tensor[] out = new Tensor[sources.length];
        for (int i = 0; i < sources.length; i++) out[i] = g.get(sources[i]);
        return out;
    }

    /**
     * Turns on anomaly detection for the operations recorded while this tape is open (see the class comment);
     * returns this tape, for {@code try (var tape = GradientTape.record().detectAnomaly())}.
     */
    public GradientTape detectAnomaly() {
        checkUsable("detectAnomaly");
        if (!anomaly) STACK.get().open.get(0).anomalyTapes++;
        anomaly = true;
        return this;
    }

    /** Whether an open tape of this thread detects anomalies; asked of the tape that owns the nodes being recorded. */
    boolean detectsAnomalies() { return anomalyTapes > 0; }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() { return closed; }

    /**
     * Stops recording and, for the outermost tape, releases the graph it recorded. Idempotent. Throws
     * {@link IllegalStateException} when a tape opened after this one is still open.
     */
    @Override
    public void close() {
        if (closed) return;
        if (Thread.currentThread() != thread)
            throw new IllegalStateException("GradientTape.close: a tape must be closed on the thread that opened it");
        Stack s = STACK.get();
        int i = s.open.indexOf(this);
        if (i != s.open.size() - 1)
            throw new IllegalStateException("GradientTape.close: tapes must close in reverse order of opening; this is tape "
                    + (i + 1) + " of " + s.open.size() + " open on this thread, close the inner ones first");
        s.open.remove(i);
        if (anomaly && i > 0) s.open.get(0).anomalyTapes--;
        closed = true;
        for (Node n : nodes) n.release();
        nodes.clear();
    }

    // ---- engine side ----

    /** The tape that owns a node recorded now, or null when nothing records: the outermost open tape. */
    static GradientTape owner() {
        Stack s = STACK.get();
        if (s.pauses > 0 || s.open.isEmpty() || s.suspendedFrom == 0) return null;
        return s.open.get(0);
    }

    /** The innermost open tape on this thread, or null. */
    static GradientTape innermost() {
        List<GradientTape> open = STACK.get().open;
        return open.isEmpty() ? null : open.get(open.size() - 1);
    }

    /** Bytes of recorded results this tape keeps alive, and the most it may (see {@link #add}). */
    private long retained;
    /** {@code tapegrad.tapeBudgetBytes}; package-private and mutable only so that a test can lower it. */
    static long budget = dev.tapegrad.autodiff.kernel.Settings.TAPE_BUDGET_BYTES;

    /**
     * Records {@code n}, whose result holds {@code bytes}. A tape that keeps more recorded results alive than
     * {@code tapegrad.tapeBudgetBytes} (default three quarters of the maximum heap) throws, naming the count:
     * nearly always a tape left open across training steps, which would otherwise end in an {@code OutOfMemoryError}.
     */
    void add(Node n, long bytes) {
        nodes.add(n);
        retained += bytes;
        if (retained > budget)
            throw new IllegalStateException("GradientTape: the open tape keeps " + nodes.size() + " recorded operations and " + (retained >> 20)
                    + " MB of their results alive, more than the budget of " + (budget >> 20) + " MB: is a tape left open across training steps?"
                    + " Close it after each backward pass (or raise -Dtapegrad.tapeBudgetBytes)");
    }

    /** How many operations this tape owns so far (the outermost tape owns what all record); for tests. */
    int recordedOperations() { return nodes.size(); }

    void checkUsable(String op) {
        if (closed) throw new IllegalStateException(op + ": the GradientTape is closed");
        if (Thread.currentThread() != thread)
            throw new IllegalStateException(op + ": the GradientTape belongs to thread " + thread.getName());
    }

    /** Suspends recording on this tape and the ones opened after it while {@code body} runs. */
    <T> T suspended(java.util.function.Supplier<T> body) {
        Stack s = STACK.get();
        int saved = s.suspendedFrom;
        s.suspendedFrom = Math.min(saved, s.open.indexOf(this));
        try {
            return body.get();
        } finally {
            s.suspendedFrom = saved;
        }
    }
}
