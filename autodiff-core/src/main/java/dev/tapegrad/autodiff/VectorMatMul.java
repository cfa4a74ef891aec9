package dev.tapegrad.autodiff;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matrix product on the Vector API, organised as in GotoBLAS/BLIS: for each {@code KC}-deep slice of the
 * inner dimension, a block of {@code op(B)} is packed into column panels {@code NR} wide and a block of
 * {@code op(A)} into row panels {@code MR} tall (zero-padded, so transposed operands cost only a different
 * packing loop); a register-tiled micro-kernel then accumulates {@code MR x NR} tiles of {@code C} with
 * FMA, {@code NR} being two vectors. Products too small to repay the packing take a direct path (4 rows by
 * 2 vectors read straight from {@code B}'s rows), and small {@code A B^T} (a weight gradient of few
 * outputs) runs as dot products of rows. Work is split across {@link Parallel#THREADS} by columns or rows
 * of {@code C}; every element's sum runs in the same order whatever the split, so results do not depend on
 * the thread count. The FLOAT64 half is the FLOAT32 half with the element type replaced.
 */
final class VectorMatMul implements MatMulKernel {
    static final int MR = 6;
    private static final int KC = 256, MC = 120, NC = 2048;

    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final int FW = FS.length(), FNR = 2 * FW;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final int DW = DS.length(), DNR = 2 * DW;

    /** Per-thread packing buffers: {@code [A block, B block, edge tile]}. */
    private static final ThreadLocal<float[][]> F_BUFFERS = ThreadLocal.withInitial(
            () -> new float[][] {new float[MC * KC], new float[KC * (NC + FNR)], new float[MR * FNR]});
    private static final ThreadLocal<double[][]> D_BUFFERS = ThreadLocal.withInitial(
            () -> new double[][] {new double[MC * KC], new double[KC * (NC + DNR)], new double[MR * DNR]});

    @Override
    public void multiply(boolean ta, boolean tb, float[] a, int ao, float[] b, int bo, float[] c, int co, int m, int k, int n) {
        long work = (long) m * n * k;
        switch (Path.of(ta, tb, m, k, n, FNR)) {
            case NONE -> { }
            case ZERO -> { for (int i = 0; i < m; i++) java.util.Arrays.fill(c, co + i * n, co + i * n + n, 0f); }
            case DIRECT -> Parallel.range(m, 4, work, (i0, i1) -> directF(ta, a, ao, b, bo, c, co, m, k, n, i0, i1));
            case DOTS -> Parallel.range(m, 1, work, (i0, i1) -> dotsF(a, ao, b, bo, c, co, k, n, i0, i1));
            case PACKED_COLUMNS -> Parallel.range(n, FNR, work, (j0, j1) -> gemmF(ta, tb, a, ao, b, bo, c, co, m, k, n, 0, m, j0, j1));
            case PACKED_ROWS -> Parallel.range(m, MR, work, (i0, i1) -> gemmF(ta, tb, a, ao, b, bo, c, co, m, k, n, i0, i1, 0, n));
        }
    }

    @Override
    public void multiply(boolean ta, boolean tb, double[] a, int ao, double[] b, int bo, double[] c, int co, int m, int k, int n) {
        long work = (long) m * n * k;
        switch (Path.of(ta, tb, m, k, n, DNR)) {
            case NONE -> { }
            case ZERO -> { for (int i = 0; i < m; i++) java.util.Arrays.fill(c, co + i * n, co + i * n + n, 0d); }
            case DIRECT -> Parallel.range(m, 4, work, (i0, i1) -> directD(ta, a, ao, b, bo, c, co, m, k, n, i0, i1));
            case DOTS -> Parallel.range(m, 1, work, (i0, i1) -> dotsD(a, ao, b, bo, c, co, k, n, i0, i1));
            case PACKED_COLUMNS -> Parallel.range(n, DNR, work, (j0, j1) -> gemmD(ta, tb, a, ao, b, bo, c, co, m, k, n, 0, m, j0, j1));
            case PACKED_ROWS -> Parallel.range(m, MR, work, (i0, i1) -> gemmD(ta, tb, a, ao, b, bo, c, co, m, k, n, i0, i1, 0, n));
        }
    }

    /** How a product is computed; the choice depends on the operands alone, the same for both dtypes. */
    private enum Path {
        /** An empty C. */
        NONE,
        /** An empty inner dimension: C is zero. */
        ZERO,
        /** Too small to repay packing (few rows, a short inner dimension, or all of it in cache): rows of B read directly. */
        DIRECT,
        /** {@code A B^T} with few outputs (a small weight gradient): dot products of rows. */
        DOTS,
        /** Packed and blocked, split across threads by columns of C (when there are enough column panels to go round) or by rows. */
        PACKED_COLUMNS,
        PACKED_ROWS;

        private static final long DIRECT_MAX_ELEMENTS = 1L << 15, DOT_MAX_OUTPUTS = 1024;

        static Path of(boolean ta, boolean tb, int m, int k, int n, int nr) {
            if (m == 0 || n == 0) return NONE;
            if (k == 0) return ZERO;
            if (!tb && (m < 2 * MR || k < 16 || (long) m * k + (long) k * n <= DIRECT_MAX_ELEMENTS)) return DIRECT;
            if (tb && !ta && (long) m * n <= DOT_MAX_OUTPUTS) return DOTS;
            int colPanels = (n + nr - 1) / nr, rowPanels = (m + MR - 1) / MR;
            return colPanels >= Parallel.THREADS && colPanels * nr >= rowPanels * MR ? PACKED_COLUMNS : PACKED_ROWS;
        }
    }

    // ---- FLOAT32 ----

    /**
     * Rows {@code i0..i1} of {@code C = op(A) B} read straight from {@code B}'s rows (no packing): tiles of 4
     * rows by 2 vectors, then narrower tails. {@code op(A)(i, p)} is at {@code a[ao + i rs + p ps]}.
     */
    private static void directF(boolean ta, float[] a, int ao, float[] b, int bo, float[] c, int co, int m, int k, int n, int i0, int i1) {
        final int w = FW, rs = ta ? 1 : k, ps = ta ? m : 1;
        int i = i0;
        for (; i + 4 <= i1; i += 4) {
            int a0 = ao + i * rs, a1 = a0 + rs, a2 = a1 + rs, a3 = a2 + rs;
            int j = 0;
            for (; j + 2 * w <= n; j += 2 * w) {
                FloatVector c00 = FloatVector.zero(FS), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
                for (int p = 0, bp = bo + j, q = 0; p < k; p++, bp += n, q += ps) {
                    FloatVector b0 = FloatVector.fromArray(FS, b, bp), b1 = FloatVector.fromArray(FS, b, bp + w);
                    FloatVector x = FloatVector.broadcast(FS, a[a0 + q]);
                    c00 = x.fma(b0, c00);
                    c01 = x.fma(b1, c01);
                    x = FloatVector.broadcast(FS, a[a1 + q]);
                    c10 = x.fma(b0, c10);
                    c11 = x.fma(b1, c11);
                    x = FloatVector.broadcast(FS, a[a2 + q]);
                    c20 = x.fma(b0, c20);
                    c21 = x.fma(b1, c21);
                    x = FloatVector.broadcast(FS, a[a3 + q]);
                    c30 = x.fma(b0, c30);
                    c31 = x.fma(b1, c31);
                }
                int c0 = co + i * n + j;
                storeF(c00, c01, c, c0, false);
                storeF(c10, c11, c, c0 + n, false);
                storeF(c20, c21, c, c0 + 2 * n, false);
                storeF(c30, c31, c, c0 + 3 * n, false);
            }
            for (int r = 0; r < 4; r++) directTailF(a, ao + (i + r) * rs, ps, b, bo, c, co + (i + r) * n, j, k, n);
        }
        for (; i < i1; i++) directTailF(a, ao + i * rs, ps, b, bo, c, co + i * n, 0, k, n);
    }

    /** One row of C from column {@code j0} on: one vector at a time, then scalars. */
    private static void directTailF(float[] a, int ai, int ps, float[] b, int bo, float[] c, int ci, int j0, int k, int n) {
        int j = j0;
        for (; j + FW <= n; j += FW) {
            FloatVector acc = FloatVector.zero(FS);
            for (int p = 0, bp = bo + j; p < k; p++, bp += n) acc = FloatVector.broadcast(FS, a[ai + p * ps]).fma(FloatVector.fromArray(FS, b, bp), acc);
            acc.intoArray(c, ci + j);
        }
        for (; j < n; j++) {
            float s = 0;
            for (int p = 0; p < k; p++) s = Math.fma(a[ai + p * ps], b[bo + p * n + j], s);
            c[ci + j] = s;
        }
    }

    /**
     * Rows {@code i0..i1} of {@code C = A B^T} as dot products of rows of A and B, vectorised along k. The
     * lanes are summed in order (the Vector API's {@code reduceLanes} order differs once compiled).
     */
    private static void dotsF(float[] a, int ao, float[] b, int bo, float[] c, int co, int k, int n, int i0, int i1) {
        int kv = FS.loopBound(k);
        float[] lanes = new float[FW];
        for (int i = i0; i < i1; i++) {
            int ai = ao + i * k, j = 0;
            for (; j + 4 <= n; j += 4) {
                int b0 = bo + j * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k;
                FloatVector s0 = FloatVector.zero(FS), s1 = s0, s2 = s0, s3 = s0;
                for (int p = 0; p < kv; p += FW) {
                    FloatVector x = FloatVector.fromArray(FS, a, ai + p);
                    s0 = x.fma(FloatVector.fromArray(FS, b, b0 + p), s0);
                    s1 = x.fma(FloatVector.fromArray(FS, b, b1 + p), s1);
                    s2 = x.fma(FloatVector.fromArray(FS, b, b2 + p), s2);
                    s3 = x.fma(FloatVector.fromArray(FS, b, b3 + p), s3);
                }
                int cj = co + i * n + j;
                c[cj] = finishDotF(s0, lanes, a, ai, b, b0, kv, k);
                c[cj + 1] = finishDotF(s1, lanes, a, ai, b, b1, kv, k);
                c[cj + 2] = finishDotF(s2, lanes, a, ai, b, b2, kv, k);
                c[cj + 3] = finishDotF(s3, lanes, a, ai, b, b3, kv, k);
            }
            for (; j < n; j++) {
                int bj = bo + j * k;
                FloatVector s0 = FloatVector.zero(FS);
                for (int p = 0; p < kv; p += FW) s0 = FloatVector.fromArray(FS, a, ai + p).fma(FloatVector.fromArray(FS, b, bj + p), s0);
                c[co + i * n + j] = finishDotF(s0, lanes, a, ai, b, bj, kv, k);
            }
        }
    }

    /** The lanes of {@code acc} summed in order, then the scalar remainder {@code kv..k} of the dot product. */
    private static float finishDotF(FloatVector acc, float[] lanes, float[] a, int ai, float[] b, int bj, int kv, int k) {
        acc.intoArray(lanes, 0);
        float s = 0;
        for (float v : lanes) s += v;
        for (int p = kv; p < k; p++) s = Math.fma(a[ai + p], b[bj + p], s);
        return s;
    }

    /** {@code C[i0:i1, j0:j1] = op(A)[i0:i1, :] op(B)[:, j0:j1]}. */
    private static void gemmF(boolean ta, boolean tb, float[] a, int ao, float[] b, int bo, float[] c, int co,
                              int m, int k, int n, int i0, int i1, int j0, int j1) {
        float[][] buf = F_BUFFERS.get();
        float[] ap = buf[0], bp = buf[1], tile = buf[2];
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packBF(tb, b, bo, k, n, pc, kc, jc, nc, bp);
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    packAF(ta, a, ao, m, k, ic, mc, pc, kc, ap);
                    for (int jr = 0; jr < nc; jr += FNR) {
                        for (int ir = 0; ir < mc; ir += MR) {
                            microF(ap, ir * kc, bp, jr * kc, kc, c, co + (ic + ir) * n + jc + jr, n,
                                    Math.min(MR, mc - ir), Math.min(FNR, nc - jr), pc == 0, tile);
                        }
                    }
                }
            }
        }
    }

    /** Rows {@code i0..i0+mc} of op(A), columns {@code p0..p0+kc}, as panels of {@code MR} rows stored column by column. */
    private static void packAF(boolean ta, float[] a, int ao, int m, int k, int i0, int mc, int p0, int kc, float[] ap) {
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir), dst = ir * kc;
            if (ta) {
                for (int p = 0; p < kc; p++) {
                    int src = ao + (p0 + p) * m + i0 + ir, d = dst + p * MR;
                    for (int r = 0; r < rows; r++) ap[d + r] = a[src + r];
                    for (int r = rows; r < MR; r++) ap[d + r] = 0;
                }
            } else {
                for (int r = 0; r < rows; r++) {
                    int src = ao + (i0 + ir + r) * k + p0;
                    for (int p = 0; p < kc; p++) ap[dst + p * MR + r] = a[src + p];
                }
                for (int r = rows; r < MR; r++) for (int p = 0; p < kc; p++) ap[dst + p * MR + r] = 0;
            }
        }
    }

    /** Rows {@code p0..p0+kc} of op(B), columns {@code j0..j0+nc}, as panels of {@code NR} columns stored row by row. */
    private static void packBF(boolean tb, float[] b, int bo, int k, int n, int p0, int kc, int j0, int nc, float[] bp) {
        for (int jr = 0; jr < nc; jr += FNR) {
            int cols = Math.min(FNR, nc - jr), dst = jr * kc;
            if (tb) {
                for (int col = 0; col < cols; col++) {
                    int src = bo + (j0 + jr + col) * k + p0;
                    for (int p = 0; p < kc; p++) bp[dst + p * FNR + col] = b[src + p];
                }
                for (int col = cols; col < FNR; col++) for (int p = 0; p < kc; p++) bp[dst + p * FNR + col] = 0;
            } else {
                for (int p = 0; p < kc; p++) {
                    int d = dst + p * FNR;
                    System.arraycopy(b, bo + (p0 + p) * n + j0 + jr, bp, d, cols);
                    for (int col = cols; col < FNR; col++) bp[d + col] = 0;
                }
            }
        }
    }

    /** One {@code MR x NR} tile: {@code C (=|+=) Ap Bp} over {@code kc}; a partial tile goes through {@code tile}. */
    private static void microF(float[] ap, int pa, float[] bp, int pb, int kc, float[] c, int ci, int n,
                               int rows, int cols, boolean first, float[] tile) {
        FloatVector c00 = FloatVector.zero(FS), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        for (int p = 0; p < kc; p++) {
            int ia = pa + p * MR, ib = pb + p * FNR;
            FloatVector b0 = FloatVector.fromArray(FS, bp, ib), b1 = FloatVector.fromArray(FS, bp, ib + FW);
            FloatVector x = FloatVector.broadcast(FS, ap[ia]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(FS, ap[ia + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(FS, ap[ia + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(FS, ap[ia + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(FS, ap[ia + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(FS, ap[ia + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        boolean full = rows == MR && cols == FNR;
        float[] out = full ? c : tile;
        int o = full ? ci : 0, ld = full ? n : FNR;
        boolean add = full && !first;
        storeF(c00, c01, out, o, add);
        storeF(c10, c11, out, o + ld, add);
        storeF(c20, c21, out, o + 2 * ld, add);
        storeF(c30, c31, out, o + 3 * ld, add);
        storeF(c40, c41, out, o + 4 * ld, add);
        storeF(c50, c51, out, o + 5 * ld, add);
        if (full) return;
        for (int r = 0; r < rows; r++) {
            int cr = ci + r * n, tr = r * FNR;
            if (first) System.arraycopy(tile, tr, c, cr, cols);
            else for (int j = 0; j < cols; j++) c[cr + j] += tile[tr + j];
        }
    }

    private static void storeF(FloatVector v0, FloatVector v1, float[] c, int i, boolean add) {
        if (add) {
            v0 = v0.add(FloatVector.fromArray(FS, c, i));
            v1 = v1.add(FloatVector.fromArray(FS, c, i + FW));
        }
        v0.intoArray(c, i);
        v1.intoArray(c, i + FW);
    }

    // ---- FLOAT64: the FLOAT32 code with float -> double ----

    /**
     * FLOAT64: rows {@code i0..i1} of {@code C = op(A) B} read straight from {@code B}'s rows (no packing): tiles of 4
     * rows by 2 vectors, then narrower tails. {@code op(A)(i, p)} is at {@code a[ao + i rs + p ps]}.
     */
    private static void directD(boolean ta, double[] a, int ao, double[] b, int bo, double[] c, int co, int m, int k, int n, int i0, int i1) {
        final int w = DW, rs = ta ? 1 : k, ps = ta ? m : 1;
        int i = i0;
        for (; i + 4 <= i1; i += 4) {
            int a0 = ao + i * rs, a1 = a0 + rs, a2 = a1 + rs, a3 = a2 + rs;
            int j = 0;
            for (; j + 2 * w <= n; j += 2 * w) {
                DoubleVector c00 = DoubleVector.zero(DS), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
                for (int p = 0, bp = bo + j, q = 0; p < k; p++, bp += n, q += ps) {
                    DoubleVector b0 = DoubleVector.fromArray(DS, b, bp), b1 = DoubleVector.fromArray(DS, b, bp + w);
                    DoubleVector x = DoubleVector.broadcast(DS, a[a0 + q]);
                    c00 = x.fma(b0, c00);
                    c01 = x.fma(b1, c01);
                    x = DoubleVector.broadcast(DS, a[a1 + q]);
                    c10 = x.fma(b0, c10);
                    c11 = x.fma(b1, c11);
                    x = DoubleVector.broadcast(DS, a[a2 + q]);
                    c20 = x.fma(b0, c20);
                    c21 = x.fma(b1, c21);
                    x = DoubleVector.broadcast(DS, a[a3 + q]);
                    c30 = x.fma(b0, c30);
                    c31 = x.fma(b1, c31);
                }
                int c0 = co + i * n + j;
                storeD(c00, c01, c, c0, false);
                storeD(c10, c11, c, c0 + n, false);
                storeD(c20, c21, c, c0 + 2 * n, false);
                storeD(c30, c31, c, c0 + 3 * n, false);
            }
            for (int r = 0; r < 4; r++) directTailD(a, ao + (i + r) * rs, ps, b, bo, c, co + (i + r) * n, j, k, n);
        }
        for (; i < i1; i++) directTailD(a, ao + i * rs, ps, b, bo, c, co + i * n, 0, k, n);
    }

    /** One row of C from column {@code j0} on: one vector at a time, then scalars. */
    private static void directTailD(double[] a, int ai, int ps, double[] b, int bo, double[] c, int ci, int j0, int k, int n) {
        int j = j0;
        for (; j + DW <= n; j += DW) {
            DoubleVector acc = DoubleVector.zero(DS);
            for (int p = 0, bp = bo + j; p < k; p++, bp += n) acc = DoubleVector.broadcast(DS, a[ai + p * ps]).fma(DoubleVector.fromArray(DS, b, bp), acc);
            acc.intoArray(c, ci + j);
        }
        for (; j < n; j++) {
            double s = 0;
            for (int p = 0; p < k; p++) s = Math.fma(a[ai + p * ps], b[bo + p * n + j], s);
            c[ci + j] = s;
        }
    }

    /**
     * Rows {@code i0..i1} of {@code C = A B^T} as dot products of rows of A and B, vectorised along k. The
     * lanes are summed in order (the Vector API's {@code reduceLanes} order differs once compiled).
     */
    private static void dotsD(double[] a, int ao, double[] b, int bo, double[] c, int co, int k, int n, int i0, int i1) {
        int kv = DS.loopBound(k);
        double[] lanes = new double[DW];
        for (int i = i0; i < i1; i++) {
            int ai = ao + i * k, j = 0;
            for (; j + 4 <= n; j += 4) {
                int b0 = bo + j * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k;
                DoubleVector s0 = DoubleVector.zero(DS), s1 = s0, s2 = s0, s3 = s0;
                for (int p = 0; p < kv; p += DW) {
                    DoubleVector x = DoubleVector.fromArray(DS, a, ai + p);
                    s0 = x.fma(DoubleVector.fromArray(DS, b, b0 + p), s0);
                    s1 = x.fma(DoubleVector.fromArray(DS, b, b1 + p), s1);
                    s2 = x.fma(DoubleVector.fromArray(DS, b, b2 + p), s2);
                    s3 = x.fma(DoubleVector.fromArray(DS, b, b3 + p), s3);
                }
                int cj = co + i * n + j;
                c[cj] = finishDotD(s0, lanes, a, ai, b, b0, kv, k);
                c[cj + 1] = finishDotD(s1, lanes, a, ai, b, b1, kv, k);
                c[cj + 2] = finishDotD(s2, lanes, a, ai, b, b2, kv, k);
                c[cj + 3] = finishDotD(s3, lanes, a, ai, b, b3, kv, k);
            }
            for (; j < n; j++) {
                int bj = bo + j * k;
                DoubleVector s0 = DoubleVector.zero(DS);
                for (int p = 0; p < kv; p += DW) s0 = DoubleVector.fromArray(DS, a, ai + p).fma(DoubleVector.fromArray(DS, b, bj + p), s0);
                c[co + i * n + j] = finishDotD(s0, lanes, a, ai, b, bj, kv, k);
            }
        }
    }

    /** The lanes of {@code acc} summed in order, then the scalar remainder {@code kv..k} of the dot product. */
    private static double finishDotD(DoubleVector acc, double[] lanes, double[] a, int ai, double[] b, int bj, int kv, int k) {
        acc.intoArray(lanes, 0);
        double s = 0;
        for (double v : lanes) s += v;
        for (int p = kv; p < k; p++) s = Math.fma(a[ai + p], b[bj + p], s);
        return s;
    }

    private static void gemmD(boolean ta, boolean tb, double[] a, int ao, double[] b, int bo, double[] c, int co,
                              int m, int k, int n, int i0, int i1, int j0, int j1) {
        double[][] buf = D_BUFFERS.get();
        double[] ap = buf[0], bp = buf[1], tile = buf[2];
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packBD(tb, b, bo, k, n, pc, kc, jc, nc, bp);
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    packAD(ta, a, ao, m, k, ic, mc, pc, kc, ap);
                    for (int jr = 0; jr < nc; jr += DNR) {
                        for (int ir = 0; ir < mc; ir += MR) {
                            microD(ap, ir * kc, bp, jr * kc, kc, c, co + (ic + ir) * n + jc + jr, n,
                                    Math.min(MR, mc - ir), Math.min(DNR, nc - jr), pc == 0, tile);
                        }
                    }
                }
            }
        }
    }

    private static void packAD(boolean ta, double[] a, int ao, int m, int k, int i0, int mc, int p0, int kc, double[] ap) {
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir), dst = ir * kc;
            if (ta) {
                for (int p = 0; p < kc; p++) {
                    int src = ao + (p0 + p) * m + i0 + ir, d = dst + p * MR;
                    for (int r = 0; r < rows; r++) ap[d + r] = a[src + r];
                    for (int r = rows; r < MR; r++) ap[d + r] = 0;
                }
            } else {
                for (int r = 0; r < rows; r++) {
                    int src = ao + (i0 + ir + r) * k + p0;
                    for (int p = 0; p < kc; p++) ap[dst + p * MR + r] = a[src + p];
                }
                for (int r = rows; r < MR; r++) for (int p = 0; p < kc; p++) ap[dst + p * MR + r] = 0;
            }
        }
    }

    private static void packBD(boolean tb, double[] b, int bo, int k, int n, int p0, int kc, int j0, int nc, double[] bp) {
        for (int jr = 0; jr < nc; jr += DNR) {
            int cols = Math.min(DNR, nc - jr), dst = jr * kc;
            if (tb) {
                for (int col = 0; col < cols; col++) {
                    int src = bo + (j0 + jr + col) * k + p0;
                    for (int p = 0; p < kc; p++) bp[dst + p * DNR + col] = b[src + p];
                }
                for (int col = cols; col < DNR; col++) for (int p = 0; p < kc; p++) bp[dst + p * DNR + col] = 0;
            } else {
                for (int p = 0; p < kc; p++) {
                    int d = dst + p * DNR;
                    System.arraycopy(b, bo + (p0 + p) * n + j0 + jr, bp, d, cols);
                    for (int col = cols; col < DNR; col++) bp[d + col] = 0;
                }
            }
        }
    }

    private static void microD(double[] ap, int pa, double[] bp, int pb, int kc, double[] c, int ci, int n,
                               int rows, int cols, boolean first, double[] tile) {
        DoubleVector c00 = DoubleVector.zero(DS), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        DoubleVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        for (int p = 0; p < kc; p++) {
            int ia = pa + p * MR, ib = pb + p * DNR;
            DoubleVector b0 = DoubleVector.fromArray(DS, bp, ib), b1 = DoubleVector.fromArray(DS, bp, ib + DW);
            DoubleVector x = DoubleVector.broadcast(DS, ap[ia]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(DS, ap[ia + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(DS, ap[ia + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(DS, ap[ia + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = DoubleVector.broadcast(DS, ap[ia + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = DoubleVector.broadcast(DS, ap[ia + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        boolean full = rows == MR && cols == DNR;
        double[] out = full ? c : tile;
        int o = full ? ci : 0, ld = full ? n : DNR;
        boolean add = full && !first;
        storeD(c00, c01, out, o, add);
        storeD(c10, c11, out, o + ld, add);
        storeD(c20, c21, out, o + 2 * ld, add);
        storeD(c30, c31, out, o + 3 * ld, add);
        storeD(c40, c41, out, o + 4 * ld, add);
        storeD(c50, c51, out, o + 5 * ld, add);
        if (full) return;
        for (int r = 0; r < rows; r++) {
            int cr = ci + r * n, tr = r * DNR;
            if (first) System.arraycopy(tile, tr, c, cr, cols);
            else for (int j = 0; j < cols; j++) c[cr + j] += tile[tr + j];
        }
    }

    private static void storeD(DoubleVector v0, DoubleVector v1, double[] c, int i, boolean add) {
        if (add) {
            v0 = v0.add(DoubleVector.fromArray(DS, c, i));
            v1 = v1.add(DoubleVector.fromArray(DS, c, i + DW));
        }
        v0.intoArray(c, i);
        v1.intoArray(c, i + DW);
    }
}
