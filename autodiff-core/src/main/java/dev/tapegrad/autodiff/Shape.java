package dev.tapegrad.autodiff;

import dev.tapegrad.autodiff.kernel.Layout;
import dev.tapegrad.autodiff.kernel.Settings;
import java.util.Arrays;

/**
 * Static helpers for shapes ({@code int[]}, row-major, outermost axis first): element counts, strides,
 * NumPy broadcasting and axis normalisation. Every check throws {@link IllegalArgumentException} with a
 * message naming the operation and the shapes at fault.
 */
public final class Shape {
    private Shape() {}

    /** Number of elements of {@code shape}: the product of its dimensions (1 for a 0-d scalar); a negative dimension is refused. */
    public static int size(int... shape) { return size("Shape.size", shape); }

    /**
     * The element count of {@code shape}, refused (naming {@code op}) for a negative dimension and above
     * {@link Settings#MAX_ELEMENTS}, what a Java array holds or the configured budget.
     */
    static int size(String op, int[] shape) {
        java.util.Objects.requireNonNull(shape, () -> op + ": shape is null");
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException(op + ": negative dimension in shape " + str(shape));
            n = Math.min(n * d, Settings.MAX_ELEMENTS + 1);   // saturated, so that a later 0 still gives 0
        }
        if (n > Settings.MAX_ELEMENTS)
            throw new IllegalArgumentException(op + ": shape " + str(shape) + " has more than " + Settings.MAX_ELEMENTS
                    + " elements, the most one tensor may hold (a Java array's limit, or -Dtapegrad.maxElements)");
        return (int) n;
    }

    /** Row-major strides of {@code shape}, in elements. */
    public static int[] strides(int... shape) { return Layout.strides(java.util.Objects.requireNonNull(shape, "strides: shape is null")); }

    /** The shape as PyTorch prints it: {@code [2, 3]}. */
    public static String str(int... shape) { return Arrays.toString(shape); }

    /** Validates a user-supplied shape (no negative dimension) and returns a copy. */
    public static int[] checked(String op, int... shape) {
        java.util.Objects.requireNonNull(shape, () -> op + ": shape is null");
        for (int d : shape)
            if (d < 0) throw new IllegalArgumentException(op + ": negative dimension in shape " + str(shape));
        size(op, shape);
        return shape.clone();
    }

    /** NumPy broadcast of two shapes: dimensions aligned from the right must be equal or 1. */
    public static int[] broadcast(String op, int[] a, int[] b) {
        java.util.Objects.requireNonNull(a, () -> op + ": the first shape is null");
        java.util.Objects.requireNonNull(b, () -> op + ": the second shape is null");
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1)
                throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b) + " cannot be broadcast");
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Whether {@code from} broadcasts to exactly {@code to}. */
    public static boolean broadcastsTo(int[] from, int[] to) {
        java.util.Objects.requireNonNull(from, "broadcastsTo: from is null");
        java.util.Objects.requireNonNull(to, "broadcastsTo: to is null");
        if (from.length > to.length) return false;
        for (int i = 0; i < from.length; i++) {
            int f = from[from.length - 1 - i], t = to[to.length - 1 - i];
            if (f != t && f != 1) return false;
        }
        return true;
    }

    /** Normalises a possibly negative axis into {@code [0, rank)}. */
    public static int axis(String op, int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank)
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for a tensor of rank " + rank);
        return a;
    }

    /** Which of {@code rank} axes {@code axes} names (negative counting from the end); each may be named once. */
    static boolean[] axisSet(String op, int[] axes, int rank) {
        java.util.Objects.requireNonNull(axes, () -> op + ": axes is null");
        boolean[] set = new boolean[rank];
        for (int a : axes) {
            int n = axis(op, a, rank);
            if (set[n]) throw new IllegalArgumentException(op + ": axis " + a + " is given twice in " + Arrays.toString(axes));
            set[n] = true;
        }
        return set;
    }

    /** The shape with dimension {@code axis} set to {@code value}. */
    static int[] with(int[] shape, int axis, int value) {
        int[] s = shape.clone();
        s[axis] = value;
        return s;
    }

    /** The shape with {@code axis} removed ({@code keepDim} false) or set to 1 (true). */
    static int[] reduced(int[] shape, int axis, boolean keepDim) {
        if (keepDim) return with(shape, axis, 1);
        int[] s = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) if (i != axis) s[j++] = shape[i];
        return s;
    }
}
