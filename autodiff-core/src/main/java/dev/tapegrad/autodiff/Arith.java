package dev.tapegrad.autodiff;

import java.util.Arrays;

/**
 * The four arithmetic operations as plain loops (which the JIT vectorises), split across cores, for equal
 * shapes and for the broadcasts that make up nearly all uses: one operand ("small") equal to the other
 * ("full") on one contiguous run of axes and 1 elsewhere, such as a scalar, a bias row {@code [C]} against
 * {@code [N, C]}, per-channel {@code [1, C, 1, 1]} against {@code [N, C, H, W]} or per-row {@code [N, 1]}.
 * Then the small operand's element {@code (q mod p)} applies to the {@code q}-th block of {@code r}
 * consecutive elements. The FLOAT64 loops are the FLOAT32 ones with the element type replaced;
 * {@code ForwardValuesTest} checks both against the general broadcasting path.
 */
final class Arith {
    private Arith() {}

    /** Elements per task below which one thread does the work. */
    private static final int GRAIN = 1 << 15;

    /**
     * {@code a (op) b} for {@code op} one of {@code + - * /}, or null when neither operand is equal to the
     * broadcast shape, or the other does not broadcast by one run of axes (then the caller expands).
     */
    static Tensor apply(char op, Tensor a, Tensor b, int[] shape) {
        boolean aFull = Arrays.equals(a.shape, shape), bFull = Arrays.equals(b.shape, shape);
        if (aFull && bFull) return blocked(op, a, b, false, a.numel(), 1);
        Tensor full = aFull ? a : b, small = aFull ? b : a;
        if (!aFull && !bFull) return null;
        // The run [d0, d1) of axes where small equals full: it ends at small's last axis that is not 1 (at 0 for a
        // single value, whose one run is then everything), and small must be 1 on every axis before it.
        int[] s = Blocks.padded(small.shape, shape.length);
        int d1 = shape.length, p = 1, r = 1;
        while (d1 > 0 && s[d1 - 1] == 1) d1--;
        int d0 = d1;
        while (d0 > 0 && s[d0 - 1] == shape[d0 - 1]) p *= s[--d0];
        for (int d = 0; d < d0; d++) if (s[d] != 1) return null;
        for (int d = d1; d < shape.length; d++) r *= shape[d];
        return blocked(op, full, small, !aFull, p, r);
    }

    /** {@code full (op) small}, or {@code small (op) full} when {@code flip}; {@code small} has {@code p} elements, each applied to runs of {@code r}. */
    private static Tensor blocked(char op, Tensor full, Tensor small, boolean flip, int p, int r) {
        Tensor out = Tensor.alloc(full.dtype(), full.shape);
        int n = out.numel();
        if (n == 0) return out;
        if (p == n) {
            Parallel.range(n, GRAIN, n, (from, to) -> {
                if (out.f != null) arrays(op, flip, full.f, small.f, from, out.f, from, to - from);
                else arrays(op, flip, full.d, small.d, from, out.d, from, to - from);
            });
        } else if (r == 1) {
            int chunks = n / p;
            Parallel.range(chunks, Math.max(1, GRAIN / p), n, (c0, c1) -> {
                for (int c = c0; c < c1; c++) {
                    if (out.f != null) arrays(op, flip, full.f, small.f, 0, out.f, c * p, p);
                    else arrays(op, flip, full.d, small.d, 0, out.d, c * p, p);
                }
            });
        } else {
            Parallel.range(n / r, Math.max(1, GRAIN / r), n, (q0, q1) -> {
                for (int q = q0; q < q1; q++) {
                    if (out.f != null) scalar(op, flip, full.f, small.f[q % p], out.f, q * r, r);
                    else scalar(op, flip, full.d, small.d[q % p], out.d, q * r, r);
                }
            });
        }
        return out;
    }

