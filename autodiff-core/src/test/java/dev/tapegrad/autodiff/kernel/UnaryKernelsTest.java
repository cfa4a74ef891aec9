package dev.tapegrad.autodiff.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tapegrad.autodiff.DType;
import dev.tapegrad.autodiff.Tensor;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The vectorised and split elementwise kernels against {@link Math}, at lengths off the vector width. */
class UnaryKernelsTest {

    /** One implementation of the unary loops in both precisions. */
    private record Kernel(String name, F f, D d, FG fg, DG dg) {
        interface F { void apply(UnaryFunction fn, float[] x, float[] y, int from, int to); }

        interface D { void apply(UnaryFunction fn, double[] x, double[] y, int from, int to); }

        interface FG { void apply(float[] g, float[] x, float slope, float[] y, int from, int to); }

        interface DG { void apply(double[] g, double[] x, double slope, double[] y, int from, int to); }

        @Override
        public String toString() { return name; }
    }

    private static final List<Kernel> KERNELS = List.of(
            new Kernel("vector", VectorUnaryF32::apply, VectorUnaryF64::apply, VectorUnaryF32::passWherePositive, VectorUnaryF64::passWherePositive),
            new Kernel("scalar", ScalarUnaryF32::apply, ScalarUnaryF64::apply, ScalarUnaryF32::passWherePositive, ScalarUnaryF64::passWherePositive));

    private static double[] apply(UnaryFunction fn, double[] x) {
        double[] y = new double[x.length];
        UnaryKernelsF64.apply(fn, x, y);
        return y;
    }

    private static float[] apply(UnaryFunction fn, float[] x) {
        float[] y = new float[x.length];
        UnaryKernelsF32.apply(fn, x, y);
        return y;
    }

