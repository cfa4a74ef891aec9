package dev.tapegrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tapegrad.autodiff.kernel.Parallel;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Tensor#dropout}: the kept share, the scale, the gradient, and a mask independent of dtype, threads and call site. */
class DropoutTest {
    private static final int N = 200_000;

    @Test
    void keepsAboutOneMinusPAndScalesTheKeptValues() {
        Tensor x = Tensor.randn(new Random(1), DType.FLOAT32, N);
        float[] in = x.toFloatArray(), out = x.dropout(0.3, new Random(2)).toFloatArray();
        float scale = (float) (1 / 0.7);
        int kept = 0;
        for (int i = 0; i < N; i++) {
            if (out[i] != 0) {
                kept++;
                assertEquals(in[i] * scale, out[i], 0, "element " + i);
            }
        }
        // Binomial(N, 0.7): standard deviation sqrt(N 0.7 0.3) = 205; 5 of them.
        assertEquals(0.7 * N, kept, 5 * Math.sqrt(N * 0.21));
    }

    @Test
    void theMaskIsTheSameForBothDtypesAndAnyThreadCountAndCostsOneDraw() {
        Tensor ones = Tensor.ones(N);
        Random r = new Random(5);
        float[] parallel = ones.dropout(0.5, r).toFloatArray();
        long next = r.nextLong();
        float[][] serial = new float[1][];
        Parallel.serially(() -> serial[0] = ones.dropout(0.5, new Random(5)).toFloatArray());
        assertArrayEquals(parallel, serial[0]);
        double[] f64 = ones.to(DType.FLOAT64).dropout(0.5, new Random(5)).toDoubleArray();
        for (int i = 0; i < N; i++) assertEquals(parallel[i] != 0, f64[i] != 0, "element " + i);
        Random once = new Random(5);
        once.nextLong();
        assertEquals(once.nextLong(), next, "dropout draws exactly one long from its Random");
    }

    @Test
    void theGradientIsTheMaskTimesTheScaleAndZeroPReturnsTheInput() {
        Tensor x = Tensor.randn(new Random(3), DType.FLOAT64, 50).requiresGrad();
        Tensor y;
        double[] g;
        try (GradientTape tape = GradientTape.record()) {
            y = x.dropout(0.25, new Random(4));
            g = y.sum().backward().get(x).toDoubleArray();
        }
        double[] yv = y.toDoubleArray(), xv = x.toDoubleArray();
        for (int i = 0; i < 50; i++) assertEquals(yv[i] == 0 ? 0 : 1 / 0.75, g[i], 0, "element " + i);
        for (int i = 0; i < 50; i++) assertEquals(yv[i] == 0 ? 0 : xv[i] / 0.75, yv[i], 1e-15, "element " + i);
        assertSame(x, x.dropout(0, null));
    }
}
