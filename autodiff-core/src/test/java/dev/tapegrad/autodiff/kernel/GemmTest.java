package dev.tapegrad.autodiff.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tapegrad.autodiff.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_FDRM;
import org.junit.jupiter.api.Test;

/**
 * Both matrix-product kernels, every transpose combination, against EJML in both precisions, at sizes off
 * the vector width and the block sizes, skinny and empty, overwriting C and adding to it; and thread-count
 * independence.
 */
class GemmTest {

    /** One matrix-product implementation in both precisions, as {@link Gemm#multiply}'s arguments. */
    private record Kernel(String name, F f, D d) {
        interface F { void multiply(boolean ta, boolean tb, float[] a, int ao, float[] b, int bo, float[] c, int co, int m, int k, int n, boolean add); }

        interface D { void multiply(boolean ta, boolean tb, double[] a, int ao, double[] b, int bo, double[] c, int co, int m, int k, int n, boolean add); }

        void multiply(boolean ta, boolean tb, float[] a, int ao, float[] b, int bo, float[] c, int co, int m, int k, int n) { f.multiply(ta, tb, a, ao, b, bo, c, co, m, k, n, false); }

        void multiply(boolean ta, boolean tb, double[] a, int ao, double[] b, int bo, double[] c, int co, int m, int k, int n) { d.multiply(ta, tb, a, ao, b, bo, c, co, m, k, n, false); }

        @Override
        public String toString() { return name; }
    }

    private static final Kernel VECTOR = new Kernel("vector", VectorGemmF32::multiply, VectorGemmF64::multiply);
    private static final List<Kernel> KERNELS = List.of(VECTOR, new Kernel("scalar", ScalarGemmF32::multiply, ScalarGemmF64::multiply),
            new Kernel("Gemm", Gemm::multiply, Gemm::multiply),
            new Kernel("Gemm, B packed first", (ta, tb, a, ao, b, bo, c, co, m, k, n, add) -> Gemm.multiply(ta, a, ao, Gemm.pack(tb, b, bo, k, n), c, co, m, add),
                    (ta, tb, a, ao, b, bo, c, co, m, k, n, add) -> Gemm.multiply(ta, a, ao, Gemm.pack(tb, b, bo, k, n), c, co, m, add)));

    /** A product with {@code op(B)} packed once equals the same product packing it itself, bit for bit, for several A. */
    @Property(tries = 40)
    void aPackedOperandGivesTheSameProducts(@ForAll @IntRange(min = 1, max = 300) int m, @ForAll @IntRange(min = 1, max = 600) int k,
                                            @ForAll @IntRange(min = 1, max = 300) int n, @ForAll boolean ta, @ForAll boolean tb, @ForAll boolean add,
                                            @ForAll long seed) {
        Random r = new Random(seed);
        float[] b = randomFloats(r, k * n + 3);
        Gemm.Packed packed = Gemm.pack(tb, b, 3, k, n);
        for (int rep = 0; rep < 2; rep++) {
            float[] a = randomFloats(r, m * k), c0 = randomFloats(r, m * n), want = c0.clone(), got = c0.clone();
            Gemm.multiply(ta, tb, a, 0, b, 3, want, 0, m, k, n, add);
            Gemm.multiply(ta, a, 0, packed, got, 0, m, add);
            assertArrayEquals(want, got, "m " + m + ", k " + k + ", n " + n + ", ta " + ta + ", tb " + tb + ", add " + add);
        }
    }

