package dev.tapegrad.autodiff.kernel;

/**
 * im2col and col2im on FLOAT32 arrays, driven by a window's runs: triples {@code (column offset, source offset,
 * length)} within one sample, the source advancing by {@code stride} per element and a source of -1 marking a run of
 * padding. {@link #unfold} and {@link #fold} take whole samples ({@code [N, K, L]}, samples split across cores);
 * {@link #copyRuns} and {@link #addRuns} take a few samples whose runs place them side by side ({@code [K, count L]},
 * a convolution's chunk, see {@link ConvLayout}). Runs of stride 2 go through {@link VectorUnfoldF32} where it pays
 * (512-bit vectors).
 */
public final class UnfoldKernelsF32 {
    private UnfoldKernelsF32() {}

    /** Whether runs of stride 2 go through {@link VectorUnfoldF32} (not loaded without the Vector API). */
    private static final boolean VECTOR_EVENS = Settings.VECTOR && VectorUnfoldF32.PAYS;

    /** {@code n} samples of {@code per} input elements into {@code cols} column elements each. */
    public static void unfold(float[] x, float[] out, int n, int per, int cols, int[] runs, int stride, float pad) {
        Parallel.range(n, 1, (long) n * cols, (b0, b1) -> {
            for (int b = b0; b < b1; b++) copyRuns(x, b * per, per, out, b * cols, cols, 1, runs, stride, pad);
        });
    }

    /**
     * Every run for {@code count} samples, the first reading {@code x} from {@code xo} and writing {@code out} from
     * {@code oo}, each next one {@code per} and {@code sampleStride} further; run by run, so that side by side the
     * samples' copies of a run lie next to each other.
     */
    static void copyRuns(float[] x, int xo, int per, float[] out, int oo, int sampleStride, int count, int[] runs, int stride, float pad) {
        for (int r = 0; r < runs.length; r += 3) {
            int len = runs[r + 2], src = runs[r + 1], col = oo + runs[r], p0 = xo + src;
            if (src < 0) for (int s = 0; s < count; s++, col += sampleStride) java.util.Arrays.fill(out, col, col + len, pad);
            else if (stride == 1) for (int s = 0; s < count; s++, col += sampleStride, p0 += per) System.arraycopy(x, p0, out, col, len);
            else if (stride == 2 && VECTOR_EVENS) VectorUnfoldF32.copyEvens(x, p0, per, out, col, sampleStride, count, len);
            else for (int s = 0; s < count; s++, col += sampleStride, p0 += per) for (int i = 0, p = p0; i < len; i++, p += stride) out[col + i] = x[p];
        }
    }

    /** The adjoint of {@link #unfold}: every column element added back to its source ({@code out} starts at zero). */
    public static void fold(float[] cols, float[] out, int n, int per, int total, int[] runs, int stride) {
        Parallel.range(n, 1, (long) n * total, (b0, b1) -> {
            for (int b = b0; b < b1; b++) addRuns(cols, b * total, total, out, b * per, per, 1, runs, stride);
        });
    }

    /** The adjoint of {@link #copyRuns}: each sample's runs added into its input, run by run in the runs' order. */
    static void addRuns(float[] cols, int co, int sampleStride, float[] out, int xo, int per, int count, int[] runs, int stride) {
        for (int r = 0; r < runs.length; r += 3) {
            int len = runs[r + 2], src = runs[r + 1];
            if (src < 0) continue;
            if (stride == 2 && VECTOR_EVENS) {
                VectorUnfoldF32.addEvens(cols, co + runs[r], sampleStride, out, xo + src, per, count, len);
                continue;
            }
            for (int s = 0, col = co + runs[r], p0 = xo + src; s < count; s++, col += sampleStride, p0 += per) {
                if (stride == 1) for (int i = 0; i < len; i++) out[p0 + i] += cols[col + i];   // a loop C2 vectorises
                else for (int i = 0, p = p0; i < len; i++, p += stride) out[p] += cols[col + i];
            }
        }
    }
}
