package dev.tapegrad.autodiff;

import static dev.tapegrad.autodiff.Tensor.record;

import dev.tapegrad.autodiff.kernel.ArithmeticKernelsF32;
import dev.tapegrad.autodiff.kernel.ArithmeticKernelsF64;
import dev.tapegrad.autodiff.kernel.BinaryOp;
import dev.tapegrad.autodiff.kernel.BroadcastPlan;
import dev.tapegrad.autodiff.kernel.MapKernelsF32;
import dev.tapegrad.autodiff.kernel.MapKernelsF64;
import dev.tapegrad.autodiff.kernel.UnaryFunction;
import dev.tapegrad.autodiff.kernel.UnaryKernelsF32;
import dev.tapegrad.autodiff.kernel.UnaryKernelsF64;
import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * Elementwise primitives, forward kernel and backward rule side by side; the comment on each gives the
 * derivative its backward applies to the output gradient {@code g}.
 */
final class Elementwise {
    private Elementwise() {}

    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

    // d(-x) = -1
    static Tensor neg(Tensor x) { return record(Op.NEG, unary(UnaryFunction.NEG, x), (g, i) -> g.neg(), x); }

    // d exp(x) = exp(x)
    static Tensor exp(Tensor x) {
        Tensor y = unary(UnaryFunction.EXP, x);
        return record(Op.EXP, y, (g, i) -> g.mul(y), x);
    }

    // d log(x) = 1 / x
    static Tensor log(Tensor x) { return record(Op.LOG, unary(UnaryFunction.LOG, x), (g, i) -> g.div(x), x); }

    // d sin(x) = cos(x)
    static Tensor sin(Tensor x) { return record(Op.SIN, unary(UnaryFunction.SIN, x), (g, i) -> g.mul(x.cos()), x); }

    // d cos(x) = -sin(x)
    static Tensor cos(Tensor x) { return record(Op.COS, unary(UnaryFunction.COS, x), (g, i) -> g.mul(x.sin()).neg(), x); }

    // d tanh(x) = 1 - tanh(x)^2
    static Tensor tanh(Tensor x) {
        Tensor y = unary(UnaryFunction.TANH, x);
        return record(Op.TANH, y, (g, i) -> g.mul(y.square().neg().add(1)), x);
    }

    // d sigmoid(x) = y (1 - y); one fused pass when the backward itself is not recorded
    static Tensor sigmoid(Tensor x) {
        Tensor y = unary(UnaryFunction.SIGMOID, x);
        return record(Op.SIGMOID, y, (g, i) -> {
            if (GradientTape.isRecording()) return g.mul(y.mul(y.neg().add(1)));
            Tensor out = Tensor.alloc(g.dtype(), g.shape);
            if (g.f != null) UnaryKernelsF32.sigmoidBackward(g.f, y.f, out.f); else UnaryKernelsF64.sigmoidBackward(g.d, y.d, out.d);
            return out;
        }, x);
    }

    // d relu(x) = step(x) (0 at 0, as in PyTorch); one fused pass when the backward itself is not recorded
    static Tensor relu(Tensor x) {
        return record(Op.RELU, unary(UnaryFunction.RELU, x), (g, i) -> {
            if (GradientTape.isRecording()) return g.mul(unary(UnaryFunction.STEP, x));
            return passWherePositive(g, x, 0);
        }, x);
    }

    // d leakyRelu(x) = x > 0 ? 1 : slope; one fused pass when the backward itself is not recorded, else g times those
    // slopes, a constant (their own derivative in x is 0, as relu's step)
    static Tensor leakyRelu(Tensor x, double slope) {
        if (!Double.isFinite(slope)) throw new IllegalArgumentException("leakyRelu: slope must be finite, got " + slope);
        Tensor y = slope == 0 ? unary(UnaryFunction.RELU, x) : passWherePositive(x, x, slope);
        return record(Op.LEAKY_RELU, y, (g, i) -> GradientTape.isRecording()
                ? g.mul(passWherePositive(Tensor.onesLike(x), x, slope)) : passWherePositive(g, x, slope), x);
    }

    /** {@code x > 0 ? g : slope g} (0 where {@code x <= 0} when {@code slope} is 0), untracked, one pass. */
    private static Tensor passWherePositive(Tensor g, Tensor x, double slope) {
        Tensor out = Tensor.alloc(g.dtype(), g.shape);
        if (g.f != null) UnaryKernelsF32.passWherePositive(g.f, x.f, (float) slope, out.f); else UnaryKernelsF64.passWherePositive(g.d, x.d, slope, out.d);
        return out;
    }

    // d |x| = sign(x)
    static Tensor abs(Tensor x) { return record(Op.ABS, unary(UnaryFunction.ABS, x), (g, i) -> g.mul(x.sign()), x); }

    // d x^p = p x^(p-1); the exponents 1, 2, 1/2, -1 and -1/2 run on fast kernels
    static Tensor pow(Tensor x, double p) {
        return record(Op.POW, powKernel(x, p), (g, i) -> p == 0 ? g.mul(0) : p == 2 ? g.mul(x.mul(2)) : g.mul(x.pow(p - 1).mul(p)), x);
    }

