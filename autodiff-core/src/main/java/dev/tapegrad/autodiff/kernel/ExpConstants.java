package dev.tapegrad.autodiff.kernel;

/**
 * The precision-specific constants of the vector {@code exp} ({@code VectorUnaryF32}; the FLOAT64 kernel
 * derived from it reads the {@code _F64} names). {@code exp(x) = 2^n e^r} with {@code n = round(x / ln 2)}
 * and {@code r = x - n ln 2} in {@code [-ln2/2, ln2/2]}, {@code ln 2 = LN2_HI + LN2_LO} split so that
 * {@code n LN2_HI} is exact; {@code e^r} by its Taylor polynomial of degree 7 (FLOAT32) or 13 (FLOAT64),
 * whose truncation error is below half an ulp; {@code 2^n} built in the exponent bits. {@code x} is first
 * clamped to where the result is neither 0 nor infinity only by rounding ({@code MIN}, {@code MAX}), and
 * {@code n} is rounded by adding and subtracting {@code ROUND = 1.5 * 2^mantissa}.
 */
final class ExpConstants {
    private ExpConstants() {}

    static final float LOG2E_F32 = 1.44269504f, LN2_HI_F32 = 0.693359375f, LN2_LO_F32 = -2.12194440e-4f, ROUND_F32 = 12582912f;
    static final float MIN_F32 = -104f, MAX_F32 = 89f;
    static final int MANTISSA_F32 = 23, BIAS_F32 = 127;
    static final float[] TAYLOR_F32 = toFloats(taylor(7));

    static final double LOG2E_F64 = 1.4426950408889634, LN2_HI_F64 = 6.93147180369123816490e-01, LN2_LO_F64 = 1.90821492927058770002e-10;
    static final double ROUND_F64 = 6755399441055744.0, MIN_F64 = -746d, MAX_F64 = 710d;
    static final int MANTISSA_F64 = 52, BIAS_F64 = 1023;
    static final double[] TAYLOR_F64 = taylor(13);

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
