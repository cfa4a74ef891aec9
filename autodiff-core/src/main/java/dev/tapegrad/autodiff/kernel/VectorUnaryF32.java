package dev.tapegrad.autodiff.kernel;

import static dev.tapegrad.autodiff.kernel.VectorConstants.BIAS_F32;
import static dev.tapegrad.autodiff.kernel.VectorConstants.ERFC_FIT_F32;
import static dev.tapegrad.autodiff.kernel.VectorConstants.ERF_SERIES_F32;
import static dev.tapegrad.autodiff.kernel.VectorConstants.ERF_SMALL_F32;
import static dev.tapegrad.autodiff.kernel.VectorConstants.ERF_VECTOR_F32;
import static dev.tapegrad.autodiff.kernel.VectorConstants.LN2_HI_F32;
import static dev.tapegrad.autodiff.kernel.VectorConstants.LN2_LO_F32;
import static dev.tapegrad.autodiff.kernel.VectorConstants.LOG2E_F32;
import static dev.tapegrad.autodiff.kernel.VectorConstants.MANTISSA_F32;
import static dev.tapegrad.autodiff.kernel.VectorConstants.MAX_F32;
import static dev.tapegrad.autodiff.kernel.VectorConstants.MIN_F32;
import static dev.tapegrad.autodiff.kernel.VectorConstants.ROUND_F32;
import static dev.tapegrad.autodiff.kernel.VectorConstants.TANH_F32;
import static dev.tapegrad.autodiff.kernel.VectorConstants.TANH_SMALL_F32;
import static dev.tapegrad.autodiff.kernel.VectorConstants.TAYLOR_F32;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link UnaryFunction}s on the Vector API: whole vectors, then the remainder through {@code ScalarUnaryF32}.
 * {@code exp} (and {@code sigmoid}, {@code tanh} and {@code erf} through it) is computed from IEEE arithmetic alone ({@link VectorConstants}):
 * the Vector API's own transcendental operations give different last bits once the JIT compiles them,
 * which would make results depend on warm-up. The functions without an arithmetic kernel here (log, sin,
 * cos) run on {@link Math}.
 */
final class VectorUnaryF32 {
    private VectorUnaryF32() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int W = S.length();

    /** {@code y[from..to) = fn(x[from..to))}. */
    static void apply(UnaryFunction fn, float[] x, float[] y, int from, int to) {
        int i = from, end = from + S.loopBound(to - from);
        FloatVector zero = FloatVector.zero(S), one = FloatVector.broadcast(S, 1f);
        int done = switch (fn) {
            case NEG -> { for (; i < end; i += W) FloatVector.fromArray(S, x, i).neg().intoArray(y, i); yield i; }
            case ABS -> { for (; i < end; i += W) FloatVector.fromArray(S, x, i).abs().intoArray(y, i); yield i; }
            case SQRT -> { for (; i < end; i += W) FloatVector.fromArray(S, x, i).sqrt().intoArray(y, i); yield i; }
            case EXP, SIGMOID, TANH -> loop(fn, x, y, i, end);
            case ERF, GELU -> ERF_VECTOR_F32 ? loop(fn, x, y, i, end) : from;
            case RELU -> { for (; i < end; i += W) FloatVector.fromArray(S, x, i).max(zero).intoArray(y, i); yield i; }
            case STEP -> {
                for (; i < end; i += W) zero.blend(one, FloatVector.fromArray(S, x, i).compare(VectorOperators.GT, 0f)).intoArray(y, i);
                yield i;
            }
            case LOG, SIN, COS -> from;
        };
        ScalarUnaryF32.apply(fn, x, y, done, to);
    }

    /**
     * The transcendental loops, called through method handles that C2 cannot inline (a handle read from an array is not a
     * constant), so that each loop is compiled on its own, with its {@code exp} or {@code erf} inlined. Called directly, C2
     * inlined them into {@code apply} and from there into its callers (an LSTM cell applies sigmoid and tanh four times),
     * ran out of its node budget ("NodeCountInliningCutoff") before inlining {@code exp}, and the Vector API calls then
     * ran on boxed vectors in Java: a sigmoid took 2.9 ns per element instead of 0.6 (AMD EPYC Zen 4).
     */
    private static final java.lang.invoke.MethodHandle[] LOOPS = new java.lang.invoke.MethodHandle[UnaryFunction.values().length];

