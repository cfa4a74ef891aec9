package dev.tapegrad.autodiff.kernel;

/**
 * The softmax over rows of length {@code s} ({@code rows x s}, row-major) and its backward, a row at a time
 * (a row stays in cache between its passes), rows split across cores; with the Vector API each row runs in vector
 * lanes ({@code VectorSoftmaxF32}).
 */
public final class SoftmaxKernelsF32 {
    private SoftmaxKernelsF32() {}

    /**
     * {@code y = exp(x - m) / sum(exp(x - m))} per row, {@code m} the row's maximum, or 0 where that is infinite
     * (a row of {@code -inf} then sums to 0; a NaN anywhere in a row makes all of it NaN). With {@code safe}, a
     * row summing to 0 gives 0s instead of NaN (a fully masked row of attention scores). {@code exp} is
     * {@link UnaryFunction#EXP}'s kernel, so the values are those of the composite {@code exp} and {@code div} up to the
     * rounding of the sum.
     */
    public static void forward(float[] x, float[] y, int rows, int s, boolean safe) {
        Parallel.range(rows, 1, (long) rows * s * (UnaryFunction.EXP.cost + 3), (r0, r1) -> {
            for (int r = r0; r < r1; r++) forwardRow(x, y, r * s, r * s + s, safe);
        });
    }

    /** {@code dx = y (g - sum(g y))} per row: the gradient of the softmax {@code y} for the cotangent {@code g}. */
    public static void backward(float[] g, float[] y, float[] dx, int rows, int s) {
        Parallel.range(rows, 1, (long) rows * s * 3, (r0, r1) -> {
            for (int r = r0; r < r1; r++) backwardRow(g, y, r * s, dx, r * s, r * s + s);
        });
    }

    /** The softmax of the row {@code x[o..end)} into {@code y} (which may be {@code x}), as {@link #forward}. */
    static void forwardRow(float[] x, float[] y, int o, int end, boolean safe) {
        if (Settings.VECTOR) {
            VectorSoftmaxF32.forwardRow(x, y, o, end, safe);
            return;
        }
        float m = Float.NEGATIVE_INFINITY;
        for (int i = o; i < end; i++) m = Math.max(m, x[i]);
        if (Float.isInfinite(m)) m = 0;
        for (int i = o; i < end; i++) y[i] = x[i] - m;
        ScalarUnaryF32.apply(UnaryFunction.EXP, y, y, o, end);
        float z = 0;
        for (int i = o; i < end; i++) z += y[i];
        if (safe && z == 0) z = 1;
        for (int i = o; i < end; i++) y[i] /= z;
    }

    /** The backward of the row {@code g[o..end)} into {@code dx} (which may be {@code g}) at the same offsets, its softmax {@code y} from {@code y[yo..]}. */
    static void backwardRow(float[] g, float[] y, int yo, float[] dx, int o, int end) {
        if (Settings.VECTOR) {
            VectorSoftmaxF32.backwardRow(g, y, yo, dx, o, end);
            return;
        }
        int shift = yo - o;
        float d = 0;
        for (int i = o; i < end; i++) d += g[i] * y[i + shift];
        for (int i = o; i < end; i++) dx[i] = y[i + shift] * (g[i] - d);
    }
}
