package dev.tapegrad.autodiff.kernel;

/**
 * Element copies between FLOAT32 arrays: by offset tables (gather, scatter-add), by strided blocks
 * (slices and paddings, whose contiguous runs need no table), and the transpose of the last two axes. Blocks and
 * rows are split across cores (each writes its own part of the output).
 */
public final class CopyKernelsF32 {
    private CopyKernelsF32() {}

    /** {@code out[i] = src[offsets[i]]}. */
    public static void gather(float[] src, int[] offsets, float[] out) {
        for (int i = 0; i < offsets.length; i++) out[i] = src[offsets[i]];
    }

    /** {@code into[offsets[i]] += src[i]}. */
    public static void scatterAdd(float[] into, int[] offsets, float[] src) {
        for (int i = 0; i < offsets.length; i++) into[offsets[i]] += src[i];
    }

    /**
     * Scatter-add along the middle axis of {@code into [outer, size, inner]} from {@code src [outer, n,
     * inner]}: {@code into[o][index[o][k][j]][j] += src[o][k][j]}. Each outer block writes its own slice of
     * {@code into}, so blocks split across cores without changing any sum.
     */
    public static void scatterAddAlongAxis(float[] into, int[] index, float[] src, int outer, int size, int n, int inner) {
        Parallel.range(outer, 1, index.length, (o0, o1) -> {
            for (int o = o0; o < o1; o++) {
                int base = o * size * inner;
                for (int k = 0, i = o * n * inner; k < n; k++, i += inner)
                    for (int j = 0; j < inner; j++) into[base + index[i + j] * inner + j] += src[i + j];
            }
        });
    }

    /**
     * {@code blocks} runs of {@code len} elements: run {@code b} goes from {@code src[srcAt + b srcStride ..]}
     * to {@code dst[dstAt + b dstStride ..]}.
     */
    public static void copyBlocks(float[] src, int srcAt, int srcStride, float[] dst, int dstAt, int dstStride, int blocks, int len) {
        Parallel.range(blocks, 1, (long) blocks * len, (b0, b1) -> {
            for (int b = b0; b < b1; b++) System.arraycopy(src, srcAt + b * srcStride, dst, dstAt + b * dstStride, len);
        });
    }

    /** {@code dst[k len .. (k + 1) len) = src[starts[k] ..]}: whole rows by a table of their starts (a permutation that keeps the last axis). */
    public static void gatherRows(float[] src, int[] starts, float[] dst, int len) {
        Parallel.range(starts.length, 1, (long) starts.length * len, (k0, k1) -> {
            for (int k = k0; k < k1; k++) System.arraycopy(src, starts[k], dst, k * len, len);
        });
    }

    /** As {@link #copyBlocks}, adding: {@code dst[dstAt + b dstStride + j] += src[srcAt + b srcStride + j]}. */
    public static void addBlocks(float[] src, int srcAt, int srcStride, float[] dst, int dstAt, int dstStride, int blocks, int len) {
        Parallel.range(blocks, 1, (long) blocks * len, (b0, b1) -> {
            for (int b = b0; b < b1; b++)
                for (int j = 0, s = srcAt + b * srcStride, d = dstAt + b * dstStride; j < len; j++) dst[d + j] += src[s + j];
        });
    }

    /** Swaps the last two axes of {@code batches} row-major {@code r x c} matrices. */
    public static void transposeLastTwo(float[] x, float[] out, int batches, int r, int c) {
        for (int b = 0, o = 0, m = r * c; b < batches; b++, o += m)
            for (int i = 0; i < r; i++)
                for (int j = 0; j < c; j++) out[o + j * r + i] = x[o + i * c + j];
    }
}