    private static float[] randomFloats(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    @Property(tries = 300)
    void kernelsMatchEjml(@ForAll @IntRange(max = 40) int m, @ForAll @IntRange(max = 40) int k, @ForAll @IntRange(max = 40) int n,
                          @ForAll boolean ta, @ForAll boolean tb, @ForAll long seed) {
        check(m, k, n, ta, tb, seed);
    }

    /** Sizes that take the packed, blocked path (and cross its block sizes), not only the direct one. */
    @Property(tries = 40)
    void packedPathMatchesEjml(@ForAll @IntRange(min = 12, max = 300) int m, @ForAll @IntRange(min = 16, max = 300) int k,
                               @ForAll @IntRange(min = 1, max = 300) int n, @ForAll boolean ta, @ForAll boolean tb, @ForAll long seed) {
        check(m, k, n, ta, tb, seed);
    }

    @Test
    void largeSkinnyAndEmptyShapes() {
        int[][] shapes = {{1, 300, 1}, {300, 1, 300}, {1, 1, 517}, {517, 3, 1}, {130, 129, 131}, {127, 517, 65}, {7, 3, 2100}, {8, 9, 784}, {8, 784, 9}, {9, 8, 784}, {300, 392, 10}, {70, 33, 16},
                {40, 2100, 70}, {20, 1100, 1100}, {64, 300, 392}, {100, 50, 48},
                {0, 5, 7}, {5, 0, 7}, {5, 7, 0}, {0, 0, 0}};
        for (int[] s : shapes) for (int t = 0; t < 4; t++) check(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, 7);
    }

    private static void check(int m, int k, int n, boolean ta, boolean tb, long seed) {
        Random r = new Random(seed);
        DMatrixRMaj a = new DMatrixRMaj(m, k), b = new DMatrixRMaj(k, n), c = new DMatrixRMaj(m, n);
        for (int i = 0; i < a.data.length; i++) a.data[i] = r.nextGaussian();
        for (int i = 0; i < b.data.length; i++) b.data[i] = r.nextGaussian();
        CommonOps_DDRM.mult(a, b, c);
        FMatrixRMaj af = new FMatrixRMaj(m, k), bf = new FMatrixRMaj(k, n), cf = new FMatrixRMaj(m, n);
        for (int i = 0; i < a.data.length; i++) af.data[i] = (float) a.data[i];
        for (int i = 0; i < b.data.length; i++) bf.data[i] = (float) b.data[i];
        CommonOps_FDRM.mult(af, bf, cf);
        // The kernels read the stored (possibly transposed) layout.
        double[] as = ta ? CommonOps_DDRM.transpose(a, null).data : a.data, bs = tb ? CommonOps_DDRM.transpose(b, null).data : b.data;
        float[] asf = ta ? CommonOps_FDRM.transpose(af, null).data : af.data, bsf = tb ? CommonOps_FDRM.transpose(bf, null).data : bf.data;
        int off = 3;
        String what = m + "x" + k + "x" + n + (ta ? " A^T" : "") + (tb ? " B^T" : "");
        for (Kernel kernel : KERNELS) {
            double[] cd = new double[m * n + 2 * off];
            Arrays.fill(cd, Double.NaN);
            kernel.multiply(ta, tb, shifted(as, off), off, shifted(bs, off), off, cd, off, m, k, n);
            for (int i = 0; i < m * n; i++) assertEquals(c.data[i], cd[i + off], 1e-12 * (1 + k), kernel + " double " + what);
            float[] cfd = new float[m * n + 2 * off];
            Arrays.fill(cfd, Float.NaN);
            kernel.multiply(ta, tb, shifted(asf, off), off, shifted(bsf, off), off, cfd, off, m, k, n);
            for (int i = 0; i < m * n; i++) {
                assertEquals(cf.data[i], cfd[i + off], 1e-5 * (1 + k), kernel + " float " + what);
                assertEquals(cd[i + off], cfd[i + off], 1e-5 * (1 + k), kernel + " float vs double " + what);
            }
            for (int i = 0; i < off; i++) {
                assertEquals(Double.NaN, cd[i], kernel + " wrote before C " + what);
                assertEquals(Double.NaN, cd[m * n + off + i], kernel + " wrote past C " + what);
            }
            // C += op(A) op(B) onto a C that holds values already.
            double[] sumD = new double[m * n + 2 * off];
            float[] sumF = new float[m * n + 2 * off];
            Arrays.fill(sumD, Double.NaN);
            Arrays.fill(sumF, Float.NaN);
            for (int i = 0; i < m * n; i++) sumF[i + off] = (float) (sumD[i + off] = r.nextGaussian());
            double[] before = sumD.clone();
            kernel.d().multiply(ta, tb, shifted(as, off), off, shifted(bs, off), off, sumD, off, m, k, n, true);
            kernel.f().multiply(ta, tb, shifted(asf, off), off, shifted(bsf, off), off, sumF, off, m, k, n, true);
            for (int i = 0; i < m * n; i++) {
                assertEquals(before[i + off] + c.data[i], sumD[i + off], 1e-12 * (2 + k), kernel + " double add " + what);
                assertEquals(before[i + off] + cf.data[i], sumF[i + off], 1e-5 * (2 + k), kernel + " float add " + what);
            }
            for (int i = 0; i < off; i++) {
                assertEquals(Double.NaN, sumD[i], kernel + " add wrote before C " + what);
                assertEquals(Float.NaN, sumF[m * n + off + i], kernel + " add wrote past C " + what);
            }
        }
    }

    @Test
    void theRegisterTileFitsTheRegisterFile() {
        Integer forced = Integer.getInteger("tapegrad.gemmRows");
        int bits = jdk.incubator.vector.VectorShape.preferredShape().vectorBitSize();
        assertEquals(forced != null && forced != 0 ? forced : bits >= 512 ? 8 : 4, Gemm.MR, "tile rows with " + bits + "-bit vectors");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Settings.gemmRows(5));
        assertEquals("tapegrad.gemmRows must be 4, 6 or 8 (or 0 for the automatic choice), got 5", e.getMessage());
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        Random r = new Random(3);
        for (int[] s : new int[][] {{300, 700, 250}, {50, 300, 1000}, {1000, 300, 20}, {8, 9, 50000}, {8, 50000, 9}, {64, 9, 3000}, {6, 75, 3001}, {7, 20, 5003}}) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                float[] a = Tensor.randn(r, s[0] * s[1]).toFloatArray(), b = Tensor.randn(r, s[1] * s[2]).toFloatArray();
                double[] ad = Tensor.randn(r, s[0] * s[1]).toDoubleArray(), bd = Tensor.randn(r, s[1] * s[2]).toDoubleArray();
                float[] parallel = new float[s[0] * s[2]], serial = new float[s[0] * s[2]];
                double[] parallelD = new double[s[0] * s[2]], serialD = new double[s[0] * s[2]];
                Kernel kernel = VECTOR;
                kernel.multiply(ta, tb, a, 0, b, 0, parallel, 0, s[0], s[1], s[2]);
                kernel.multiply(ta, tb, ad, 0, bd, 0, parallelD, 0, s[0], s[1], s[2]);
                Parallel.serially(() -> {
                    kernel.multiply(ta, tb, a, 0, b, 0, serial, 0, s[0], s[1], s[2]);
                    kernel.multiply(ta, tb, ad, 0, bd, 0, serialD, 0, s[0], s[1], s[2]);
                });
                assertArrayEquals(serial, parallel, Arrays.toString(s) + " " + t);
                assertArrayEquals(serialD, parallelD, Arrays.toString(s) + " " + t);
            }
        }
    }

    /** Batched products, shared out by product or each split itself (batch sizes odd and even), match one thread's. */
    @Test
    void batchedProductsDoNotDependOnTheThreadCount() {
        Random r = new Random(4);
        for (int count : new int[] {2, 3, 9, 64}) {
            Tensor w = Tensor.randn(r, 6, 75), x = Tensor.randn(r, count, 75, 300);
            float[] parallel = w.matmul(x).toFloatArray(), serial = new float[parallel.length];
            Parallel.serially(() -> System.arraycopy(w.matmul(x).toFloatArray(), 0, serial, 0, serial.length));
            assertArrayEquals(serial, parallel, "batch " + count);
        }
    }

    private static double[] shifted(double[] x, int off) {
        double[] y = new double[x.length + 2 * off];
        Arrays.fill(y, Double.NaN);
        System.arraycopy(x, 0, y, off, x.length);
        return y;
    }

    private static float[] shifted(float[] x, int off) {
        float[] y = new float[x.length + 2 * off];
        Arrays.fill(y, Float.NaN);
        System.arraycopy(x, 0, y, off, x.length);
        return y;
    }
}