    static {
        var lookup = java.lang.invoke.MethodHandles.lookup();
        var type = java.lang.invoke.MethodType.methodType(int.class, float[].class, float[].class, int.class, int.class);
        try {
            LOOPS[UnaryFunction.EXP.ordinal()] = lookup.findStatic(VectorUnaryF32.class, "expLoop", type);
            LOOPS[UnaryFunction.SIGMOID.ordinal()] = lookup.findStatic(VectorUnaryF32.class, "sigmoidLoop", type);
            LOOPS[UnaryFunction.TANH.ordinal()] = lookup.findStatic(VectorUnaryF32.class, "tanhLoop", type);
            LOOPS[UnaryFunction.ERF.ordinal()] = lookup.findStatic(VectorUnaryF32.class, "erfLoop", type);
            LOOPS[UnaryFunction.GELU.ordinal()] = lookup.findStatic(VectorUnaryF32.class, "geluLoop", type);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** {@code fn}'s loop over whole vectors of {@code [i, end)}; returns {@code end}. */
    private static int loop(UnaryFunction fn, float[] x, float[] y, int i, int end) {
        try {
            return (int) LOOPS[fn.ordinal()].invokeExact(x, y, i, end);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);   // the loops throw no checked exception
        }
    }

    /** {@code y[i..end) = exp(x[i..end))}, whole vectors; returns {@code end}. */
    private static int expLoop(float[] x, float[] y, int i, int end) {
        for (; i < end; i += W) expWithZeros(FloatVector.fromArray(S, x, i)).intoArray(y, i);
        return end;
    }

    /** {@code y = 1 / (1 + exp(-x))}, whole vectors. */
    private static int sigmoidLoop(float[] x, float[] y, int i, int end) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (; i < end; i += W) one.div(exp(FloatVector.fromArray(S, x, i).neg()).add(one)).intoArray(y, i);
        return end;
    }

    /** {@code y = tanh(x)}, whole vectors. */
    private static int tanhLoop(float[] x, float[] y, int i, int end) {
        for (; i < end; i += W) tanh(FloatVector.fromArray(S, x, i)).intoArray(y, i);
        return end;
    }

    /** {@code y = erf(x)}, whole vectors. */
    private static int erfLoop(float[] x, float[] y, int i, int end) {
        for (; i < end; i += W) erf(FloatVector.fromArray(S, x, i)).intoArray(y, i);
        return end;
    }