    private static Tensor powKernel(Tensor x, double p) {
        if (p == 1) return Tensor.wrapShared(x.shape, x);
        if (p == 2) return arithmetic(BinaryOp.MUL, x, x, x.shape);
        if (p == 0.5) return unary(UnaryFunction.SQRT, x);
        if (p == -1) return arithmetic(BinaryOp.DIV, x.like(1), x, x.shape);
        if (p == -0.5) return arithmetic(BinaryOp.DIV, x.like(1), unary(UnaryFunction.SQRT, x), x.shape);
        return map(x, v -> Math.pow(v, p));
    }

    // d erf(x) = 2 / sqrt(pi) exp(-x^2)
    static Tensor erf(Tensor x) {
        return record(Op.ERF, unary(UnaryFunction.ERF, x), (g, i) -> g.mul(x.square().neg().exp().mul(TWO_OVER_SQRT_PI)), x);
    }

    // d gelu(x) = Phi(x) + x phi(x), phi(x) = exp(-x^2 / 2) / sqrt(2 pi); one fused pass when the backward itself is not recorded (Phi = y / x)
    static Tensor gelu(Tensor x) {
        Tensor y = unary(UnaryFunction.GELU, x);
        return record(Op.GELU, y, (g, i) -> {
            if (GradientTape.isRecording())
                return g.mul(x.mul(1 / Math.sqrt(2)).erf().add(1).mul(0.5).add(x.mul(x.square().mul(-0.5).exp().mul(1 / Math.sqrt(2 * Math.PI)))));
            Tensor out = Tensor.alloc(g.dtype(), g.shape);
            if (g.f != null) UnaryKernelsF32.geluBackward(g.f, x.f, y.f, out.f); else UnaryKernelsF64.geluBackward(g.d, x.d, y.d, out.d);
            return out;
        }, x);
    }

