package dev.tapegrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_FDRM;
import org.junit.jupiter.api.Test;

/** Both matrix-product kernels against EJML, in both precisions, at sizes off the vector width and block size. */
class MatMulKernelTest {

    private static final MatMulKernel[] KERNELS = {new VectorMatMul(), new ScalarMatMul()};

    @Property(tries = 200)
    void kernelsMatchEjml(@ForAll @IntRange(max = 37) int m, @ForAll @IntRange(max = 37) int k, @ForAll @IntRange(max = 37) int n,
                          @ForAll long seed) {
        check(m, k, n, seed);
    }

    @Test
    void largeAndSkinnyShapes() {
        int[][] shapes = {{1, 300, 1}, {300, 1, 300}, {1, 1, 517}, {517, 3, 1}, {130, 129, 131}, {0, 5, 7}, {5, 0, 7}, {5, 7, 0}};
        for (int[] s : shapes) check(s[0], s[1], s[2], 7);
    }

    private static void check(int m, int k, int n, long seed) {
        Random r = new Random(seed);
        DMatrixRMaj a = new DMatrixRMaj(m, k), b = new DMatrixRMaj(k, n), c = new DMatrixRMaj(m, n);
        for (int i = 0; i < a.data.length; i++) a.data[i] = r.nextGaussian();
        for (int i = 0; i < b.data.length; i++) b.data[i] = r.nextGaussian();
        CommonOps_DDRM.mult(a, b, c);
        FMatrixRMaj af = new FMatrixRMaj(m, k), bf = new FMatrixRMaj(k, n), cf = new FMatrixRMaj(m, n);
        for (int i = 0; i < a.data.length; i++) af.data[i] = (float) a.data[i];
        for (int i = 0; i < b.data.length; i++) bf.data[i] = (float) b.data[i];
        CommonOps_FDRM.mult(af, bf, cf);
        int off = 3;
        for (MatMulKernel kernel : KERNELS) {
            double[] ad = shifted(a.data, off), bd = shifted(b.data, off), cd = new double[m * n + off];
            java.util.Arrays.fill(cd, Double.NaN);
            kernel.multiply(ad, off, bd, off, cd, off, m, k, n);
            for (int i = 0; i < m * n; i++) assertEquals(c.data[i], cd[i + off], 1e-12 * (1 + k), kernel + " double " + m + "x" + k + "x" + n);
            float[] afd = shifted(af.data, off), bfd = shifted(bf.data, off), cfd = new float[m * n + off];
            java.util.Arrays.fill(cfd, Float.NaN);
            kernel.multiply(afd, off, bfd, off, cfd, off, m, k, n);
            for (int i = 0; i < m * n; i++) {
                assertEquals(cf.data[i], cfd[i + off], 1e-5 * (1 + k), kernel + " float " + m + "x" + k + "x" + n);
                assertEquals(cd[i + off], cfd[i + off], 1e-5 * (1 + k), kernel + " float vs double " + m + "x" + k + "x" + n);
            }
        }
    }

    @Test
    void resultsAreDeterministic() {
        Tensor a = Tensor.randn(new Random(3), 300, 200), b = Tensor.randn(new Random(4), 200, 250);
        assertArrayEquals(a.matmul(b).toFloatArray(), a.matmul(b).toFloatArray());
    }

    private static double[] shifted(double[] x, int off) {
        double[] y = new double[x.length + off];
        System.arraycopy(x, 0, y, off, x.length);
        return y;
    }

    private static float[] shifted(float[] x, int off) {
        float[] y = new float[x.length + off];
        System.arraycopy(x, 0, y, off, x.length);
        return y;
    }
}
