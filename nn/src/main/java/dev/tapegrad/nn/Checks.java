package dev.tapegrad.nn;

import dev.tapegrad.autodiff.DType;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.autodiff.kernel.Settings;
import java.util.Arrays;
import java.util.Objects;

/** The argument checks the layers share; each message names the layer. */
final class Checks {
    private Checks() {}

    /** {@code x}, or a {@link NullPointerException} {@code "Linear.forward: x is null"}. */
    static Tensor input(String layer, String name, Tensor x) { return Objects.requireNonNull(x, () -> layer + ".forward: " + name + " is null"); }

    /** {@code x} after {@link #input(String, String, Tensor)} and {@link #dtype}: given, and of the parameters' dtype. */
    static Tensor input(String layer, String name, Tensor x, DType dtype) { return dtype(layer, "input " + name, input(layer, name, x), dtype); }

    /** The integral values of {@code t}, or an {@link IllegalArgumentException} {@code "Embedding: indices must hold integers: ..."}. */
    static int[] integers(String op, String what, Tensor t) {
        try {
            return t.toIntArray();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": " + what + " must hold integers: " + e.getMessage(), e);
        }
    }

    /** {@code i}, or an {@link IllegalArgumentException} unless {@code 0 <= i < n}. */
    static int index(String op, int i, int n) {
        if (i < 0 || i >= n) throw new IllegalArgumentException(op + ": index " + i + " is out of range for " + n + " layers");
        return i;
    }

    /** {@code x}, or an exception unless it has the parameters' dtype {@code want}: {@code "LSTM: input x is FLOAT64 but the parameters are FLOAT32"}. */
    static Tensor dtype(String layer, String what, Tensor x, DType want) {
        if (x.dtype() != want) throw new IllegalArgumentException(layer + ": " + what + " is " + x.dtype() + " but the parameters are " + want);
        return x;
    }

    /**
     * Refuses, before anything is allocated, a negative dimension and parameters that no tensor could hold: the
     * tensors of {@code shapes} (a leading axis may count the copies: layers, directions) holding in all more than
     * {@link Settings#MAX_ELEMENTS} (the core's budget, {@code -Dtapegrad.maxElements}, at most what a Java array
     * holds). Dimensions come as longs, so that products such as {@code 4 * hiddenSize} are checked before they
     * overflow an int.
     */
    static void fits(String layer, long[]... shapes) {
        for (long[] s : shapes)
            if (Arrays.stream(s).anyMatch(d -> d < 0)) throw new IllegalArgumentException(layer + ": parameter shape " + Arrays.toString(s) + " has a negative dimension");
        double total = 0;
        for (long[] s : shapes) total += Arrays.stream(s).asDoubleStream().reduce(1, (a, b) -> a * b);
        if (total > Settings.MAX_ELEMENTS)
            throw new IllegalArgumentException(layer + ": parameters " + String.join(", ", Arrays.stream(shapes).map(Arrays::toString).toList())
                    + " have more than " + Settings.MAX_ELEMENTS
                    + " elements in all, the most one tensor may hold (a Java array's limit, or -Dtapegrad.maxElements)");
    }
}