    /** {@code o[at..at+len) = x[at..) (op) y[yo..yo+len)}, operands swapped when {@code flip}. */
    private static void arrays(char op, boolean flip, float[] x, float[] y, int yo, float[] o, int at, int len) {
        if (flip) {
            switch (op) {
                case '+' -> { for (int i = 0; i < len; i++) o[at + i] = y[yo + i] + x[at + i]; }
                case '-' -> { for (int i = 0; i < len; i++) o[at + i] = y[yo + i] - x[at + i]; }
                case '*' -> { for (int i = 0; i < len; i++) o[at + i] = y[yo + i] * x[at + i]; }
                default -> { for (int i = 0; i < len; i++) o[at + i] = y[yo + i] / x[at + i]; }
            }
        } else {
            switch (op) {
                case '+' -> { for (int i = 0; i < len; i++) o[at + i] = x[at + i] + y[yo + i]; }
                case '-' -> { for (int i = 0; i < len; i++) o[at + i] = x[at + i] - y[yo + i]; }
                case '*' -> { for (int i = 0; i < len; i++) o[at + i] = x[at + i] * y[yo + i]; }
                default -> { for (int i = 0; i < len; i++) o[at + i] = x[at + i] / y[yo + i]; }
            }
        }
    }

    /** {@code o[at..at+len) = x[at..) (op) y}, operands swapped when {@code flip}. */
    private static void scalar(char op, boolean flip, float[] x, float y, float[] o, int at, int len) {
        int end = at + len;
        if (flip) {
            switch (op) {
                case '+' -> { for (int i = at; i < end; i++) o[i] = y + x[i]; }
                case '-' -> { for (int i = at; i < end; i++) o[i] = y - x[i]; }
                case '*' -> { for (int i = at; i < end; i++) o[i] = y * x[i]; }
                default -> { for (int i = at; i < end; i++) o[i] = y / x[i]; }
            }
        } else {
            switch (op) {
                case '+' -> { for (int i = at; i < end; i++) o[i] = x[i] + y; }
                case '-' -> { for (int i = at; i < end; i++) o[i] = x[i] - y; }
                case '*' -> { for (int i = at; i < end; i++) o[i] = x[i] * y; }
                default -> { for (int i = at; i < end; i++) o[i] = x[i] / y; }
            }
        }
    }

    private static void arrays(char op, boolean flip, double[] x, double[] y, int yo, double[] o, int at, int len) {
        if (flip) {
            switch (op) {
                case '+' -> { for (int i = 0; i < len; i++) o[at + i] = y[yo + i] + x[at + i]; }
                case '-' -> { for (int i = 0; i < len; i++) o[at + i] = y[yo + i] - x[at + i]; }
                case '*' -> { for (int i = 0; i < len; i++) o[at + i] = y[yo + i] * x[at + i]; }
                default -> { for (int i = 0; i < len; i++) o[at + i] = y[yo + i] / x[at + i]; }
            }
        } else {
            switch (op) {
                case '+' -> { for (int i = 0; i < len; i++) o[at + i] = x[at + i] + y[yo + i]; }
                case '-' -> { for (int i = 0; i < len; i++) o[at + i] = x[at + i] - y[yo + i]; }
                case '*' -> { for (int i = 0; i < len; i++) o[at + i] = x[at + i] * y[yo + i]; }
                default -> { for (int i = 0; i < len; i++) o[at + i] = x[at + i] / y[yo + i]; }
            }
        }
    }

    private static void scalar(char op, boolean flip, double[] x, double y, double[] o, int at, int len) {
        int end = at + len;
        if (flip) {
            switch (op) {
                case '+' -> { for (int i = at; i < end; i++) o[i] = y + x[i]; }
                case '-' -> { for (int i = at; i < end; i++) o[i] = y - x[i]; }
                case '*' -> { for (int i = at; i < end; i++) o[i] = y * x[i]; }
                default -> { for (int i = at; i < end; i++) o[i] = y / x[i]; }
            }
        } else {
            switch (op) {
                case '+' -> { for (int i = at; i < end; i++) o[i] = x[i] + y; }
                case '-' -> { for (int i = at; i < end; i++) o[i] = x[i] - y; }
                case '*' -> { for (int i = at; i < end; i++) o[i] = x[i] * y; }
                default -> { for (int i = at; i < end; i++) o[i] = x[i] / y; }
            }
        }
    }
}
