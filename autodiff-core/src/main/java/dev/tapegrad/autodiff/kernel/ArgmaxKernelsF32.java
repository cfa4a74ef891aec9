package dev.tapegrad.autodiff.kernel;

/**
 * The position of the first maximum along the middle axis of {@code [outer, n, inner]} FLOAT32 values
 * (NaN counts as the maximum, as in PyTorch), rows of the reduction split across cores; and the same over the windows
 * of images ({@link #windowArgmax}, max pooling), unfolded a few images at a time, or read straight from them for
 * windows of 2 x 2 at stride 2 ({@link #windowPairs}).
 */
public final class ArgmaxKernelsF32 {
    private ArgmaxKernelsF32() {}

    /**
     * Writes into {@code best} ({@code outer * inner}) the first arg-max of each column and, unless it is
     * null, the maxima into {@code values}. Requires {@code n >= 1}.
     */
    public static void argmax(float[] x, float[] values, int[] best, int outer, int n, int inner) {
        Parallel.range(outer, 1, x.length, (o0, o1) -> rows(x, o0 * n * inner, values, best, o0, o1, n, inner));
    }

    /** Elements of a chunk's columns in {@link #windowArgmax}: 64 KB of floats, which stay in the level-2 cache. */
    private static final int CHUNK = 1 << 14;
    /** A thread's buffer of {@link #CHUNK} elements; a plane with more columns gets a buffer of its own, not kept. */
    private static final ThreadLocal<float[]> COLUMNS = ThreadLocal.withInitial(() -> new float[CHUNK]);

    /**
     * For {@code planes} images of {@code per} elements, each unfolded by {@code runs} (one image's, as
     * {@link UnfoldKernelsF32#copyRuns} takes them, padding read as -inf) into {@code [taps, l]} columns: the first
     * maximum of every window, its tap number into {@code best} and its value into {@code values} (both
     * {@code [planes, l]}), as {@link #argmax} of the whole unfolded tensor gives them. A few images at a time are
     * unfolded into a buffer of the thread's own and reduced while it is in cache, instead of writing and reading back
     * all of the columns, {@code taps} times the output.
     */
    public static void windowArgmax(float[] x, int per, int planes, int taps, int l, int[] runs, int stride, float[] values, int[] best) {
        int cols = taps * l, chunk = Math.max(1, CHUNK / cols), chunks = (planes + chunk - 1) / chunk;
        Parallel.range(chunks, 1, (long) planes * cols, (c0, c1) -> {
            float[] buffer = chunk * cols <= CHUNK ? COLUMNS.get() : new float[cols];
            for (int c = c0; c < c1; c++) {
                int p0 = c * chunk, p1 = Math.min(planes, p0 + chunk);
                UnfoldKernelsF32.copyRuns(x, p0 * per, per, buffer, 0, cols, p1 - p0, runs, stride, Float.NEGATIVE_INFINITY);
                rows(buffer, 0, values, best, p0, p1, taps, l);
            }
        });
    }

    /**
     * Max pooling's usual window, 2 x 2 at stride 2 without padding, over {@code planes} images {@code h x w}: the first
     * maximum of every window (taps in the order top left, top right, bottom left, bottom right; NaN counts as the
     * maximum) into {@code values} and its offset {@code iy w + ix} in its image into {@code offsets} (both
     * {@code [planes, (h / 2) (w / 2)]}), read straight from the images: what {@link #windowArgmax} gives, its tap numbers
     * mapped to offsets, without the columns.
     */
    public static void windowPairs(float[] x, int planes, int h, int w, float[] values, int[] offsets) {
        Parallel.range(planes, 1, (long) planes * h * w, (p0, p1) -> {
            if (Settings.VECTOR) VectorArgmaxF32.pairs(x, p0, p1, h, w, values, offsets);
            else for (int p = p0, oh = h / 2, ow = w / 2; p < p1; p++)
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++) pair(x, p * h * w, 2 * oy * w + 2 * ox, w, values, offsets, (p * oh + oy) * ow + ox);
        });
    }

    /** The window of {@link #windowPairs} whose top left is {@code x[base + top]}, its maximum and offset written at {@code at}. */
    static void pair(float[] x, int base, int top, int w, float[] values, int[] offsets, int at) {
        float m = x[base + top];
        int best = top;
        for (int tap = 1; tap < 4; tap++) {
            int o = top + (tap >> 1) * w + (tap & 1);
            float v = x[base + o];
            if (takes(v, m)) { m = v; best = o; }
        }
        values[at] = m;
        offsets[at] = best;
    }

    /** Whether {@code v} replaces the running maximum {@code m}: greater, or NaN where {@code m} is not (the first NaN stays). */
    static boolean takes(float v, float m) { return v > m || (v != v && m == m); }

    /** Rows {@code o0..o1} of the reduction, {@code x} holding them from {@code xo}. */
    private static void rows(float[] x, int xo, float[] values, int[] best, int o0, int o1, int n, int inner) {
        if (Settings.VECTOR) VectorArgmaxF32.argmax(x, xo, values, best, o0, o1, n, inner);
        else scalar(x, xo, values, best, o0, o1, n, inner);
    }

    /** A running maximum per inner position, row by row (contiguous reads). */
    private static void scalar(float[] x, int xo, float[] values, int[] best, int o0, int o1, int n, int inner) {
        float[] m = new float[inner];
        for (int o = o0; o < o1; o++) {
            int base = xo + (o - o0) * n * inner, out = o * inner;
            System.arraycopy(x, base, m, 0, inner);
            java.util.Arrays.fill(best, out, out + inner, 0);
            for (int k = 1; k < n; k++) {
                int row = base + k * inner;
                for (int i = 0; i < inner; i++) {
                    float v = x[row + i];
                    if (takes(v, m[i])) { m[i] = v; best[out + i] = k; }
                }
            }
            if (values != null) System.arraycopy(m, 0, values, out, inner);
        }
    }
}