    /** {@code y = gelu(x)}, whole vectors, rounded as {@link ScalarUnaryF32#gelu}. */
    private static int geluLoop(float[] x, float[] y, int i, int end) {
        for (; i < end; i += W) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            v.mul(erf(v.mul(ScalarUnaryF32.INV_SQRT2)).add(1f)).mul(0.5f).intoArray(y, i);
        }
        return end;
    }

    /**
     * The GELU backward {@code out = g (Phi(x) + x phi(x))} over {@code [from, to)}, with {@code Phi(x) = y / x} taken from
     * the forward's output {@code y = x Phi(x)} (no {@code erf}, which was half of the cost): {@code y / x} is within an ulp
     * of the forward's {@code Phi}, itself rounded as {@link ScalarUnaryF32#geluBackward} rounds it; where
     * {@code |x| < 4 MIN_NORMAL} (0, subnormal: {@code y / x} is 0/0 or lost its digits) {@code Phi} is 1/2, what it rounds to there.
     */
    static void geluBackward(float[] g, float[] x, float[] y, float[] out, int from, int to) {
        int i = from, end = from + S.loopBound(to - from);
        FloatVector half = FloatVector.broadcast(S, 0.5f);
        for (; i < end; i += W) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            FloatVector cdf = FloatVector.fromArray(S, y, i).div(v).blend(half, v.abs().compare(VectorOperators.LT, 4 * Float.MIN_NORMAL));
            FloatVector pdf = exp(v.mul(-0.5f).mul(v)).mul(ScalarUnaryF32.INV_SQRT_2PI);
            FloatVector.fromArray(S, g, i).mul(cdf.add(v.mul(pdf))).intoArray(out, i);
        }
        ScalarUnaryF32.geluBackward(g, x, out, i, to);
    }

    /**
     * {@code y = x > 0 ? g : slope g} over {@code [from, to)}, branch-free, and exactly 0 where {@code x <= 0} when
     * {@code slope} is 0: the ReLU and leaky ReLU backward (and with {@code g = x} the leaky ReLU itself).
     */
    static void passWherePositive(float[] g, float[] x, float slope, float[] y, int from, int to) {
        int i = from, end = from + S.loopBound(to - from);
        FloatVector zero = FloatVector.zero(S);
        if (slope == 0)
            for (; i < end; i += W) zero.blend(FloatVector.fromArray(S, g, i), FloatVector.fromArray(S, x, i).compare(VectorOperators.GT, 0f)).intoArray(y, i);
        else
            for (; i < end; i += W) {
                FloatVector v = FloatVector.fromArray(S, g, i);
                v.mul(slope).blend(v, FloatVector.fromArray(S, x, i).compare(VectorOperators.GT, 0f)).intoArray(y, i);
            }
        ScalarUnaryF32.passWherePositive(g, x, slope, y, i, to);
    }

    /** {@code tanh} lane by lane, as {@link VectorConstants} describes: the Taylor series near 0, {@code exp} elsewhere, NaN kept. */
    static FloatVector tanh(FloatVector x) {
        FloatVector one = FloatVector.broadcast(S, 1f), a = x.abs(), e = exp(a.mul(-2f));
        FloatVector far = one.sub(e).div(one.add(e));
        FloatVector x2 = x.mul(x), p = FloatVector.broadcast(S, TANH_F32[0]);
        for (int i = 1; i < TANH_F32.length; i++) p = p.fma(x2, FloatVector.broadcast(S, TANH_F32[i]));
        return odd(x, a, far, x.mul(p), TANH_SMALL_F32);
    }

    /** {@code erf} lane by lane, as {@link VectorConstants} describes: the Taylor series below 1, {@code 1 - erfc} above, NaN kept. */
    static FloatVector erf(FloatVector x) {
        FloatVector one = FloatVector.broadcast(S, 1f), z = x.abs(), x2 = x.mul(x);
        FloatVector p = FloatVector.broadcast(S, ERF_SERIES_F32[0]);
        for (int i = 1; i < ERF_SERIES_F32.length; i++) p = p.fma(x2, FloatVector.broadcast(S, ERF_SERIES_F32[i]));
        FloatVector t = one.div(z.mul(0.5f).add(one)), q = FloatVector.broadcast(S, ERFC_FIT_F32[0]);
        for (int i = 1; i < ERFC_FIT_F32.length; i++) q = q.fma(t, FloatVector.broadcast(S, ERFC_FIT_F32[i]));
        FloatVector far = one.sub(t.mul(exp(q.sub(x2))));
        return odd(x, z, far, x.mul(p), ERF_SMALL_F32);
    }

    /** An odd function from its two branches: {@code near} where {@code |x| < small}, else {@code far} (its value at {@code |x|}) with the sign of {@code x}. */
    private static FloatVector odd(FloatVector x, FloatVector abs, FloatVector far, FloatVector near, float small) {
        return far.blend(far.neg(), x.compare(VectorOperators.LT, 0f)).blend(near, abs.compare(VectorOperators.LT, small));
    }

    /**
     * {@link #exp} for arguments that are often {@code -inf} (masked attention scores, a softmax's shifted logits): lanes at
     * or below {@code MIN}, where the result rounds to 0, are computed as 0 and set to 0 at the end. {@code exp}'s clamped
     * argument gives the same 0 through a product that underflows, and on Intel cores each such product takes a microcode
     * assist (about 150 cycles), which made a causally masked softmax row 3x slower. (Not inside {@code erf} and {@code tanh},
     * which it would push past C2's inlining budget, boxing their vectors.)
     */
    static FloatVector expWithZeros(FloatVector x) {
        VectorMask<Float> zero = x.compare(VectorOperators.LE, MIN_F32);
        return exp(x.blend(0f, zero)).blend(0f, zero);
    }

    /** {@code exp} lane by lane, as {@link VectorConstants} describes; {@code 2^n} is applied in two halves so that subnormal and near-overflow results come out right; the integral lanes are
     * {@code int} for FLOAT32 and {@code long} for FLOAT64 (hence {@code var}). */
    static FloatVector exp(FloatVector x) {
        x = x.max(MIN_F32).min(MAX_F32);
        FloatVector t = x.fma(FloatVector.broadcast(S, LOG2E_F32), FloatVector.broadcast(S, ROUND_F32));
        FloatVector n = t.sub(ROUND_F32);
        FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI_F32), x).add(n.mul(-LN2_LO_F32));
        FloatVector p = FloatVector.broadcast(S, TAYLOR_F32[0]);
        for (int i = 1; i < TAYLOR_F32.length; i++) p = p.fma(r, FloatVector.broadcast(S, TAYLOR_F32[i]));
        var k = t.viewAsIntegralLanes().sub(Float.floatToRawIntBits(ROUND_F32));
        var half = k.lanewise(VectorOperators.ASHR, 1);
        FloatVector s1 = half.add(BIAS_F32).lanewise(VectorOperators.LSHL, MANTISSA_F32).reinterpretAsFloats();
        FloatVector s2 = k.sub(half).add(BIAS_F32).lanewise(VectorOperators.LSHL, MANTISSA_F32).reinterpretAsFloats();
        return p.mul(s1).mul(s2);
    }
}
