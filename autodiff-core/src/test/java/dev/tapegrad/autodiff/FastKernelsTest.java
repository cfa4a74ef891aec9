package dev.tapegrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The vectorised and split elementwise kernels against {@link Math}, at lengths off the vector width. */
class FastKernelsTest {

    private static final Unary.Kernel[] KERNELS = {new VectorUnary(), new ScalarUnary()};

    private static DoubleUnaryOperator reference(Unary fn) {
        return switch (fn) {
            case NEG -> v -> -v;
            case ABS -> Math::abs;
            case SQRT -> Math::sqrt;
            case EXP -> Math::exp;
            case LOG -> Math::log;
            case TANH -> Math::tanh;
            case SIGMOID -> v -> v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
            case SIN -> Math::sin;
            case COS -> Math::cos;
            case RELU -> v -> v != v ? v : Math.max(v, 0);
            case STEP -> v -> v > 0 ? 1 : 0;
        };
    }

    @Property(tries = 200)
    void unaryKernelsMatchMath(@ForAll Unary fn, @ForAll @IntRange(max = 70) int n, @ForAll @IntRange(max = 5) int from, @ForAll long seed) {
        check(fn, n, Math.min(from, n), seed);
    }

    @Test
    void largeInputsSplitAcrossCoresAndSpecialValues() {
        for (Unary fn : Unary.values()) check(fn, 200_003, 0, 5);
        double[] special = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, -0.0, 1e-300, -1e-300, 1e300, -1e300, 50, -50, 1, -1,
                Double.NaN, 3, 4, 5};
        for (Unary fn : Unary.values()) {
            Tensor d = fn.apply(Tensor.of(special)), f = fn.apply(Tensor.of(special).to(DType.FLOAT32));
            for (int i = 0; i < special.length; i++) {
                double want = reference(fn).applyAsDouble(special[i]);
                assertClose(fn + "(" + special[i] + ") FLOAT64", want, d.at(i), 2e-15);
                assertClose(fn + "(" + special[i] + ") FLOAT32", (float) reference(fn).applyAsDouble((float) special[i]), f.at(i), 3e-7);
            }
        }
    }

    private static void check(Unary fn, int n, int from, long seed) {
        Random r = new Random(seed);
        double[] x = new double[n];
        boolean positive = fn == Unary.LOG || fn == Unary.SQRT;
        for (int i = 0; i < n; i++) x[i] = positive ? Math.exp(4 * r.nextGaussian()) : 6 * r.nextGaussian();
        float[] xf = new float[n];
        for (int i = 0; i < n; i++) xf[i] = (float) x[i];
        for (Unary.Kernel k : KERNELS) {
            double[] y = new double[n];
            float[] yf = new float[n];
            k.apply(fn, x, y, from, n);
            k.apply(fn, xf, yf, from, n);
            for (int i = 0; i < from; i++) assertEquals(0, y[i] + yf[i], k + " wrote before " + from);
            for (int i = from; i < n; i++) {
                assertClose(k + " " + fn + "(" + x[i] + ")", reference(fn).applyAsDouble(x[i]), y[i], 2e-15);
                assertClose(k + " " + fn + "(" + xf[i] + "f)", (float) reference(fn).applyAsDouble(xf[i]), yf[i], 3e-7);
            }
        }
        if (from == 0) assertArrayEquals(fn.apply(Tensor.of(x)).toDoubleArray(), fn.apply(Tensor.of(x)).toDoubleArray(), fn + " deterministic");
    }

    /** Relative tolerance, with an absolute floor of the same size near zero (sin, cos and tanh near their roots). */
    private static void assertClose(String what, double want, double got, double tol) {
        if (Double.isNaN(want) || Double.isInfinite(want)) {
            assertEquals(want, got, what);
            return;
        }
        assertEquals(want, got, tol * Math.max(1, Math.abs(want)), what);
    }

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

    @Property(tries = 100)
    void reluBackwardKernelsPassTheGradientWherePositive(@ForAll @IntRange(max = 70) int n, @ForAll long seed) {
        Random r = new Random(seed);
        double[] g = new double[n], x = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = i % 7 == 3 ? Double.NaN : r.nextGaussian();
            x[i] = i % 5 == 2 ? 0 : i % 11 == 4 ? Double.NaN : r.nextGaussian();
        }
        for (Unary.Kernel k : KERNELS) {
            double[] y = new double[n];
            float[] yf = new float[n];
            k.passWherePositive(g, x, y, 0, n);
            k.passWherePositive(Tensor.of(g).toFloatArray(), Tensor.of(x).toFloatArray(), yf, 0, n);
            for (int i = 0; i < n; i++) {
                assertEquals(x[i] > 0 ? g[i] : 0, y[i], k + " at " + x[i]);
                assertEquals(x[i] > 0 ? (float) g[i] : 0f, yf[i], k + " at " + x[i]);
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
}
