package dev.tapegrad.autodiff;

import static dev.tapegrad.autodiff.Checks.firstAndSecond;

import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Reductions and the composites built on them (mean, var, logSumExp, logSoftmax, min), and the softmax primitive. */
class ReduceGradientProperties {

    @Provide
    Arbitrary<int[]> shape() { return Gen.shapes(1, 3, 1, 4); }

    @Property @GradientProperty(Op.SUM)
    void sumOverAxes(@ForAll("shape") int[] s, @ForAll long seed, @ForAll boolean keepDim) {
        Random r = new Random(seed);
        Tensor x = Gen.uniform(r, -2, 2, s);
        int[] axes = java.util.Arrays.stream(Gen.permutation(r, s.length)).limit(1 + r.nextInt(s.length)).toArray();
        firstAndSecond("sum " + java.util.Arrays.toString(axes), seed, a -> a[0].sum(axes, keepDim), x);
        firstAndSecond("sum", seed, a -> a[0].sum(), x);
        int axis = r.nextInt(s.length) - s.length;
        firstAndSecond("mean", seed, a -> a[0].mean(axis, keepDim), x);
        Assume.that(s[s.length + axis] > 1);
        firstAndSecond("var", seed, a -> a[0].var(axis, keepDim), x);
    }

    @Property @GradientProperty(Op.MAX)
    void maxMinAndLogSumExp(@ForAll("shape") int[] s, @ForAll long seed, @ForAll boolean keepDim) {
        Random r = new Random(seed);
        Tensor x = Gen.uniform(r, -2, 2, s);
        int axis = r.nextInt(s.length);
        firstAndSecond("logSumExp", seed, a -> a[0].logSumExp(axis, keepDim), x);
        firstAndSecond("softmax", seed, a -> a[0].softmax(axis), x);
        firstAndSecond("logSoftmax", seed, a -> a[0].logSoftmax(axis), x);
        Assume.that(Gen.distinct(1e-3, x));
        firstAndSecond("max", seed, a -> a[0].max(axis, keepDim), x);
        firstAndSecond("min", seed, a -> a[0].min(axis, keepDim), x);
        firstAndSecond("max all", seed, a -> a[0].max(), x);
    }

    /** The softmax over the last axis, and attention's safe softmax with some scores masked by {@code -inf} (the first row entirely). */
    @Property @GradientProperty(Op.SOFTMAX)
    void softmaxOverTheLastAxis(@ForAll("shape") int[] s, @ForAll long seed) {
        Random r = new Random(seed);
        Tensor x = Gen.uniform(r, -3, 3, s);
        firstAndSecond("softmax(-1)", seed, a -> a[0].softmax(-1), x);
        double[] m = new double[x.numel()];
        for (int i = 0; i < m.length; i++) m[i] = i < s[s.length - 1] || r.nextInt(4) == 0 ? Double.NEGATIVE_INFINITY : 0;
        Tensor mask = Tensor.of(m, s);
        firstAndSecond("maskedSoftmax", seed, a -> Attention.maskedSoftmax(a[0].add(mask)), x);
    }
}
