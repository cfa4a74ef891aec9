package dev.tapegrad.autodiff.kernel;

/**
 * im2col and col2im on FLOAT32 arrays, sample by sample (samples split across cores), driven by a
 * window's runs: triples {@code (column offset, source offset, length)} within one sample, the source
 * advancing by {@code stride} per element and a source of -1 marking a run of padding. Sample {@code b}'s
 * columns start at {@code b * sampleStride}: the whole block of one sample ({@code [N, K, L]}), or one
 * row's stretch when the runs place the samples side by side ({@code [K, N, L]}).
 */
public final class UnfoldKernelsF32 {
    private UnfoldKernelsF32() {}

    /** {@code n} samples of {@code per} input elements into {@code cols} column elements each. */
    public static void unfold(float[] x, float[] out, int n, int per, int cols, int sampleStride, int[] runs, int stride, float pad) {
        Parallel.range(n, 1, (long) n * cols, (b0, b1) -> {
            if (sampleStride < cols) {
                // side by side: each run once for all of the task's samples, whose copies of it lie next to each other
                for (int r = 0; r < runs.length; r += 3)
                    for (int b = b0; b < b1; b++) copy(x, b * per, out, b * sampleStride, runs, r, stride, pad);
                return;
            }
            for (int b = b0; b < b1; b++)
                for (int r = 0; r < runs.length; r += 3) copy(x, b * per, out, b * sampleStride, runs, r, stride, pad);
        });
    }

    /** Run {@code r} of the sample whose input starts at {@code xo} and whose columns start at {@code oo}. */
    private static void copy(float[] x, int xo, float[] out, int oo, int[] runs, int r, int stride, float pad) {
        int col = oo + runs[r], src = runs[r + 1], len = runs[r + 2];
        if (src < 0) java.util.Arrays.fill(out, col, col + len, pad);
        else if (stride == 1) System.arraycopy(x, xo + src, out, col, len);
        else for (int i = 0, p = xo + src; i < len; i++, p += stride) out[col + i] = x[p];
    }

    /** The adjoint of {@link #unfold}: every column element added back to its source ({@code out} starts at zero). */
    public static void fold(float[] cols, float[] out, int n, int per, int total, int sampleStride, int[] runs, int stride) {
        Parallel.range(n, 1, (long) n * total, (b0, b1) -> {
            if (sampleStride < total) {
                // side by side: each run once for all of the task's samples; every output value still receives its
                // terms in the runs' order, as sample by sample
                for (int r = 0; r < runs.length; r += 3)
                    for (int b = b0; b < b1; b++) add(cols, b * sampleStride, out, b * per, runs, r, stride);
                return;
            }
            for (int b = b0; b < b1; b++)
                for (int r = 0; r < runs.length; r += 3) add(cols, b * sampleStride, out, b * per, runs, r, stride);
        });
    }

    /** Run {@code r} of the sample whose columns start at {@code co}, added into its input starting at {@code xo}. */
    private static void add(float[] cols, int co, float[] out, int xo, int[] runs, int r, int stride) {
        int col = co + runs[r], src = runs[r + 1], len = runs[r + 2];
        if (src >= 0) for (int i = 0, p = xo + src; i < len; i++, p += stride) out[p] += cols[col + i];
    }
}
