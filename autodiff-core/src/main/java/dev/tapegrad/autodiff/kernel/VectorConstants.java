package dev.tapegrad.autodiff.kernel;

/**
 * The precision-specific constants of the vector {@code exp}, {@code tanh} and {@code erf} ({@code VectorUnaryF32}; the
 * FLOAT64 kernel derived from it reads the {@code _F64} names).
 *
 * <p>{@code exp}: {@code exp(x) = 2^n e^r} with {@code n = round(x / ln 2)}
 * and {@code r = x - n ln 2} in {@code [-ln2/2, ln2/2]}, {@code ln 2 = LN2_HI + LN2_LO} split so that
 * {@code n LN2_HI} is exact; {@code e^r} by its Taylor polynomial of degree 7 (FLOAT32) or 13 (FLOAT64),
 * whose truncation error is below half an ulp; {@code 2^n} built in the exponent bits. {@code x} is first
 * clamped to where the result is neither 0 nor infinity only by rounding ({@code MIN}, {@code MAX}), and
 * {@code n} is rounded by adding and subtracting {@code ROUND = 1.5 * 2^mantissa}.
 *
 * <p>{@code tanh}: for {@code |x| >= TANH_SMALL = 1/8}, {@code sign(x) (1 - e) / (1 + e)} with
 * {@code e = exp(-2|x|)}, where {@code 1 - e >= 0.22} loses no relative precision; below, the Taylor series
 * {@code x (1 - x^2/3 + 2x^4/15 - ...)} to degree 9 (FLOAT32) or 17 (FLOAT64), whose first omitted term is
 * below 1e-11 (FLOAT32) or 1e-18 (FLOAT64) relative to {@code x} at {@code |x| = 1/8}.
 *
 * <p>{@code erf} (FLOAT32 only): the Taylor series {@code x P(x^2)} for {@code |x| < 1}, and above
 * {@code sign(x) (1 - erfc|x|)} with Numerical Recipes' {@code erfc}; within a few ulp of the correctly rounded value.
 */
final class VectorConstants {
    private VectorConstants() {}

    static final float LOG2E_F32 = 1.44269504f, LN2_HI_F32 = 0.693359375f, LN2_LO_F32 = -2.12194440e-4f, ROUND_F32 = 12582912f;
    static final float MIN_F32 = -104f, MAX_F32 = 89f;
    static final int MANTISSA_F32 = 23, BIAS_F32 = 127;
    static final float[] TAYLOR_F32 = toFloats(taylor(7));

    static final double LOG2E_F64 = 1.4426950408889634, LN2_HI_F64 = 6.93147180369123816490e-01, LN2_LO_F64 = 1.90821492927058770002e-10;
    static final double ROUND_F64 = 6755399441055744.0, MIN_F64 = -746d, MAX_F64 = 710d;
    static final int MANTISSA_F64 = 52, BIAS_F64 = 1023;
    static final double[] TAYLOR_F64 = taylor(13);

    /** The odd Taylor coefficients of tanh (numerators and denominators), highest degree first: Horner order in {@code x^2}. */
    private static final double[] TANH_SERIES = {6404582.0 / 10854718875.0, -929569.0 / 638512875.0, 21844.0 / 6081075.0, -1382.0 / 155925.0,
        62.0 / 2835.0, -17.0 / 315.0, 2.0 / 15.0, -1.0 / 3.0, 1.0};
    static final float TANH_SMALL_F32 = 0.125f;
    static final double TANH_SMALL_F64 = 0.125;
    static final float[] TANH_F32 = toFloats(java.util.Arrays.copyOfRange(TANH_SERIES, 4, TANH_SERIES.length));
    static final double[] TANH_F64 = TANH_SERIES;

    /** Whether {@code erf} has a vector kernel: FLOAT32 only; FLOAT64 takes commons-numbers' {@code Erf} (full double precision). */
    static final boolean ERF_VECTOR_F32 = true, ERF_VECTOR_F64 = false;
    /** Below it, erf's Taylor series; above, {@code 1 - erfc} (Numerical Recipes' Chebyshev fit, fractional error below 1.2e-7). */
    static final float ERF_SMALL_F32 = 1f;
    static final double ERF_SMALL_F64 = 1;
    /** {@code 2/sqrt(pi) (-1)^n / (n! (2n + 1))} for n = 12 down to 0: Horner order in {@code x^2}; the first omitted term is below 1e-10 at {@code |x| = 1}. */
    static final double[] ERF_SERIES_F64 = erfSeries(12);
    static final float[] ERF_SERIES_F32 = toFloats(ERF_SERIES_F64);
    /** erfc(z) = t exp(-z^2 + P(t)), {@code t = 1 / (1 + z/2)}: P's coefficients, highest degree first. */
    static final double[] ERFC_FIT_F64 = {0.17087277, -0.82215223, 1.48851587, -1.13520398, 0.27886807, -0.18628806, 0.09678418, 0.37409196,
        1.00002368, -1.26551223};
    static final float[] ERFC_FIT_F32 = toFloats(ERFC_FIT_F64);

    private static double[] erfSeries(int n) {
        double[] c = new double[n + 1];
        double factorial = 1;
        for (int i = 0; i <= n; i++) {
            factorial *= Math.max(1, i);
            c[n - i] = 2 / Math.sqrt(Math.PI) * (i % 2 == 0 ? 1 : -1) / (factorial * (2 * i + 1));
        }
        return c;
    }

    /** {@code 1/degree!, ..., 1/1!, 1/0!}: Horner order. */
    private static double[] taylor(int degree) {
        double[] c = new double[degree + 1];
        double factorial = 1;
        for (int i = 0; i <= degree; i++) {
            factorial *= Math.max(1, i);
            c[degree - i] = 1 / factorial;
        }
        return c;
    }

    private static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }
}
