package dev.tapegrad.autodiff.kernel;

/**
 * The matrix product behind every {@code matmul}: {@code C = op(A) op(B)}, overwriting {@code C} (m x n,
 * row-major at {@code c[co..]}), or with {@code add} {@code C += op(A) op(B)} (a gradient term multiplied straight into
 * its sum). {@code op(A)} is m x k: {@code A} is stored row-major as m x k at
 * {@code a[ao..]}, or as k x m when {@code ta} (then {@code op(A) = A^T}, read without copying); likewise
 * {@code op(B)} is k x n, stored as k x n or, when {@code tb}, as n x k. The Vector API kernels
 * ({@code VectorGemmF32}/{@code F64}) run when {@link Settings#VECTOR}, the plain loops
 * ({@code ScalarGemmF32}/{@code F64}) otherwise; both give the same result for any thread count.
 */
public final class Gemm {
    private Gemm() {}

    public static void multiply(boolean ta, boolean tb, float[] a, int ao, float[] b, int bo, float[] c, int co, int m, int k, int n, boolean add) {
        if (Settings.VECTOR) VectorGemmF32.multiply(ta, tb, a, ao, b, bo, c, co, m, k, n, add);
        else ScalarGemmF32.multiply(ta, tb, a, ao, b, bo, c, co, m, k, n, add);
    }

    public static void multiply(boolean ta, boolean tb, double[] a, int ao, double[] b, int bo, double[] c, int co, int m, int k, int n, boolean add) {
        if (Settings.VECTOR) VectorGemmF64.multiply(ta, tb, a, ao, b, bo, c, co, m, k, n, add);
        else ScalarGemmF64.multiply(ta, tb, a, ao, b, bo, c, co, m, k, n, add);
    }

    /**
     * {@code op(B)} ({@code k x n}, stored as for {@link #multiply}) packed once for many products with it, as a
     * recurrent layer multiplies each step's state by the same {@code W_hh}: the packed paths then read its panels
     * instead of packing them for every product (an operand whose padded panels would not fit one array is left to them). The
     * operand must not change while this is in use.
     */
    public static final class Packed {
        final boolean tb;
        final int bo, k, n;
        final float[] f, pf;
        final double[] d, pd;

        private Packed(boolean tb, float[] f, double[] d, int bo, int k, int n) {
            this.tb = tb;
            this.f = f;
            this.d = d;
            this.bo = bo;
            this.k = k;
            this.n = n;
            pf = f != null && Settings.VECTOR ? VectorGemmF32.pack(tb, f, bo, k, n) : null;
            pd = d != null && Settings.VECTOR ? VectorGemmF64.pack(tb, d, bo, k, n) : null;
        }
    }

    public static Packed pack(boolean tb, float[] b, int bo, int k, int n) { return new Packed(tb, b, null, bo, k, n); }

    public static Packed pack(boolean tb, double[] b, int bo, int k, int n) { return new Packed(tb, null, b, bo, k, n); }

    /** {@code C (=|+=) op(A) op(B)} for a packed {@code op(B)}: the same result as {@link #multiply} on the unpacked operand. */
    public static void multiply(boolean ta, float[] a, int ao, Packed b, float[] c, int co, int m, boolean add) {
        if (Settings.VECTOR) VectorGemmF32.multiply(ta, b.tb, a, ao, b.f, b.bo, b.pf, c, co, m, b.k, b.n, add);
        else ScalarGemmF32.multiply(ta, b.tb, a, ao, b.f, b.bo, c, co, m, b.k, b.n, add);
    }

    public static void multiply(boolean ta, double[] a, int ao, Packed b, double[] c, int co, int m, boolean add) {
        if (Settings.VECTOR) VectorGemmF64.multiply(ta, b.tb, a, ao, b.d, b.bo, b.pd, c, co, m, b.k, b.n, add);
        else ScalarGemmF64.multiply(ta, b.tb, a, ao, b.d, b.bo, c, co, m, b.k, b.n, add);
    }

