package dev.tapegrad.autodiff.kernel;

/**
 * Dropout's scaled keep-mask from a counter-based generator: element {@code i} of the mask is {@code scale}
 * when {@code u_i >= p} and 0 otherwise, with {@code u_i = (h_i >>> 11) 2^-53} uniform in [0, 1) and
 * {@code h_i} SplitMix64's output finaliser applied to {@code seed + (i + 1) γ} ({@code γ = 0x9E3779B97F4A7C15},
 * Steele, Lea and Flood 2014). Each element depends on the seed and its index alone, so the mask is the same
 * for any split across threads and, the comparison being made in double, for both precisions.
 */
public final class DropoutKernelsF32 {
    private DropoutKernelsF32() {}

    private static final long GAMMA = 0x9E3779B97F4A7C15L;

    /** Fills {@code out} with the mask of drop probability {@code p} and kept value {@code scale}. */
    public static void mask(long seed, double p, float scale, float[] out) {
        Parallel.range(out.length, 1, 8L * out.length, (from, to) -> {
            for (int i = from; i < to; i++) out[i] = uniform(seed, i) >= p ? scale : 0;
        });
    }

    private static double uniform(long seed, int i) {
        long z = seed + (i + 1L) * GAMMA;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return ((z ^ (z >>> 31)) >>> 11) * 0x1.0p-53;
    }
}
