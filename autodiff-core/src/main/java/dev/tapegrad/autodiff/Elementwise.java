package dev.tapegrad.autodiff;

import static dev.tapegrad.autodiff.Kernels.map;
import static dev.tapegrad.autodiff.Kernels.zip;
import static dev.tapegrad.autodiff.Tensor.record;

import org.apache.commons.numbers.gamma.Erf;

/** Elementwise primitives: forward kernel and backward rule side by side. */
final class Elementwise {
    private Elementwise() {}

    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

    static Tensor neg(Tensor x) { return record(Op.NEG, Unary.NEG.apply(x), (g, i) -> g.neg(), x); }

    static Tensor exp(Tensor x) {
        Tensor y = Unary.EXP.apply(x);
        return record(Op.EXP, y, (g, i) -> g.mul(y), x);
    }

    static Tensor log(Tensor x) { return record(Op.LOG, Unary.LOG.apply(x), (g, i) -> g.div(x), x); }

    static Tensor sin(Tensor x) { return record(Op.SIN, Unary.SIN.apply(x), (g, i) -> g.mul(x.cos()), x); }

    static Tensor cos(Tensor x) { return record(Op.COS, Unary.COS.apply(x), (g, i) -> g.mul(x.sin()).neg(), x); }

    static Tensor tanh(Tensor x) {
        Tensor y = Unary.TANH.apply(x);
        return record(Op.TANH, y, (g, i) -> g.mul(y.square().neg().add(1)), x);
    }

    static Tensor sigmoid(Tensor x) {
        Tensor y = Unary.SIGMOID.apply(x);
        return record(Op.SIGMOID, y, (g, i) -> GradientTape.isRecording() ? g.mul(y.mul(y.neg().add(1))) : Kernels.sigmoidBackward(g, y), x);
    }

    /** The backward is {@code g * step(x)}; when the backward itself is not recorded, one fused pass. */
    static Tensor relu(Tensor x) {
        return record(Op.RELU, Unary.RELU.apply(x), (g, i) -> GradientTape.isRecording() ? g.mul(Unary.STEP.apply(x)) : Unary.passWherePositive(g, x), x);
    }

    static Tensor abs(Tensor x) { return record(Op.ABS, Unary.ABS.apply(x), (g, i) -> g.mul(x.sign()), x); }

    /** {@code x^p}; the exponents that square, square-root and their inverses and the identity run on fast kernels. */
    static Tensor pow(Tensor x, double p) {
        return record(Op.POW, powKernel(x, p), (g, i) -> p == 0 ? g.mul(0) : p == 2 ? g.mul(x.mul(2)) : g.mul(x.pow(p - 1).mul(p)), x);
    }

    private static Tensor powKernel(Tensor x, double p) {
        if (p == 1) return Kernels.copy(x);
        if (p == 2) return Arith.apply('*', x, x, x.shape);
        if (p == 0.5) return Unary.SQRT.apply(x);
        if (p == -1) return Arith.apply('/', Tensor.scalar(x.dtype(), 1), x, x.shape);
        if (p == -0.5) return Arith.apply('/', Tensor.scalar(x.dtype(), 1), Unary.SQRT.apply(x), x.shape);
        return map(x, v -> Math.pow(v, p));
    }

    static Tensor erf(Tensor x) {
        return record(Op.ERF, map(x, Erf::value), (g, i) -> g.mul(x.square().neg().exp().mul(TWO_OVER_SQRT_PI)), x);
    }

    static Tensor softplus(Tensor x) {
        Tensor y = map(x, v -> Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))));
        return record(Op.SOFTPLUS, y, (g, i) -> g.mul(x.sigmoid()), x);
    }

    static Tensor add(Tensor a, Tensor b) { return record(Op.ADD, Kernels.arith("add", '+', a, b, Double::sum), (g, i) -> g, a, b); }

    /** {@code a + alpha b}: one fused loop when nothing records and the shapes agree, else the composite. */
    static Tensor addScaled(Tensor a, Tensor b, double alpha) {
        Kernels.sameDType("add", a, b);
        if (GradientTape.isRecording() || !java.util.Arrays.equals(a.shape, b.shape)) return add(a, b.mul(alpha));
        Tensor out = Tensor.alloc(a.dtype(), a.shape);
        Parallel.range(out.numel(), 1024, out.numel(), (from, to) -> {
            if (a.f != null) for (int i = from; i < to; i++) out.f[i] = a.f[i] + (float) alpha * b.f[i];
            else for (int i = from; i < to; i++) out.d[i] = a.d[i] + alpha * b.d[i];
        });
        return out;
    }

    static Tensor sub(Tensor a, Tensor b) {
        return record(Op.SUB, Kernels.arith("sub", '-', a, b, (u, v) -> u - v), (g, i) -> i == 0 ? g : g.neg(), a, b);
    }

    static Tensor mul(Tensor a, Tensor b) {
        return record(Op.MUL, Kernels.arith("mul", '*', a, b, (u, v) -> u * v), (g, i) -> i == 0 ? g.mul(b) : g.mul(a), a, b);
    }

    static Tensor div(Tensor a, Tensor b) {
        return record(Op.DIV, Kernels.arith("div", '/', a, b, (u, v) -> u / v),
                (g, i) -> i == 0 ? g.div(b) : g.mul(a).div(b.square()).neg(), a, b);
    }

    /** At ties each side gets half the gradient, as in PyTorch. */
    static Tensor maximum(Tensor a, Tensor b) {
        Tensor share = zip("maximum", a, b, (u, v) -> u > v ? 1 : u == v ? 0.5 : 0);
        return record(Op.MAXIMUM, zip("maximum", a, b, (u, v) -> u != u || v != v ? Double.NaN : Math.max(u, v)),
                (g, i) -> i == 0 ? g.mul(share) : g.mul(share.neg().add(1)), a, b);
    }

    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        Kernels.sameDType("where", a, b);
        int[] shape = Shape.broadcast("where", cond.shape, Shape.broadcast("where", a.shape, b.shape));
        Tensor c = Kernels.map(cond.to(a.dtype()).expand(shape).detach(), v -> v != 0 ? 1 : 0);
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

}
