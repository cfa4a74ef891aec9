package dev.tapegrad.autodiff.kernel;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * General elementwise functions on FLOAT32 arrays, computed in double through a Java function: the
 * operations without a dedicated kernel (erf, softplus, comparisons, {@code pow} with a general exponent).
 */
public final class MapKernelsF32 {
    private MapKernelsF32() {}

    /** {@code out[i] = fn(x[i])}. */
    public static void map(float[] x, DoubleUnaryOperator fn, float[] out) {
        for (int i = 0; i < x.length; i++) out[i] = (float) fn.applyAsDouble(x[i]);
    }

    /**
     * {@code out[i] = fn(a[i mod a.length], b[i mod b.length])}: operands equal to the output's size, or
     * repeated cyclically (a broadcast whose shape is a suffix of the output's).
     */
    public static void zip(float[] a, float[] b, DoubleBinaryOperator fn, float[] out) {
        int n = out.length, na = a.length, nb = b.length;
        if (na == n && nb == n) {
            for (int i = 0; i < n; i++) out[i] = (float) fn.applyAsDouble(a[i], b[i]);
            return;
        }
        for (int i = 0, p = 0, q = 0; i < n; i++) {
            out[i] = (float) fn.applyAsDouble(a[p], b[q]);
            if (++p == na) p = 0;
            if (++q == nb) q = 0;
        }
    }
}
