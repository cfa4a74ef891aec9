package dev.tapegrad.autodiff;

/**
 * The four arithmetic operations as plain loops (which the JIT vectorises) for the common cases: equal
 * shapes, or one operand a single value. The FLOAT64 method is the FLOAT32 one with the element type
 * replaced; {@code ForwardValuesTest} checks both against the general broadcasting path.
 */
final class Arith {
    private Arith() {}

    /** Whether {@link #apply} handles this pair: equal sizes, or one side has a single element. */
    static boolean handles(Tensor a, Tensor b) {
        return java.util.Arrays.equals(a.shape, b.shape) || (b.numel() == 1 && b.rank() <= a.rank()) || (a.numel() == 1 && a.rank() <= b.rank());
    }

    /** {@code a (op) b} for a pair that {@link #handles} accepts; {@code op} is one of {@code + - * /}. */
    static Tensor apply(char op, Tensor a, Tensor b) {
        boolean same = java.util.Arrays.equals(a.shape, b.shape), scalarB = !same && b.numel() == 1 && b.rank() <= a.rank();
        boolean scalarA = !same && !scalarB;
        Tensor out = Tensor.alloc(a.dtype(), scalarA ? b.shape : a.shape);
        if (out.f != null) run(op, a.f, b.f, out.f, scalarA, scalarB); else run(op, a.d, b.d, out.d, scalarA, scalarB);
        return out;
    }

    /** {@code o = a (op) b} where each operand is full-length or a single value (then {@code scalarA}/{@code scalarB}). */
    static void run(char op, float[] a, float[] b, float[] o, boolean scalarA, boolean scalarB) {
        int n = o.length;
        if (scalarB) {
            float y = b[0];
            switch (op) {
                case '+' -> { for (int i = 0; i < n; i++) o[i] = a[i] + y; }
                case '-' -> { for (int i = 0; i < n; i++) o[i] = a[i] - y; }
                case '*' -> { for (int i = 0; i < n; i++) o[i] = a[i] * y; }
                default -> { for (int i = 0; i < n; i++) o[i] = a[i] / y; }
            }
        } else if (scalarA) {
            float x = a[0];
            switch (op) {
                case '+' -> { for (int i = 0; i < n; i++) o[i] = x + b[i]; }
                case '-' -> { for (int i = 0; i < n; i++) o[i] = x - b[i]; }
                case '*' -> { for (int i = 0; i < n; i++) o[i] = x * b[i]; }
                default -> { for (int i = 0; i < n; i++) o[i] = x / b[i]; }
            }
        } else {
            switch (op) {
                case '+' -> { for (int i = 0; i < n; i++) o[i] = a[i] + b[i]; }
                case '-' -> { for (int i = 0; i < n; i++) o[i] = a[i] - b[i]; }
                case '*' -> { for (int i = 0; i < n; i++) o[i] = a[i] * b[i]; }
                default -> { for (int i = 0; i < n; i++) o[i] = a[i] / b[i]; }
            }
        }
    }

    static void run(char op, double[] a, double[] b, double[] o, boolean scalarA, boolean scalarB) {
        int n = o.length;
        if (scalarB) {
            double y = b[0];
            switch (op) {
                case '+' -> { for (int i = 0; i < n; i++) o[i] = a[i] + y; }
                case '-' -> { for (int i = 0; i < n; i++) o[i] = a[i] - y; }
                case '*' -> { for (int i = 0; i < n; i++) o[i] = a[i] * y; }
                default -> { for (int i = 0; i < n; i++) o[i] = a[i] / y; }
            }
        } else if (scalarA) {
            double x = a[0];
            switch (op) {
                case '+' -> { for (int i = 0; i < n; i++) o[i] = x + b[i]; }
                case '-' -> { for (int i = 0; i < n; i++) o[i] = x - b[i]; }
                case '*' -> { for (int i = 0; i < n; i++) o[i] = x * b[i]; }
                default -> { for (int i = 0; i < n; i++) o[i] = x / b[i]; }
            }
        } else {
            switch (op) {
                case '+' -> { for (int i = 0; i < n; i++) o[i] = a[i] + b[i]; }
                case '-' -> { for (int i = 0; i < n; i++) o[i] = a[i] - b[i]; }
                case '*' -> { for (int i = 0; i < n; i++) o[i] = a[i] * b[i]; }
                default -> { for (int i = 0; i < n; i++) o[i] = a[i] / b[i]; }
            }
        }
    }
}