    /**
     * Rows of the packed micro-kernel's register tile; its columns are two vectors. The tile's loop keeps
     * {@code 2 MR} accumulators, both vectors of B and the {@code MR} broadcasts of A live (C2 hoists a k-step's loads
     * to its top), and runs at the FMA rate only while they all fit the register file. With 512-bit vectors
     * (AVX-512, 32 registers) the tile has 8 rows (26 registers): each k-step's 16 FMAs then carry its 10 loads and
     * index arithmetic better than 6 rows' 12 do (single-threaded FLOAT32 products 2-13 % faster, the LSTM step 4 %,
     * on an AVX-512 Xeon; FLOAT64 unchanged); otherwise 4 rows (13-14 of AVX2's 16): there 6 rows spill one
     * accumulator to the stack, a store and a reload every k-step, and the product runs at about half the rate (both
     * seen in the disassembly and in {@code GemmBenchmark}). The 8-row kernel starts its accumulators from C when it
     * adds and ends in plain stores: with an add-and-store per row pair its last store was not inlined (C2's
     * {@code NodeCountInliningCutoff}), its vectors were boxed and the product ran 8.6x slower. {@code tapegrad.gemmRows}
     * overrides the choice.
     */
    static final int MR = Settings.GEMM_ROWS != 0 ? Settings.GEMM_ROWS : Settings.VECTOR ? rowsForRegisters() : 6;

    private static int rowsForRegisters() {
        return jdk.incubator.vector.VectorShape.preferredShape().vectorBitSize() >= 512 ? 8 : 4;
    }

    /**
     * Depth of a packed slice of the inner dimension, rows of a packed block of A, columns of a packed block of B. Each
     * slice after the first loads every tile of C back into the registers and stores it again, and those tiles, rows
     * {@code n} apart, are far from the cache by then: with the 8-row tile (AVX-512) the slices are 1,024 deep, so a
     * product of up to 1,024 inner values passes over C once, and a block of A has 64 rows (256 KB of floats, 512 KB of
     * doubles: half of a 1 MB level-2 cache beside a 128 KB panel of B). Measured on an AMD EPYC Zen 4, one thread,
     * two rounds, GFLOP/s against 256 / 120 / 2048: n = 512 FLOAT64 48.2, 48.7 against 41.5, 40.0, n = 1024 43.9, 48.9
     * against 41.7, 42.3; FLOAT32 n = 1024 97, 104 against 96, 86; n = 256 within the noise (one slice either way).
     * Otherwise (AVX2, whose machines here have 512 KB level-2 caches, not measured with deep slices) 256 / 120 / 2048.
     */
    static final int KC = MR == 8 ? 1024 : 256, MC = MR == 8 ? 64 : 120, NC = MR == 8 ? 1024 : 2048;

    /** How the vector kernels compute a product; the choice depends on the operands alone, the same for both dtypes. */
    enum Path {
        /** An empty C. */
        NONE,
        /** An empty inner dimension: C is zero. */
        ZERO,
        /** Too small to repay packing (few rows, a short inner dimension, or A not transposed and all in cache): rows of B read directly. */
        DIRECT,
        /**
         * {@code A B^T} with few outputs (a small weight gradient) or at most half a tile's columns (a classifier's last
         * layer, 1000 x 392 x 10: 1.3x faster than 10 columns of a 32-wide tile): dot products of rows.
         */
        DOTS,
        /** Packed and blocked, split across threads by columns of C (when there are enough column panels to go round) or by rows. */
        PACKED_COLUMNS,
        PACKED_ROWS;

        private static final long DIRECT_MAX_ELEMENTS = 1L << 15, DOT_MAX_OUTPUTS = 1024;

        /** The path for {@code op(A) op(B)} of these sizes, with tiles {@code nr} columns wide. */
        static Path of(boolean ta, boolean tb, int m, int k, int n, int nr) {
            if (m == 0 || n == 0) return NONE;
            if (k == 0) return ZERO;
            // A small A^T B goes through the packed path all the same: the direct tile's four broadcasts per step then
            // come from columns of A (a cache line per step and row block), and packing it ran 288x64x196 (a
            // convolution's input gradient) 1.8x faster on an AVX-512 Xeon.
            if (!tb && (m < 2 * MR || k < 16 || !ta && (long) m * k + (long) k * n <= DIRECT_MAX_ELEMENTS)) return DIRECT;
            if (tb && !ta && ((long) m * n <= DOT_MAX_OUTPUTS || 2 * n <= nr)) return DOTS;
            int colPanels = (n + nr - 1) / nr, rowPanels = (m + MR - 1) / MR;
            return colPanels >= Parallel.THREADS && colPanels * nr >= rowPanels * MR ? PACKED_COLUMNS : PACKED_ROWS;
        }
    }
}
