package dev.tapegrad.autodiff.kernel;

/**
 * The four arithmetic operations on FLOAT32 arrays as plain loops (which the JIT vectorises), split across
 * cores, for the operand layouts of a {@link BroadcastPlan}; and the fused {@code a + alpha b} of optimizer
 * updates.
 */
public final class ArithmeticKernelsF32 {
    private ArithmeticKernelsF32() {}

    /** Elements per task below which one thread does the work. */
    private static final int GRAIN = 1 << 15;

    /** {@code out = a (op) b} for operands laid out as {@code plan} says ({@code out} has the full operand's size). */
    public static void apply(BinaryOp op, float[] a, float[] b, float[] out, BroadcastPlan plan) {
        int n = out.length, p = plan.p(), r = plan.r();
        boolean flip = plan.smallFirst();
        float[] full = flip ? b : a, small = flip ? a : b;
        if (n == 0) return;
        if (p == n) {
            Parallel.range(n, GRAIN, n, (from, to) -> arrays(op, flip, full, small, from, out, from, to - from));
        } else if (r == 1) {
            Parallel.range(n / p, Math.max(1, GRAIN / p), n, (c0, c1) -> {
                for (int c = c0; c < c1; c++) arrays(op, flip, full, small, 0, out, c * p, p);
            });
        } else {
            Parallel.range(n / r, Math.max(1, GRAIN / r), n, (q0, q1) -> {
                for (int q = q0; q < q1; q++) scalar(op, flip, full, small[q % p], out, q * r, r);
            });
        }
    }

    /** {@code out[i] = a[i] + alpha b[i]}. */
    public static void addScaled(float[] a, float[] b, float alpha, float[] out) {
        Parallel.range(out.length, 1024, out.length, (from, to) -> {
            for (int i = from; i < to; i++) out[i] = a[i] + alpha * b[i];
        });
    }

    /** {@code o[at..at+len) = x[at..) (op) y[yo..yo+len)}, operands swapped when {@code flip}. */
    private static void arrays(BinaryOp op, boolean flip, float[] x, float[] y, int yo, float[] o, int at, int len) {
        BinaryOp done = flip ? switch (op) {
            case ADD -> { for (int i = 0; i < len; i++) o[at + i] = y[yo + i] + x[at + i]; yield op; }
            case SUB -> { for (int i = 0; i < len; i++) o[at + i] = y[yo + i] - x[at + i]; yield op; }
            case MUL -> { for (int i = 0; i < len; i++) o[at + i] = y[yo + i] * x[at + i]; yield op; }
            case DIV -> { for (int i = 0; i < len; i++) o[at + i] = y[yo + i] / x[at + i]; yield op; }
        } : switch (op) {
            case ADD -> { for (int i = 0; i < len; i++) o[at + i] = x[at + i] + y[yo + i]; yield op; }
            case SUB -> { for (int i = 0; i < len; i++) o[at + i] = x[at + i] - y[yo + i]; yield op; }
            case MUL -> { for (int i = 0; i < len; i++) o[at + i] = x[at + i] * y[yo + i]; yield op; }
            case DIV -> { for (int i = 0; i < len; i++) o[at + i] = x[at + i] / y[yo + i]; yield op; }
        };
        assert done == op;
    }

    /** {@code o[at..at+len) = x[at..) (op) y}, operands swapped when {@code flip}. */
    private static void scalar(BinaryOp op, boolean flip, float[] x, float y, float[] o, int at, int len) {
        int end = at + len;
        BinaryOp done = flip ? switch (op) {
            case ADD -> { for (int i = at; i < end; i++) o[i] = y + x[i]; yield op; }
            case SUB -> { for (int i = at; i < end; i++) o[i] = y - x[i]; yield op; }
            case MUL -> { for (int i = at; i < end; i++) o[i] = y * x[i]; yield op; }
            case DIV -> { for (int i = at; i < end; i++) o[i] = y / x[i]; yield op; }
        } : switch (op) {
            case ADD -> { for (int i = at; i < end; i++) o[i] = x[i] + y; yield op; }
            case SUB -> { for (int i = at; i < end; i++) o[i] = x[i] - y; yield op; }
            case MUL -> { for (int i = at; i < end; i++) o[i] = x[i] * y; yield op; }
            case DIV -> { for (int i = at; i < end; i++) o[i] = x[i] / y; yield op; }
        };
        assert done == op;
    }
}