    private static DoubleUnaryOperator reference(UnaryFunction fn) {
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
            case ERF -> org.apache.commons.numbers.gamma.Erf::value;
            case GELU -> v -> v * (org.apache.commons.numbers.gamma.Erf.value(v * (1 / Math.sqrt(2))) + 1) * 0.5;
            case RELU -> v -> v != v ? v : Math.max(v, 0);
            case STEP -> v -> v > 0 ? 1 : 0;
        };
    }

    @Property(tries = 200)
    void unaryKernelsMatchMath(@ForAll UnaryFunction fn, @ForAll @IntRange(max = 70) int n, @ForAll @IntRange(max = 5) int from, @ForAll long seed) {
        check(fn, n, Math.min(from, n), seed);
    }

    @Test
    void largeInputsSplitAcrossCoresAndSpecialValues() {
        for (UnaryFunction fn : UnaryFunction.values()) check(fn, 200_003, 0, 5);
        double[] special = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, -0.0, 1e-300, -1e-300, 1e300, -1e300, 50, -50, 1, -1,
                Double.NaN, 3, 4, 5};
        for (UnaryFunction fn : UnaryFunction.values()) {
            double[] d = apply(fn, special);
            float[] f = apply(fn, Tensor.of(special).toFloatArray());
            for (int i = 0; i < special.length; i++) {
                double want = reference(fn).applyAsDouble(special[i]);
                assertClose(fn + "(" + special[i] + ") FLOAT64", want, d[i], 2e-15);
                assertClose(fn + "(" + special[i] + ") FLOAT32", (float) reference(fn).applyAsDouble((float) special[i]), f[i], 3e-7);
            }
        }
    }

    /** The vector tanh relative to its value, from 1e-30 to 20 and on both sides of its branch point 1/8 (where an absolute test would pass anything near 0). */
    @Test
    void tanhIsAccurateRelativeToItsValue() {
        int n = 4001;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = (i % 2 == 0 ? 1 : -1) * Math.pow(10, -30 + 31.3 * i / (n - 1));
        x[0] = Math.nextDown(0.125);
        x[1] = 0.125;
        x[2] = -Math.nextUp(0.125);
        float[] xf = Tensor.of(x).toFloatArray();
        double[] y = new double[n];
        float[] yf = new float[n];
        VectorUnaryF64.apply(UnaryFunction.TANH, x, y, 0, n);
        VectorUnaryF32.apply(UnaryFunction.TANH, xf, yf, 0, n);
        for (int i = 0; i < n; i++) {
            double want = Math.tanh(x[i]), wantF = (float) Math.tanh(xf[i]);
            assertEquals(want, y[i], 3 * Math.ulp(want), "tanh(" + x[i] + ")");
            assertEquals(wantF, yf[i], 3 * Math.ulp((float) wantF), "tanh(" + xf[i] + "f)");
        }
    }

    /**
     * The vector exp where its results leave the normal range: gradual underflow through the subnormals (to within two of
     * their units), exactly 0 at and below {@code MIN} and for {@code -inf} (a masked attention score), in vector lanes
     * mixed with ordinary values.
     */
    @Test
    void expUnderflowsThroughTheSubnormalsToZero() {
        int n = 2048;
        double[] x = new double[n];
        float[] xf = new float[n];
        for (int i = 0; i < n; i++) {
            boolean special = i % 3 == 2;
            x[i] = special ? 1.5 : VectorConstants.MIN_F64 - 5 + 40.0 * i / n;
            xf[i] = special ? 1.5f : (float) (VectorConstants.MIN_F32 - 5 + 25.0 * i / n);
        }
        x[0] = xf[0] = Float.NEGATIVE_INFINITY;
        x[1] = VectorConstants.MIN_F64;
        xf[1] = VectorConstants.MIN_F32;
        x[3] = Math.nextUp(VectorConstants.MIN_F64);
        xf[3] = Math.nextUp(VectorConstants.MIN_F32);
        double[] y = new double[n];
        float[] yf = new float[n];
        VectorUnaryF64.apply(UnaryFunction.EXP, x, y, 0, n);
        VectorUnaryF32.apply(UnaryFunction.EXP, xf, yf, 0, n);
        for (int i = 0; i < n; i++) {
            double want = Math.exp(x[i]);
            float wantF = (float) Math.exp(xf[i]);
            assertEquals(want, y[i], x[i] <= VectorConstants.MIN_F64 ? 0 : 2 * Math.ulp(want), "exp(" + x[i] + ")");
            assertEquals(wantF, yf[i], xf[i] <= VectorConstants.MIN_F32 ? 0 : 2 * Math.ulp(wantF), "exp(" + xf[i] + "f)");
        }
    }

    /**
     * The vector GELU backward, which takes {@code Phi(x)} as {@code y / x} from the forward's output, against the scalar one
     * that computes {@code erf}: within 4 ulp of 1 times the cotangent, in both precisions, over [-8, 8] and at 0, the
     * subnormals, the smallest normals (where {@code Phi} is 1/2), and the infinities and NaN (NaN, as the formula gives).
     */
    @Test
    void geluBackwardFromTheOutputMatchesTheOneFromErf() {
        int n = 1003;
        Random r = new Random(7);
        double[] x = new double[n], g = new double[n];
        float[] xf = new float[n], gf = new float[n];
        double[] special = {0, -0.0, Double.MIN_VALUE, -4e-320, Double.MIN_NORMAL, -3 * Double.MIN_NORMAL, 5 * Double.MIN_NORMAL, 1e-200,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, -40, 40};
        float[] specialF = {0, -0f, Float.MIN_VALUE, -4e-40f, Float.MIN_NORMAL, -3 * Float.MIN_NORMAL, 5 * Float.MIN_NORMAL, 1e-30f,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, -40, 40};
        for (int i = 0; i < n; i++) {
            x[i] = i < special.length ? special[i] : 16 * r.nextDouble() - 8;
            xf[i] = i < specialF.length ? specialF[i] : (float) (16 * r.nextDouble() - 8);
            g[i] = gf[i] = (float) r.nextGaussian();
        }
        double[] y = apply(UnaryFunction.GELU, x), want = new double[n], got = new double[n];
        float[] yf = new float[n], wantF = new float[n], gotF = new float[n];
        UnaryKernelsF32.apply(UnaryFunction.GELU, xf, yf);
        ScalarUnaryF64.geluBackward(g, x, want, 0, n);
        VectorUnaryF64.geluBackward(g, x, y, got, 0, n);
        ScalarUnaryF32.geluBackward(gf, xf, wantF, 0, n);
        VectorUnaryF32.geluBackward(gf, xf, yf, gotF, 0, n);
        for (int i = 0; i < n; i++) {
            assertEquals(want[i], got[i], 4 * Math.ulp(1.0) * Math.abs(g[i]), "gelu'(" + x[i] + ")");
            assertEquals(wantF[i], gotF[i], 4 * Math.ulp(1f) * Math.abs(gf[i]), "gelu'(" + xf[i] + "f)");
        }
    }

    /** The vector FLOAT32 erf relative to its value, from 1e-30 to 5, at its branch point 1, against commons-numbers' correctly rounded one. */
    @Test
    void erfIsAccurateRelativeToItsValue() {
        int n = 4001;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) ((i % 2 == 0 ? 1 : -1) * Math.pow(10, -30 + 30.7 * i / (n - 1)));
        x[0] = Math.nextDown(1f);
        x[1] = 1f;
        x[2] = -Math.nextUp(1f);
        float[] y = new float[n];
        VectorUnaryF32.apply(UnaryFunction.ERF, x, y, 0, n);
        for (int i = 0; i < n; i++) {
            float want = (float) org.apache.commons.numbers.gamma.Erf.value(x[i]);
            assertEquals(want, y[i], 3 * Math.ulp(want), "erf(" + x[i] + "f)");
        }
    }

    private static void check(UnaryFunction fn, int n, int from, long seed) {
        Random r = new Random(seed);
        double[] x = new double[n];
        boolean positive = fn == UnaryFunction.LOG || fn == UnaryFunction.SQRT;
        for (int i = 0; i < n; i++) x[i] = positive ? Math.exp(4 * r.nextGaussian()) : 6 * r.nextGaussian();
        float[] xf = new float[n];
        for (int i = 0; i < n; i++) xf[i] = (float) x[i];
        for (Kernel k : KERNELS) {
            double[] y = new double[n];
            float[] yf = new float[n];
            k.d().apply(fn, x, y, from, n);
            k.f().apply(fn, xf, yf, from, n);
            for (int i = 0; i < from; i++) assertEquals(0, y[i] + yf[i], k + " wrote before " + from);
            for (int i = from; i < n; i++) {
                assertClose(k + " " + fn + "(" + x[i] + ")", reference(fn).applyAsDouble(x[i]), y[i], 2e-15, errorScale(fn, x[i]));
                assertClose(k + " " + fn + "(" + xf[i] + "f)", (float) reference(fn).applyAsDouble(xf[i]), yf[i], 3e-7, errorScale(fn, xf[i]));
            }
        }
        if (from == 0) assertArrayEquals(apply(fn, x), apply(fn, x), fn + " deterministic");
    }

    /** Relative tolerance, with an absolute floor of the same size near zero (sin, cos and tanh near their roots). */
    private static void assertClose(String what, double want, double got, double tol) { assertClose(what, want, got, tol, 0); }

    /** As above, the floor raised to {@code tol * scale}. */
    private static void assertClose(String what, double want, double got, double tol, double scale) {
        if (Double.isNaN(want) || Double.isInfinite(want)) {
            assertEquals(want, got, what);
            return;
        }
        assertEquals(want, got, tol * Math.max(Math.max(1, scale), Math.abs(want)), what);
    }

    /** GELU is {@code x Phi(x)}: its error is {@code |x|} times erf's, also where {@code x Phi(x)} is near 0 (large negative {@code x}). */
    private static double errorScale(UnaryFunction fn, double x) { return fn == UnaryFunction.GELU ? Math.abs(x) : 0; }

    @Property(tries = 100)
    void reluBackwardKernelsPassTheGradientWherePositive(@ForAll @IntRange(max = 70) int n, @ForAll long seed) {
        Random r = new Random(seed);
        double slope = r.nextBoolean() ? 0 : r.nextDouble() * 2 - 0.5;
        float slopeF = (float) slope;
        double[] g = new double[n], x = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = i % 7 == 3 ? Double.NaN : r.nextGaussian();
            x[i] = i % 5 == 2 ? 0 : i % 11 == 4 ? Double.NaN : r.nextGaussian();
        }
        for (Kernel k : KERNELS) {
            double[] y = new double[n];
            float[] yf = new float[n];
            k.dg().apply(g, x, slope, y, 0, n);
            k.fg().apply(Tensor.of(g).toFloatArray(), Tensor.of(x).toFloatArray(), slopeF, yf, 0, n);
            for (int i = 0; i < n; i++) {
                assertEquals(x[i] > 0 ? g[i] : slope == 0 ? 0 : slope * g[i], y[i], k + " at " + x[i] + ", slope " + slope);
                assertEquals(x[i] > 0 ? (float) g[i] : slope == 0 ? 0f : slopeF * (float) g[i], yf[i], k + " at " + x[i] + ", slope " + slope);
            }
        }
    }
}
