package dev.tapegrad.autodiff;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Unary} on the Vector API: whole vectors, then the remainder through {@link ScalarUnary}.
 * {@code exp} (and {@code sigmoid} through it) is computed here from IEEE arithmetic alone: the Vector
 * API's own transcendental operations give different last bits once the JIT compiles them, which would
 * make results depend on warm-up. The functions without an arithmetic kernel here (log, tanh, sin, cos)
 * run on {@link Math}. The FLOAT64 method is the FLOAT32 one with the type replaced.
 */
final class VectorUnary implements Unary.Kernel {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final ScalarUnary SCALAR = new ScalarUnary();

    @Override
    public void apply(Unary fn, float[] x, float[] y, int from, int to) {
        int i = from, end = from + FS.loopBound(to - from), w = FS.length();
        FloatVector zero = FloatVector.zero(FS), one = FloatVector.broadcast(FS, 1f);
        switch (fn) {
            case NEG -> { for (; i < end; i += w) FloatVector.fromArray(FS, x, i).neg().intoArray(y, i); }
            case ABS -> { for (; i < end; i += w) FloatVector.fromArray(FS, x, i).abs().intoArray(y, i); }
            case SQRT -> { for (; i < end; i += w) FloatVector.fromArray(FS, x, i).sqrt().intoArray(y, i); }
            case EXP -> { for (; i < end; i += w) exp(FloatVector.fromArray(FS, x, i)).intoArray(y, i); }
            case SIGMOID -> { for (; i < end; i += w) one.div(exp(FloatVector.fromArray(FS, x, i).neg()).add(one)).intoArray(y, i); }
            case RELU -> { for (; i < end; i += w) FloatVector.fromArray(FS, x, i).max(zero).intoArray(y, i); }
            case STEP -> {
                for (; i < end; i += w) zero.blend(one, FloatVector.fromArray(FS, x, i).compare(VectorOperators.GT, 0f)).intoArray(y, i);
            }
            default -> { }
        }
        SCALAR.apply(fn, x, y, i, to);
    }

    @Override
    public void apply(Unary fn, double[] x, double[] y, int from, int to) {
        int i = from, end = from + DS.loopBound(to - from), w = DS.length();
        DoubleVector zero = DoubleVector.zero(DS), one = DoubleVector.broadcast(DS, 1d);
        switch (fn) {
            case NEG -> { for (; i < end; i += w) DoubleVector.fromArray(DS, x, i).neg().intoArray(y, i); }
            case ABS -> { for (; i < end; i += w) DoubleVector.fromArray(DS, x, i).abs().intoArray(y, i); }
            case SQRT -> { for (; i < end; i += w) DoubleVector.fromArray(DS, x, i).sqrt().intoArray(y, i); }
            case EXP -> { for (; i < end; i += w) exp(DoubleVector.fromArray(DS, x, i)).intoArray(y, i); }
            case SIGMOID -> { for (; i < end; i += w) one.div(exp(DoubleVector.fromArray(DS, x, i).neg()).add(one)).intoArray(y, i); }
            case RELU -> { for (; i < end; i += w) DoubleVector.fromArray(DS, x, i).max(zero).intoArray(y, i); }
            case STEP -> {
                for (; i < end; i += w) zero.blend(one, DoubleVector.fromArray(DS, x, i).compare(VectorOperators.GT, 0d)).intoArray(y, i);
            }
            default -> { }
        }
        SCALAR.apply(fn, x, y, i, to);
    }

    @Override
    public void passWherePositive(float[] g, float[] x, float[] y, int from, int to) {
        int i = from, end = from + FS.loopBound(to - from), w = FS.length();
        FloatVector zero = FloatVector.zero(FS);
        for (; i < end; i += w) zero.blend(FloatVector.fromArray(FS, g, i), FloatVector.fromArray(FS, x, i).compare(VectorOperators.GT, 0f)).intoArray(y, i);
        SCALAR.passWherePositive(g, x, y, i, to);
    }

    @Override
    public void passWherePositive(double[] g, double[] x, double[] y, int from, int to) {
        int i = from, end = from + DS.loopBound(to - from), w = DS.length();
        DoubleVector zero = DoubleVector.zero(DS);
        for (; i < end; i += w) zero.blend(DoubleVector.fromArray(DS, g, i), DoubleVector.fromArray(DS, x, i).compare(VectorOperators.GT, 0d)).intoArray(y, i);
        SCALAR.passWherePositive(g, x, y, i, to);
    }

    // exp(x) = 2^n e^r with n = round(x / ln 2) and r = x - n ln 2 in [-ln2/2, ln2/2] (ln 2 split in two so
    // that n ln2_hi is exact); e^r by its Taylor polynomial (degree 7 for FLOAT32, 13 for FLOAT64, truncation
    // below half an ulp); 2^n built in the exponent bits, applied in two halves so that results in the
    // subnormal range and near the overflow bound come out right. Rounding n uses the 1.5 * 2^m trick.

    private static final float F_LOG2E = 1.44269504f, F_LN2_HI = 0.693359375f, F_LN2_LO = -2.12194440e-4f, F_ROUND = 12582912f;
    private static final float[] F_TAYLOR = {1f / 5040, 1f / 720, 1f / 120, 1f / 24, 1f / 6, 0.5f, 1f, 1f};

    static FloatVector exp(FloatVector x) {
        x = x.max(-104f).min(89f);
        FloatVector t = x.fma(FloatVector.broadcast(FS, F_LOG2E), FloatVector.broadcast(FS, F_ROUND));
        FloatVector n = t.sub(F_ROUND);
        FloatVector r = n.fma(FloatVector.broadcast(FS, -F_LN2_HI), x).add(n.mul(-F_LN2_LO));
        FloatVector p = FloatVector.broadcast(FS, F_TAYLOR[0]);
        for (int i = 1; i < F_TAYLOR.length; i++) p = p.fma(r, FloatVector.broadcast(FS, F_TAYLOR[i]));
        IntVector k = t.viewAsIntegralLanes().sub(Float.floatToRawIntBits(F_ROUND));
        IntVector half = k.lanewise(VectorOperators.ASHR, 1);
        FloatVector s1 = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = k.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(s1).mul(s2);
    }

    private static final double D_LOG2E = 1.4426950408889634, D_LN2_HI = 6.93147180369123816490e-01, D_LN2_LO = 1.90821492927058770002e-10;
    private static final double D_ROUND = 6755399441055744.0;
    private static final double[] D_TAYLOR = taylor(13);

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

    static DoubleVector exp(DoubleVector x) {
        x = x.max(-746d).min(710d);
        DoubleVector t = x.fma(DoubleVector.broadcast(DS, D_LOG2E), DoubleVector.broadcast(DS, D_ROUND));
        DoubleVector n = t.sub(D_ROUND);
        DoubleVector r = n.fma(DoubleVector.broadcast(DS, -D_LN2_HI), x).add(n.mul(-D_LN2_LO));
        DoubleVector p = DoubleVector.broadcast(DS, D_TAYLOR[0]);
        for (int i = 1; i < D_TAYLOR.length; i++) p = p.fma(r, DoubleVector.broadcast(DS, D_TAYLOR[i]));
        LongVector k = t.viewAsIntegralLanes().sub(Double.doubleToRawLongBits(D_ROUND));
        LongVector half = k.lanewise(VectorOperators.ASHR, 1);
        DoubleVector s1 = half.add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        DoubleVector s2 = k.sub(half).add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        return p.mul(s1).mul(s2);
    }
}