    // d softplus(x) = sigmoid(x)
    static Tensor softplus(Tensor x) {
        Tensor y = map(x, v -> Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))));
        return record(Op.SOFTPLUS, y, (g, i) -> g.mul(x.sigmoid()), x);
    }

    // d log(1 + x) = 1 / (1 + x); computed without the rounding of 1 + x
    static Tensor log1p(Tensor x) { return record(Op.LOG1P, map(x, Math::log1p), (g, i) -> g.div(x.add(1)), x); }

    // d (exp(x) - 1) = exp(x); computed without the cancellation of exp(x) - 1
    static Tensor expm1(Tensor x) {
        Tensor y = map(x, Math::expm1);
        return record(Op.EXPM1, y, (g, i) -> g.mul(y.add(1)), x);
    }

    // d(a + b) = (1, 1)
    static Tensor add(Tensor a, Tensor b) { return record(Op.ADD, arithmetic("add", BinaryOp.ADD, a, b), (g, i) -> g, a, b); }

    /** {@code a + alpha b}: one fused loop when nothing records and the shapes agree, else the composite. */
    static Tensor addScaled(Tensor a, Tensor b, double alpha) {
        DType.requireSame("add", a, b);
        if (GradientTape.isRecording() || !Arrays.equals(a.shape, b.shape)) return add(a, b.mul(alpha));
        Tensor out = Tensor.alloc(a.dtype(), a.shape);
        if (a.f != null) ArithmeticKernelsF32.addScaled(a.f, b.f, (float) alpha, out.f); else ArithmeticKernelsF64.addScaled(a.d, b.d, alpha, out.d);
        return out;
    }

    // d(a - b) = (1, -1)
    static Tensor sub(Tensor a, Tensor b) {
        return record(Op.SUB, arithmetic("sub", BinaryOp.SUB, a, b), (g, i) -> i == 0 ? g : g.neg(), a, b);
    }

    // d(a b) = (b, a)
    static Tensor mul(Tensor a, Tensor b) {
        return record(Op.MUL, arithmetic("mul", BinaryOp.MUL, a, b), (g, i) -> i == 0 ? g.mul(b) : g.mul(a), a, b);
    }

    // d(a / b) = (1 / b, -a / b^2)
    static Tensor div(Tensor a, Tensor b) {
        return record(Op.DIV, arithmetic("div", BinaryOp.DIV, a, b), (g, i) -> i == 0 ? g.div(b) : g.mul(a).div(b.square()).neg(), a, b);
    }

    // d max(a, b) = (a > b, a < b), each side half at ties, as in PyTorch
    static Tensor maximum(Tensor a, Tensor b) {
        Tensor share = zip("maximum", a, b, (u, v) -> u > v ? 1 : u == v ? 0.5 : 0);
        return record(Op.MAXIMUM, zip("maximum", a, b, (u, v) -> u != u || v != v ? Double.NaN : Math.max(u, v)),
                (g, i) -> i == 0 ? g.mul(share) : g.mul(share.neg().add(1)), a, b);
    }

    // d where(c, a, b) = (c, 1 - c)
    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        java.util.Objects.requireNonNull(cond, "where: cond is null");
        DType.requireSame("where", a, b);
        int[] shape = Shape.broadcast("where", cond.shape, Shape.broadcast("where", a.shape, b.shape));
        Tensor c = map(cond.to(a.dtype()).expand(shape).detach(), v -> v != 0 ? 1 : 0);
        Tensor ea = a.detach().expand(shape), eb = b.detach().expand(shape);
        Tensor out = Tensor.alloc(a.dtype(), shape);
        for (int i = 0; i < out.numel(); i++) {
            boolean pick = c.at(i) != 0;
            if (out.f != null) out.f[i] = pick ? ea.f[i] : eb.f[i]; else out.d[i] = pick ? ea.d[i] : eb.d[i];
        }
        return record(Op.WHERE, out, (g, i) -> i == 0 ? g.mul(c) : g.mul(c.neg().add(1)), a, b);
    }

    /** A comparison as 0/1 values of {@code a}'s dtype; never recorded (its gradient is zero almost everywhere). */
    static Tensor compare(String op, Tensor a, Tensor b, ComparePredicate p) {
        return zip(op, a, b, (u, v) -> p.test(u, v) ? 1 : 0);
    }

    @FunctionalInterface
    interface ComparePredicate {
        boolean test(double a, double b);
    }

    static Tensor sign(Tensor x) { return map(x, Math::signum); }

    // ---- kernel dispatch

    private static Tensor unary(UnaryFunction fn, Tensor x) {
        Tensor out = Tensor.alloc(x.dtype(), x.shape);
        if (x.f != null) UnaryKernelsF32.apply(fn, x.f, out.f); else UnaryKernelsF64.apply(fn, x.d, out.d);
        return out;
    }

    /** {@code acc += g} in place, same shape and dtype: only for a buffer no one else sees (the sweep's own sums). */
    static void accumulate(Tensor acc, Tensor g) {
        if (acc.f != null) ArithmeticKernelsF32.addScaled(acc.f, g.f, 1, acc.f); else ArithmeticKernelsF64.addScaled(acc.d, g.d, 1, acc.d);
    }

    /** {@code a (op) b} with NumPy broadcasting: the blocked loops when the layout allows, else after expanding. */
    private static Tensor arithmetic(String name, BinaryOp op, Tensor a, Tensor b) {
        DType.requireSame(name, a, b);
        return arithmetic(op, a, b, Arrays.equals(a.shape, b.shape) ? a.shape : Shape.broadcast(name, a.shape, b.shape));
    }

    private static Tensor arithmetic(BinaryOp op, Tensor a, Tensor b, int[] shape) {
        BroadcastPlan plan = BroadcastPlan.of(a.shape, b.shape, shape);
        if (plan == null) return arithmetic(op, Movement.expanded(a, shape), Movement.expanded(b, shape), shape);
        Tensor out = Tensor.alloc(a.dtype(), shape);
        if (a.f != null) ArithmeticKernelsF32.apply(op, a.f, b.f, out.f, plan); else ArithmeticKernelsF64.apply(op, a.d, b.d, out.d, plan);
        return out;
    }

    private static Tensor map(Tensor x, DoubleUnaryOperator fn) {
        Tensor out = Tensor.alloc(x.dtype(), x.shape);
        if (x.f != null) MapKernelsF32.map(x.f, fn, out.f); else MapKernelsF64.map(x.d, fn, out.d);
        return out;
    }

    /**
     * {@code fn(a, b)} elementwise with NumPy broadcasting. An operand whose shape (leading 1s dropped) is a
     * suffix of the result's is read cyclically; any other broadcast operand is expanded first.
     */
    private static Tensor zip(String op, Tensor a, Tensor b, DoubleBinaryOperator fn) {
        DType.requireSame(op, a, b);
        int[] shape = Arrays.equals(a.shape, b.shape) ? a.shape : Shape.broadcast(op, a.shape, b.shape);
        Tensor ca = cyclic(a, shape) ? a : Movement.expanded(a, shape), cb = cyclic(b, shape) ? b : Movement.expanded(b, shape);
        Tensor out = Tensor.alloc(a.dtype(), shape);
        if (a.f != null) MapKernelsF32.zip(ca.f, cb.f, fn, out.f); else MapKernelsF64.zip(ca.d, cb.d, fn, out.d);
        return out;
    }

    /** Whether {@code t}'s shape, leading 1s dropped, is a suffix of {@code shape}: then index {@code i} reads {@code i mod size}. */
    private static boolean cyclic(Tensor t, int[] shape) {
        int lead = 0;
        while (lead < t.shape.length && t.shape[lead] == 1) lead++;
        int k = t.shape.length - lead;
        return k <= shape.length && Arrays.equals(t.shape, lead, t.shape.length, shape, shape.length - k, shape.length);
    }
}
