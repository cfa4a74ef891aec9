package dev.tapegrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The ops' fast paths (fixed exponents of pow, the fused {@code a + alpha b}) against the general computation. */
class FastPathsTest {

    @Property(tries = 100)
    void powFastExponentsMatchMathPow(@ForAll @IntRange(max = 40) int n, @ForAll boolean float32, @ForAll long seed) {
        Random r = new Random(seed);
        Tensor x = Tensor.rand(r, float32 ? DType.FLOAT32 : DType.FLOAT64, n).mul(3).add(0.01);
        for (double p : new double[] {1, 2, 0.5, -1, -0.5}) {
            Tensor y = x.pow(p);
            for (int i = 0; i < n; i++) {
                double want = Math.pow(x.at(i), p);
                assertClose("pow " + p + " of " + x.at(i), float32 ? (float) want : want, y.at(i), float32 ? 3e-7 : 4e-16);
            }
        }
    }

    @Property(tries = 50)
    void fusedAddScaledEqualsTheComposite(@ForAll @IntRange(max = 3000) int n, @ForAll boolean float32, @ForAll long seed) {
        Random r = new Random(seed);
        Tensor a = Tensor.randn(r, float32 ? DType.FLOAT32 : DType.FLOAT64, n), b = Tensor.randn(r, a.dtype(), n);
        double alpha = r.nextGaussian();
        assertArrayEquals(a.add(b.mul(alpha)).toDoubleArray(), a.add(b, alpha).toDoubleArray());
        Tensor row = Tensor.randn(r, a.dtype(), 1);
        assertArrayEquals(a.add(row.mul(alpha)).toDoubleArray(), a.add(row, alpha).toDoubleArray(), "broadcast");
    }

    @Test
    void addScaledIsDifferentiableWhileRecording() {
        Tensor a = Tensor.randn(new Random(1), DType.FLOAT64, 3, 4), b = Tensor.randn(new Random(2), DType.FLOAT64, 4);
        Checks.firstAndSecond("add(alpha)", 3, x -> x[0].add(x[1], -0.7).square(), a, b);
    }

    private static void assertClose(String what, double want, double got, double tol) {
        assertEquals(want, got, tol * Math.max(1, Math.abs(want)), what);
    }
}
