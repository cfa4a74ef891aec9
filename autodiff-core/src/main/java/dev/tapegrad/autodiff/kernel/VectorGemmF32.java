package dev.tapegrad.autodiff.kernel;

import static dev.tapegrad.autodiff.kernel.Gemm.KC;
import static dev.tapegrad.autodiff.kernel.Gemm.MC;
import static dev.tapegrad.autodiff.kernel.Gemm.MR;
import static dev.tapegrad.autodiff.kernel.Gemm.NC;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Gemm} on the Vector API, organised as in GotoBLAS/BLIS: for each {@code KC}-deep slice of the
 * inner dimension, a block of {@code op(B)} is packed into column panels {@code NR} wide and a block of
 * {@code op(A)} into row panels {@code MR} tall (zero-padded, so transposed operands cost only a different
 * packing loop); a register-tiled micro-kernel then accumulates {@code MR x NR} tiles of {@code C} with
 * FMA, {@code NR} being two vectors. A non-transposed {@code B} of a product with few rows is read in place instead of
 * packed ({@link #DIRECT_B_ROWS}). Products too small to repay the packing take a direct path (4 rows by
 * 2 vectors read straight from {@code B}'s rows, the last columns one masked vector, a last block of fewer rows
 * computed as 4), and small {@code A B^T} (a weight gradient of few
 * outputs) runs as dot products of rows ({@link Gemm.Path}). Work is split across {@link Parallel#THREADS}
 * by columns or rows of {@code C}; every element's sum runs in the same order whatever the split, so
 * results do not depend on the thread count.
 */
final class VectorGemmF32 {
    private VectorGemmF32() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int W = S.length(), NR = 2 * W;
    /** {@link Gemm#MR} lanes: one step of a packed panel of A in one vector, copied from {@code A^T}'s rows (null where no vector shape has that many). */
    private static final VectorSpecies<Float> PANEL = panelSpecies();

    /**
     * Eight lanes (256-bit floats, 512-bit doubles; null where the machine's vectors are narrower), for the 8 x 8 blocks
     * in which {@link #packB} transposes {@code B^T} and {@link #packA} an 8-row panel of {@code A}, and the two-input
     * shuffles of the transposition's three stages: stage {@code s} pairs rows {@code i} and {@code i + 2^s} (bit
     * {@code s} of {@code i} clear), {@code LOW} taking lane {@code j} from the first row where bit {@code s} of {@code j}
     * is clear and lane {@code j - 2^s} of the second where it is set, {@code HIGH} lanes {@code j + 2^s} of the first
     * and {@code j} of the second: after the three stages row {@code i} holds lane {@code i} of every row. Measured on an
     * AMD EPYC Zen 4: a panel of {@code B^T} 5.6x faster than copied value by value (the product {@code x W^T} of a
     * 784-392 layer at batch 64 as fast as {@code x W} now, 468 against 611 us on one thread), and 8-row panels of
     * {@code A} than gathered 8 rows per step on AVX-512 (a 512 x 512 product on one thread 2.64 against 3.04 ms).
     */
    private static final VectorSpecies<Float> EIGHT = VectorShape.forBitSize(8 * Float.SIZE).vectorBitSize() <= S.vectorBitSize()
            ? VectorSpecies.of(float.class, VectorShape.forBitSize(8 * Float.SIZE)) : null;
    private static final VectorShuffle<Float> LOW1 = butterfly(1, true), HIGH1 = butterfly(1, false), LOW2 = butterfly(2, true), HIGH2 = butterfly(2, false),
            LOW4 = butterfly(4, true), HIGH4 = butterfly(4, false);

    private static VectorShuffle<Float> butterfly(int b, boolean low) {
        if (EIGHT == null) return null;
        int[] lanes = new int[8];
        // a source index of 8 or more selects lane (index - 8) of the second vector
        for (int j = 0; j < 8; j++) lanes[j] = (j & b) == 0 ? (low ? j : j + b) : (low ? j - b + 8 : j + 8);
        return VectorShuffle.fromValues(EIGHT, lanes);
    }

    private static VectorSpecies<Float> panelSpecies() {
        int bits = MR * Float.SIZE;
        return (bits == 128 || bits == 256 || bits == 512) && bits <= S.vectorBitSize() ? VectorSpecies.of(float.class, VectorShape.forBitSize(bits)) : null;
    }

    /**
     * The most rows of C for which the packed path reads a non-transposed B's full panels straight from its rows
     * instead of packing them (the last, partial panel is packed): with few row panels of A to share a packed panel
     * of B, packing B cost more than the strided loads. Measured on an AMD EPYC Zen 4, fastest or median of 1,500 calls,
     * one thread: 64 x 784 x 392 475 -> 416-425 us, 64 x 576 x 544 (a convolution's chunk) 440-462 -> 385,
     * 32 x 256 x 1024 210-218 -> 173-179, 128 x 1024 x 392 1110-1264 -> 1075-1080, 256 x 784 x 392 1654-1724 ->
     * 1621-1681; 512 and more rows unchanged or slower. Only with the 8-row tile (AVX-512): with the 4-row tile
     * (there each B panel serves half as many rows; measured with {@code -XX:UseAVX=2} on the same machine) three of four
     * such shapes ran slower, 32 x 256 x 1024 1.5x.
     */
    static final int DIRECT_B_ROWS = MR == 8 ? 256 : 0;

    /** Per-thread packing buffers: {@code [A block, B block, edge tile]}. */
    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(
            () -> new float[][] {new float[MC * KC], new float[KC * (NC + NR)], new float[MR * NR]});

    /** {@code C = op(A) op(B)}, or {@code C += op(A) op(B)} when {@code add}. */
    static void multiply(boolean ta, boolean tb, float[] a, int ao, float[] b, int bo, float[] c, int co, int m, int k, int n, boolean add) {
        multiply(ta, tb, a, ao, b, bo, null, c, co, m, k, n, add);
    }

    /**
     * As {@link #multiply(boolean, boolean, float[], int, float[], int, float[], int, int, int, int, boolean)}; the packed
     * paths take {@code op(B)}'s panels from {@code packed} ({@link #pack}) instead of packing them, when it is not null.
     */
    static void multiply(boolean ta, boolean tb, float[] a, int ao, float[] b, int bo, float[] packed, float[] c, int co, int m, int k, int n,
                         boolean add) {
        long work = (long) m * n * k;
        switch (Gemm.Path.of(ta, tb, m, k, n, NR)) {
            case NONE -> { }
            case ZERO -> { if (!add) for (int i = 0; i < m; i++) java.util.Arrays.fill(c, co + i * n, co + i * n + n, 0f); }
            case DIRECT -> Parallel.range(m, 4, work, (i0, i1) -> direct(ta, a, ao, b, bo, c, co, m, k, n, i0, i1, add));
            case DOTS -> Parallel.range(m, 2, work, (i0, i1) -> dots(a, ao, b, bo, c, co, k, n, i0, i1, add));
            case PACKED_COLUMNS -> Parallel.range(n, NR, work, (j0, j1) -> gemm(ta, tb, a, ao, b, bo, packed, c, co, m, k, n, 0, m, j0, j1, add));
            case PACKED_ROWS -> Parallel.range(m, MR, work, (i0, i1) -> gemm(ta, tb, a, ao, b, bo, packed, c, co, m, k, n, i0, i1, 0, n, add));
        }
    }

    /**
     * All of {@code op(B)} ({@code k x n}) as {@link #gemm} packs it block by block: the block of rows {@code p0..p0+kc}
     * starts at {@code p0 ceil(n / NR) NR}, its panel of columns {@code j..j+NR} {@code j kc} after that; null (pack per
     * product) when the padded panels would not fit one array.
     */
    static float[] pack(boolean tb, float[] b, int bo, int k, int n) {
        int width = (n + NR - 1) / NR * NR;
        if ((long) k * width > Settings.MAX_ELEMENTS) return null;
        float[] packed = new float[k * width];
        for (int pc = 0; pc < k; pc += KC) packB(tb, b, bo, k, n, pc, Math.min(KC, k - pc), 0, n, packed, pc * width);
        return packed;
    }

    /**
     * Rows {@code i0..i1} of {@code C = op(A) B} read straight from {@code B}'s rows (no packing), in blocks of 4
     * rows: tiles of 2 vectors, then one vector at a time, the last one masked. A block of fewer rows repeats its
     * last row of A (computed, not stored), so every tile keeps 4 or 8 FMA chains. {@code op(A)(i, p)} is at
     * {@code a[ao + i rs + p ps]}.
     */
    private static void direct(boolean ta, float[] a, int ao, float[] b, int bo, float[] c, int co, int m, int k, int n, int i0, int i1, boolean add) {
        final int rs = ta ? 1 : k, ps = ta ? m : 1;
        for (int i = i0; i < i1; i += 4) {
            int rows = Math.min(4, i1 - i), last = i + rows - 1;
            int a0 = ao + i * rs, a1 = ao + Math.min(i + 1, last) * rs, a2 = ao + Math.min(i + 2, last) * rs, a3 = ao + Math.min(i + 3, last) * rs;
            int ci = co + i * n, j = 0;
            for (; j + 2 * W <= n; j += 2 * W) {
                FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
                for (int p = 0, bp = bo + j, q = 0; p < k; p++, bp += n, q += ps) {
                    FloatVector b0 = FloatVector.fromArray(S, b, bp), b1 = FloatVector.fromArray(S, b, bp + W);
                    FloatVector x = FloatVector.broadcast(S, a[a0 + q]);
                    c00 = x.fma(b0, c00);
                    c01 = x.fma(b1, c01);
                    x = FloatVector.broadcast(S, a[a1 + q]);
                    c10 = x.fma(b0, c10);
                    c11 = x.fma(b1, c11);
                    x = FloatVector.broadcast(S, a[a2 + q]);
                    c20 = x.fma(b0, c20);
                    c21 = x.fma(b1, c21);
                    x = FloatVector.broadcast(S, a[a3 + q]);
                    c30 = x.fma(b0, c30);
                    c31 = x.fma(b1, c31);
                }
                int c0 = ci + j;
                store(c00, c01, c, c0, add);
                if (rows > 1) store(c10, c11, c, c0 + n, add);
                if (rows > 2) store(c20, c21, c, c0 + 2 * n, add);
                if (rows > 3) store(c30, c31, c, c0 + 3 * n, add);
            }
            for (; j < n; j += W) direct1(a, a0, a1, a2, a3, ps, b, bo + j, c, ci + j, k, n, rows, add, S.indexInRange(j, n));
        }
    }

    /** A 4-row, 1-vector tile of {@link #direct}, its columns limited by {@code mask}. */
    private static void direct1(float[] a, int a0, int a1, int a2, int a3, int ps, float[] b, int bj, float[] c, int ci, int k, int n, int rows, boolean add,
                                VectorMask<Float> mask) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
        for (int p = 0, bp = bj, q = 0; p < k; p++, bp += n, q += ps) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp, mask);
            c0 = FloatVector.broadcast(S, a[a0 + q]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, a[a1 + q]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, a[a2 + q]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, a[a3 + q]).fma(b0, c3);
        }
        store(c0, c, ci, add, mask);
        if (rows > 1) store(c1, c, ci + n, add, mask);
        if (rows > 2) store(c2, c, ci + 2 * n, add, mask);
        if (rows > 3) store(c3, c, ci + 3 * n, add, mask);
    }

    /**
     * Rows {@code i0..i1} of {@code C = A B^T} as dot products of rows of A and B, vectorised along k. The
     * lanes are summed in order (the Vector API's {@code reduceLanes} order differs once compiled).
     */
    private static void dots(float[] a, int ao, float[] b, int bo, float[] c, int co, int k, int n, int i0, int i1, boolean add) {
        int kv = S.loopBound(k);
        float[] lanes = new float[W];
        for (int i = i0; i < i1; i += 2) {
            // Two rows of A by four of B: eight sums in flight, six loads per eight FMAs (a last odd row is computed twice, stored once).
            boolean two = i + 1 < i1;
            int ai = ao + i * k, ak = two ? ai + k : ai, j = 0;
            for (; j + 4 <= n; j += 4) {
                int b0 = bo + j * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k;
                FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0, t0 = s0, t1 = s0, t2 = s0, t3 = s0;
                for (int p = 0; p < kv; p += W) {
                    FloatVector x = FloatVector.fromArray(S, a, ai + p), y = FloatVector.fromArray(S, a, ak + p);
                    FloatVector v = FloatVector.fromArray(S, b, b0 + p);
                    s0 = x.fma(v, s0);
                    t0 = y.fma(v, t0);
                    v = FloatVector.fromArray(S, b, b1 + p);
                    s1 = x.fma(v, s1);
                    t1 = y.fma(v, t1);
                    v = FloatVector.fromArray(S, b, b2 + p);
                    s2 = x.fma(v, s2);
                    t2 = y.fma(v, t2);
                    v = FloatVector.fromArray(S, b, b3 + p);
                    s3 = x.fma(v, s3);
                    t3 = y.fma(v, t3);
                }
                int cj = co + i * n + j, ck = cj + n;
                put(c, cj, finishDot(s0, lanes, a, ai, b, b0, kv, k), add);
                put(c, cj + 1, finishDot(s1, lanes, a, ai, b, b1, kv, k), add);
                put(c, cj + 2, finishDot(s2, lanes, a, ai, b, b2, kv, k), add);
                put(c, cj + 3, finishDot(s3, lanes, a, ai, b, b3, kv, k), add);
                if (!two) continue;
                put(c, ck, finishDot(t0, lanes, a, ak, b, b0, kv, k), add);
                put(c, ck + 1, finishDot(t1, lanes, a, ak, b, b1, kv, k), add);
                put(c, ck + 2, finishDot(t2, lanes, a, ak, b, b2, kv, k), add);
                put(c, ck + 3, finishDot(t3, lanes, a, ak, b, b3, kv, k), add);
            }
            for (; j < n; j++) {
                dotsColumn(a, ai, b, bo, c, co + i * n, j, kv, k, lanes, add);
                if (two) dotsColumn(a, ak, b, bo, c, co + (i + 1) * n, j, kv, k, lanes, add);
            }
        }
    }

    /** {@code C(i, j)} of {@link #dots} alone, row {@code i} of A at {@code ai}, row {@code i} of C at {@code ci}. */
    private static void dotsColumn(float[] a, int ai, float[] b, int bo, float[] c, int ci, int j, int kv, int k, float[] lanes, boolean add) {
        int bj = bo + j * k;
        FloatVector s0 = FloatVector.zero(S);
        for (int p = 0; p < kv; p += W) s0 = FloatVector.fromArray(S, a, ai + p).fma(FloatVector.fromArray(S, b, bj + p), s0);
        put(c, ci + j, finishDot(s0, lanes, a, ai, b, bj, kv, k), add);
    }

    /** {@code c[i] = v}, or {@code c[i] += v} when {@code add}. */
    private static void put(float[] c, int i, float v, boolean add) {
        c[i] = add ? c[i] + v : v;
    }

    /** The lanes of {@code acc} summed in order, then the scalar remainder {@code kv..k} of the dot product. */
    private static float finishDot(FloatVector acc, float[] lanes, float[] a, int ai, float[] b, int bj, int kv, int k) {
        acc.intoArray(lanes, 0);
        float s = 0;
        for (float v : lanes) s += v;
        for (int p = kv; p < k; p++) s = Math.fma(a[ai + p], b[bj + p], s);
        return s;
    }

    /**
     * {@code C[i0:i1, j0:j1] (=|+=) op(A)[i0:i1, :] op(B)[:, j0:j1]}, op(B)'s panels from {@code packed} when it is not null,
     * or the full ones straight from {@code B}'s rows (row stride {@code n}) for at most {@link #DIRECT_B_ROWS} rows.
     */
    private static void gemm(boolean ta, boolean tb, float[] a, int ao, float[] b, int bo, float[] packed, float[] c, int co,
                              int m, int k, int n, int i0, int i1, int j0, int j1, boolean add) {
        float[][] buf = BUFFERS.get();
        float[] ap = buf[0], bp = packed != null ? packed : buf[1], tile = buf[2];
        int width = (n + NR - 1) / NR * NR;
        boolean direct = packed == null && !tb && i1 - i0 <= DIRECT_B_ROWS;
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc), full = direct ? nc / NR * NR : 0;
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc), base = packed != null ? pc * width + jc * kc : 0;
                if (packed == null) packB(tb, b, bo, k, n, pc, kc, jc + full, nc - full, bp, 0);
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    packA(ta, a, ao, m, k, ic, mc, pc, kc, ap);
                    for (int jr = 0; jr < nc; jr += NR) {
                        boolean fromB = jr < full;
                        for (int ir = 0; ir < mc; ir += MR) {
                            micro(ap, ir * kc, fromB ? b : bp, fromB ? bo + pc * n + jc + jr : base + (jr - full) * kc, fromB ? n : NR, kc, c,
                                    co + (ic + ir) * n + jc + jr, n, Math.min(MR, mc - ir), Math.min(NR, nc - jr), pc == 0 && !add, tile);
                        }
                    }
                }
            }
        }
    }

    /**
     * Rows {@code i0..i0+mc} of op(A), columns {@code p0..p0+kc}, as panels of {@code MR} rows stored column by
     * column; {@code op(A)(i, p)} is at {@code a[ao + i rs + p ps]}.
     */
    private static void packA(boolean ta, float[] a, int ao, int m, int k, int i0, int mc, int p0, int kc, float[] ap) {
        final int rs = ta ? 1 : k, ps = ta ? m : 1;
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir), dst = ir * kc, src = ao + (i0 + ir) * rs + p0 * ps;
            if (rows == MR && ta) {
                // A full panel of A^T: MR adjacent values per step of p, one vector (else a loop of constant length, unrolled).
                if (PANEL != null) for (int p = 0, d = dst, sp = src; p < kc; p++, d += MR, sp += ps) FloatVector.fromArray(PANEL, a, sp).intoArray(ap, d);
                else for (int p = 0, d = dst, sp = src; p < kc; p++, d += MR, sp += ps) for (int r = 0; r < MR; r++) ap[d + r] = a[sp + r];
            } else if (rows == 8 && MR == 8 && EIGHT != null && kc >= 8) {
                // A full panel of A: its eight rows by eight values along p transposed in registers, the last kc mod 8 steps copied.
                int pv = kc & ~7;
                transpose8(a, src, rs, pv, ap, dst, MR);
                for (int r = 0; r < MR; r++) for (int p = pv, d = dst + pv * MR + r, sr = src + r * rs; p < kc; p++, d += MR) ap[d] = a[sr + p];
            } else if (rows == MR) {
                // A full panel of A: each row read along p, written with stride MR.
                for (int r = 0; r < MR; r++) for (int p = 0, d = dst + r, sr = src + r * rs; p < kc; p++, d += MR) ap[d] = a[sr + p];
            } else {
                for (int p = 0; p < kc; p++) {
                    int d = dst + p * MR, sp = src + p * ps;
                    for (int r = 0; r < rows; r++) ap[d + r] = a[sp + r * rs];
                    for (int r = rows; r < MR; r++) ap[d + r] = 0;
                }
            }
        }
    }

    /** Rows {@code p0..p0+kc} of op(B), columns {@code j0..j0+nc}, as panels of {@code NR} columns stored row by row from {@code bp[at]}. */
    private static void packB(boolean tb, float[] b, int bo, int k, int n, int p0, int kc, int j0, int nc, float[] bp, int at) {
        for (int jr = 0; jr < nc; jr += NR) {
            int cols = Math.min(NR, nc - jr), dst = at + jr * kc;
            if (tb) {
                // B^T: eight rows of B by eight values along p transposed in registers, then four rows at a time read
                // along p, each step writing four adjacent values of the panel.
                int col = 0, pv = EIGHT == null ? 0 : kc & ~7;
                if (pv > 0)
                    for (; col + 8 <= cols; col += 8) transpose8(b, bo + (j0 + jr + col) * k + p0, k, pv, bp, dst + col, NR);
                for (int c8 = 0; c8 < col; c8 += 4) {
                    int s0 = bo + (j0 + jr + c8) * k + p0, s1 = s0 + k, s2 = s1 + k, s3 = s2 + k;
                    for (int p = pv, d = dst + c8 + p * NR; p < kc; p++, d += NR) {
                        bp[d] = b[s0 + p];
                        bp[d + 1] = b[s1 + p];
                        bp[d + 2] = b[s2 + p];
                        bp[d + 3] = b[s3 + p];
                    }
                }
                for (; col + 4 <= cols; col += 4) {
                    int s0 = bo + (j0 + jr + col) * k + p0, s1 = s0 + k, s2 = s1 + k, s3 = s2 + k;
                    for (int p = 0, d = dst + col; p < kc; p++, d += NR) {
                        bp[d] = b[s0 + p];
                        bp[d + 1] = b[s1 + p];
                        bp[d + 2] = b[s2 + p];
                        bp[d + 3] = b[s3 + p];
                    }
                }
                for (; col < cols; col++) {
                    int src = bo + (j0 + jr + col) * k + p0;
                    for (int p = 0; p < kc; p++) bp[dst + p * NR + col] = b[src + p];
                }
                for (; col < NR; col++) for (int p = 0; p < kc; p++) bp[dst + p * NR + col] = 0;
            } else {
                for (int p = 0; p < kc; p++) {
                    int d = dst + p * NR;
                    System.arraycopy(b, bo + (p0 + p) * n + j0 + jr, bp, d, cols);
                    for (int col = cols; col < NR; col++) bp[d + col] = 0;
                }
            }
        }
    }

    /**
     * Eight rows of {@code b} from {@code src} ({@code k} apart), values {@code 0..pv} along each ({@code pv} a multiple of
     * 8), transposed in 8 x 8 blocks into a panel of rows {@code width} long: value {@code p} of row {@code i} to
     * {@code bp[dst + p width + i]}.
     */
    private static void transpose8(float[] b, int src, int k, int pv, float[] bp, int dst, int width) {
        for (int p = 0; p < pv; p += 8) {
            FloatVector r0 = FloatVector.fromArray(EIGHT, b, src + p), r1 = FloatVector.fromArray(EIGHT, b, src + k + p);
            FloatVector r2 = FloatVector.fromArray(EIGHT, b, src + 2 * k + p), r3 = FloatVector.fromArray(EIGHT, b, src + 3 * k + p);
            FloatVector r4 = FloatVector.fromArray(EIGHT, b, src + 4 * k + p), r5 = FloatVector.fromArray(EIGHT, b, src + 5 * k + p);
            FloatVector r6 = FloatVector.fromArray(EIGHT, b, src + 6 * k + p), r7 = FloatVector.fromArray(EIGHT, b, src + 7 * k + p);
            FloatVector t0 = r0.rearrange(LOW1, r1), t1 = r0.rearrange(HIGH1, r1), t2 = r2.rearrange(LOW1, r3), t3 = r2.rearrange(HIGH1, r3);
            FloatVector t4 = r4.rearrange(LOW1, r5), t5 = r4.rearrange(HIGH1, r5), t6 = r6.rearrange(LOW1, r7), t7 = r6.rearrange(HIGH1, r7);
            FloatVector u0 = t0.rearrange(LOW2, t2), u2 = t0.rearrange(HIGH2, t2), u1 = t1.rearrange(LOW2, t3), u3 = t1.rearrange(HIGH2, t3);
            FloatVector u4 = t4.rearrange(LOW2, t6), u6 = t4.rearrange(HIGH2, t6), u5 = t5.rearrange(LOW2, t7), u7 = t5.rearrange(HIGH2, t7);
            int d = dst + p * width;
            u0.rearrange(LOW4, u4).intoArray(bp, d);
            u1.rearrange(LOW4, u5).intoArray(bp, d + width);
            u2.rearrange(LOW4, u6).intoArray(bp, d + 2 * width);
            u3.rearrange(LOW4, u7).intoArray(bp, d + 3 * width);
            u0.rearrange(HIGH4, u4).intoArray(bp, d + 4 * width);
            u1.rearrange(HIGH4, u5).intoArray(bp, d + 5 * width);
            u2.rearrange(HIGH4, u6).intoArray(bp, d + 6 * width);
            u3.rearrange(HIGH4, u7).intoArray(bp, d + 7 * width);
        }
    }

    /** One {@code MR x NR} tile: {@code C (=|+=) Ap Bp} over {@code kc}; a partial tile goes through {@code tile}. */
    private static void micro(float[] ap, int pa, float[] bp, int pb, int bs, int kc, float[] c, int ci, int n,
                               int rows, int cols, boolean first, float[] tile) {
        if (rows == MR && cols == NR) {
            kernel(ap, pa, bp, pb, bs, kc, c, ci, n, !first);
            return;
        }
        kernel(ap, pa, bp, pb, bs, kc, tile, 0, NR, false);
        for (int r = 0; r < rows; r++) {
            int cr = ci + r * n, tr = r * NR;
            if (first) System.arraycopy(tile, tr, c, cr, cols);
            else for (int j = 0; j < cols; j++) c[cr + j] += tile[tr + j];
        }
    }

    /** The register tile of {@link Gemm#MR} rows: {@code out[o + r ld + j] (=|+=) (Ap Bp)(r, j)}. */
    private static void kernel(float[] ap, int pa, float[] bp, int pb, int bs, int kc, float[] out, int o, int ld, boolean add) {
        if (MR == 8) kernel8(ap, pa, bp, pb, bs, kc, out, o, ld, add);
        else if (MR == 6) kernel6(ap, pa, bp, pb, bs, kc, out, o, ld, add);
        else kernel4(ap, pa, bp, pb, bs, kc, out, o, ld, add);
    }

    private static void kernel8(float[] ap, int pa, float[] bp, int pb, int bs, int kc, float[] out, int o, int ld, boolean add) {
        FloatVector c00 = add ? FloatVector.fromArray(S, out, o + 0 * ld) : FloatVector.zero(S);
        FloatVector c01 = add ? FloatVector.fromArray(S, out, o + 0 * ld + W) : FloatVector.zero(S);
        FloatVector c10 = add ? FloatVector.fromArray(S, out, o + 1 * ld) : FloatVector.zero(S);
        FloatVector c11 = add ? FloatVector.fromArray(S, out, o + 1 * ld + W) : FloatVector.zero(S);
        FloatVector c20 = add ? FloatVector.fromArray(S, out, o + 2 * ld) : FloatVector.zero(S);
        FloatVector c21 = add ? FloatVector.fromArray(S, out, o + 2 * ld + W) : FloatVector.zero(S);
        FloatVector c30 = add ? FloatVector.fromArray(S, out, o + 3 * ld) : FloatVector.zero(S);
        FloatVector c31 = add ? FloatVector.fromArray(S, out, o + 3 * ld + W) : FloatVector.zero(S);
        FloatVector c40 = add ? FloatVector.fromArray(S, out, o + 4 * ld) : FloatVector.zero(S);
        FloatVector c41 = add ? FloatVector.fromArray(S, out, o + 4 * ld + W) : FloatVector.zero(S);
        FloatVector c50 = add ? FloatVector.fromArray(S, out, o + 5 * ld) : FloatVector.zero(S);
        FloatVector c51 = add ? FloatVector.fromArray(S, out, o + 5 * ld + W) : FloatVector.zero(S);
        FloatVector c60 = add ? FloatVector.fromArray(S, out, o + 6 * ld) : FloatVector.zero(S);
        FloatVector c61 = add ? FloatVector.fromArray(S, out, o + 6 * ld + W) : FloatVector.zero(S);
        FloatVector c70 = add ? FloatVector.fromArray(S, out, o + 7 * ld) : FloatVector.zero(S);
        FloatVector c71 = add ? FloatVector.fromArray(S, out, o + 7 * ld + W) : FloatVector.zero(S);
        for (int p = 0, ia = pa, ib = pb; p < kc; p++, ia += 8, ib += bs) {
            FloatVector b0 = FloatVector.fromArray(S, bp, ib), b1 = FloatVector.fromArray(S, bp, ib + W);
            FloatVector x;
            x = FloatVector.broadcast(S, ap[ia + 0]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, ap[ia + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, ap[ia + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, ap[ia + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, ap[ia + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, ap[ia + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, ap[ia + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, ap[ia + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        c00.intoArray(out, o + 0 * ld);
        c01.intoArray(out, o + 0 * ld + W);
        c10.intoArray(out, o + 1 * ld);
        c11.intoArray(out, o + 1 * ld + W);
        c20.intoArray(out, o + 2 * ld);
        c21.intoArray(out, o + 2 * ld + W);
        c30.intoArray(out, o + 3 * ld);
        c31.intoArray(out, o + 3 * ld + W);
        c40.intoArray(out, o + 4 * ld);
        c41.intoArray(out, o + 4 * ld + W);
        c50.intoArray(out, o + 5 * ld);
        c51.intoArray(out, o + 5 * ld + W);
        c60.intoArray(out, o + 6 * ld);
        c61.intoArray(out, o + 6 * ld + W);
        c70.intoArray(out, o + 7 * ld);
        c71.intoArray(out, o + 7 * ld + W);
    }

    private static void kernel6(float[] ap, int pa, float[] bp, int pb, int bs, int kc, float[] out, int o, int ld, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        for (int p = 0, ia = pa, ib = pb; p < kc; p++, ia += 6, ib += bs) {
            FloatVector b0 = FloatVector.fromArray(S, bp, ib), b1 = FloatVector.fromArray(S, bp, ib + W);
            FloatVector x = FloatVector.broadcast(S, ap[ia]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, ap[ia + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, ap[ia + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, ap[ia + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, ap[ia + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, ap[ia + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        store(c00, c01, out, o, add);
        store(c10, c11, out, o + ld, add);
        store(c20, c21, out, o + 2 * ld, add);
        store(c30, c31, out, o + 3 * ld, add);
        store(c40, c41, out, o + 4 * ld, add);
        store(c50, c51, out, o + 5 * ld, add);
    }

    private static void kernel4(float[] ap, int pa, float[] bp, int pb, int bs, int kc, float[] out, int o, int ld, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int p = 0, ia = pa, ib = pb; p < kc; p++, ia += 4, ib += bs) {
            FloatVector b0 = FloatVector.fromArray(S, bp, ib), b1 = FloatVector.fromArray(S, bp, ib + W);
            FloatVector x = FloatVector.broadcast(S, ap[ia]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, ap[ia + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, ap[ia + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, ap[ia + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        store(c00, c01, out, o, add);
        store(c10, c11, out, o + ld, add);
        store(c20, c21, out, o + 2 * ld, add);
        store(c30, c31, out, o + 3 * ld, add);
    }

    private static void store(FloatVector v, float[] c, int i, boolean add, VectorMask<Float> mask) {
        (add ? v.add(FloatVector.fromArray(S, c, i, mask)) : v).intoArray(c, i, mask);
    }

    private static void store(FloatVector v0, FloatVector v1, float[] c, int i, boolean add) {
        if (add) {
            v0 = v0.add(FloatVector.fromArray(S, c, i));
            v1 = v1.add(FloatVector.fromArray(S, c, i + W));
        }
        v0.intoArray(c, i);
        v1.intoArray(c, i + W);
    }
}
