package dev.tapegrad.autodiff;

import static dev.tapegrad.autodiff.Checks.firstAndSecond;

import java.util.Random;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;

/** First and second derivatives of every elementwise primitive, FLOAT64, random cotangent. */
class ElementwiseGradientProperties {

    @Provide
    Arbitrary<int[]> shape() { return Gen.shapes(); }

    private static void unary(String name, int[] s, long seed, double lo, double hi, UnaryOperator<Tensor> f) {
        firstAndSecond(name, seed, x -> f.apply(x[0]), Gen.uniform(new Random(seed), lo, hi, s));
    }

    @Property @GradientProperty(Op.NEG)
    void neg(@ForAll("shape") int[] s, @ForAll long seed) { unary("neg", s, seed, -3, 3, Tensor::neg); }

    @Property @GradientProperty(Op.EXP)
    void exp(@ForAll("shape") int[] s, @ForAll long seed) { unary("exp", s, seed, -3, 3, Tensor::exp); }

    @Property @GradientProperty(Op.LOG)
    void log(@ForAll("shape") int[] s, @ForAll long seed) { unary("log", s, seed, 0.2, 3, Tensor::log); }

    @Property @GradientProperty(Op.SIN)
    void sin(@ForAll("shape") int[] s, @ForAll long seed) { unary("sin", s, seed, -4, 4, Tensor::sin); }

    @Property @GradientProperty(Op.COS)
    void cos(@ForAll("shape") int[] s, @ForAll long seed) { unary("cos", s, seed, -4, 4, Tensor::cos); }

    @Property @GradientProperty(Op.TANH)
    void tanh(@ForAll("shape") int[] s, @ForAll long seed) { unary("tanh", s, seed, -3, 3, Tensor::tanh); }

    @Property @GradientProperty(Op.SIGMOID)
    void sigmoid(@ForAll("shape") int[] s, @ForAll long seed) { unary("sigmoid", s, seed, -6, 6, Tensor::sigmoid); }

    @Property @GradientProperty(Op.ERF)
    void erf(@ForAll("shape") int[] s, @ForAll long seed) { unary("erf", s, seed, -3, 3, Tensor::erf); }

    @Property @GradientProperty(Op.GELU)
    void gelu(@ForAll("shape") int[] s, @ForAll long seed) { unary("gelu", s, seed, -4, 4, Tensor::gelu); }

    @Property @GradientProperty(Op.SOFTPLUS)
    void softplus(@ForAll("shape") int[] s, @ForAll long seed) { unary("softplus", s, seed, -30, 30, Tensor::softplus); }

    @Property @GradientProperty(Op.LOG1P)
    void log1p(@ForAll("shape") int[] s, @ForAll long seed) { unary("log1p", s, seed, -0.7, 3, Tensor::log1p); }

    @Property @GradientProperty(Op.EXPM1)
    void expm1(@ForAll("shape") int[] s, @ForAll long seed) { unary("expm1", s, seed, -3, 3, Tensor::expm1); }

    @Property @GradientProperty(Op.RELU)
    void relu(@ForAll("shape") int[] s, @ForAll long seed) {
        firstAndSecond("relu", seed, x -> x[0].relu(), Gen.awayFromZero(new Random(seed), 0.01, 3, s));
    }

    @Property @GradientProperty(Op.LEAKY_RELU)
    void leakyRelu(@ForAll("shape") int[] s, @ForAll @DoubleRange(min = -0.5, max = 1.5) double slope, @ForAll long seed) {
        firstAndSecond("leakyRelu", seed, x -> x[0].leakyRelu(slope), Gen.awayFromZero(new Random(seed), 0.01, 3, s));
    }

    @Property @GradientProperty(Op.ABS)
    void abs(@ForAll("shape") int[] s, @ForAll long seed) {
        firstAndSecond("abs", seed, x -> x[0].abs(), Gen.awayFromZero(new Random(seed), 0.01, 3, s));
    }

    @Property @GradientProperty(Op.POW)
    void pow(@ForAll("shape") int[] s, @ForAll long seed, @ForAll("exponents") double p) {
        Random r = new Random(seed);
        boolean integral = p == Math.rint(p);
        Tensor x = integral ? Gen.awayFromZero(r, 0.3, 2, s) : Gen.uniform(r, 0.3, 2, s);
        firstAndSecond("pow " + p, seed, a -> a[0].pow(p), x);
    }

    @Provide
    Arbitrary<Double> exponents() { return Arbitraries.of(-2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 2.5, 3.0); }

    private static void binary(String name, int[] s, long seed, boolean awayFromZeroB, java.util.function.BinaryOperator<Tensor> f) {
        Random r = new Random(seed);
        int[] sb = Gen.broadcastableTo(r, s);
        boolean swap = r.nextBoolean();
        Tensor a = Gen.uniform(r, -2, 2, swap ? sb : s);
        Tensor b = awayFromZeroB ? Gen.awayFromZero(r, 0.5, 2, swap ? s : sb) : Gen.uniform(r, -2, 2, swap ? s : sb);
        firstAndSecond(name + " " + Shape.str(a.shape) + " " + Shape.str(b.shape), seed, x -> f.apply(x[0], x[1]), a, b);
    }

    @Property @GradientProperty(Op.ADD)
    void add(@ForAll("shape") int[] s, @ForAll long seed) { binary("add", s, seed, false, Tensor::add); }

    @Property @GradientProperty(Op.SUB)
    void sub(@ForAll("shape") int[] s, @ForAll long seed) { binary("sub", s, seed, false, Tensor::sub); }

    @Property @GradientProperty(Op.MUL)
    void mul(@ForAll("shape") int[] s, @ForAll long seed) { binary("mul", s, seed, false, Tensor::mul); }

    @Property @GradientProperty(Op.DIV)
    void div(@ForAll("shape") int[] s, @ForAll long seed) { binary("div", s, seed, true, Tensor::div); }

    @Property @GradientProperty(Op.MAXIMUM)
    void maximumAndMinimum(@ForAll("shape") int[] s, @ForAll long seed) {
        Random r = new Random(seed);
        Tensor a = Gen.uniform(r, -2, 2, s), b = Gen.uniform(r, -2, 2, Gen.broadcastableTo(r, s));
        Assume.that(Gen.distinct(1e-3, a, b));
        firstAndSecond("maximum", seed, x -> x[0].maximum(x[1]), a, b);
        firstAndSecond("minimum", seed, x -> x[0].minimum(x[1]), a, b);
    }

    @Property @GradientProperty(Op.WHERE)
    void whereClampLeakyRelu(@ForAll("shape") int[] s, @ForAll long seed) {
        Random r = new Random(seed);
        Tensor cond = Gen.indices(r, 2, Gen.broadcastableTo(r, s));
        Tensor a = Gen.uniform(r, -2, 2, Gen.broadcastableTo(r, s)), b = Gen.uniform(r, -2, 2, s);
        firstAndSecond("where", seed, x -> Tensor.where(cond, x[0], x[1]), a, b);
        Tensor c = Gen.awayFromZero(r, 0.01, 2, s);
        Assume.that(c.numel() == 0 || c.sub(0.5).abs().min().item() > 1e-3 && c.add(0.5).abs().min().item() > 1e-3);
        firstAndSecond("clamp", seed, x -> x[0].clamp(-0.5, 0.5), c);
        firstAndSecond("leakyRelu", seed, x -> x[0].leakyRelu(0.1), c);
    }
}
