package dev.tapegrad.autodiff;

import static dev.tapegrad.autodiff.Checks.firstAndSecond;

import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Movement and indexing primitives, and the composites built on them. */
class MovementGradientProperties {

    @Provide
    Arbitrary<int[]> shape() { return Gen.shapes(1, 3, 0, 4); }

    @Property @GradientProperty(Op.RESHAPE)
    void reshapeSqueezeFlatten(@ForAll("shape") int[] s, @ForAll long seed) {
        Tensor x = Gen.uniform(new Random(seed), -2, 2, s);
        int[] reversed = new int[s.length];
        for (int i = 0; i < s.length; i++) reversed[i] = s[s.length - 1 - i];
        firstAndSecond("reshape", seed, a -> a[0].reshape(reversed).mul(a[0].reshape(reversed)), x);
        firstAndSecond("unsqueeze+flatten", seed, a -> a[0].unsqueeze(0).unsqueeze(-1).squeeze().flatten().square(), x);
    }

    @Property @GradientProperty(Op.PERMUTE)
    void permuteTranspose(@ForAll("shape") int[] s, @ForAll long seed) {
        Random r = new Random(seed);
        Tensor x = Gen.uniform(r, -2, 2, s);
        int[] p = Gen.permutation(r, s.length);
        firstAndSecond("permute", seed, a -> a[0].permute(p).square(), x);
        firstAndSecond("transpose", seed, a -> a[0].transpose(0, -1).square(), x);
    }

    @Property @GradientProperty(Op.EXPAND)
    void expand(@ForAll("shape") int[] s, @ForAll long seed) {
        Random r = new Random(seed);
        int[] small = s.clone();
        for (int i = 0; i < small.length; i++) if (r.nextBoolean()) small[i] = 1;
        int[] big = new int[s.length + 1];
        big[0] = 2;
        System.arraycopy(s, 0, big, 1, s.length);
        firstAndSecond("expand", seed, a -> a[0].expand(big).square(), Gen.uniform(r, -2, 2, small));
    }

    @Property @GradientProperty(Op.SLICE)
    void slice(@ForAll("shape") int[] s, @ForAll long seed) {
        Random r = new Random(seed);
        int axis = r.nextInt(s.length), from = r.nextInt(s[axis] + 1), to = from + r.nextInt(s[axis] - from + 1);
        firstAndSecond("slice", seed, a -> a[0].slice(axis, from, to).square(), Gen.uniform(r, -2, 2, s));
    }

    @Property @GradientProperty(Op.PAD)
    void pad(@ForAll("shape") int[] s, @ForAll long seed) {
        Random r = new Random(seed);
        int[] pads = new int[2 * (1 + r.nextInt(s.length))];
        for (int i = 0; i < pads.length; i++) pads[i] = r.nextInt(3);
        firstAndSecond("pad", seed, a -> a[0].pad(1.5, pads).square(), Gen.uniform(r, -2, 2, s));
    }

    @Property @GradientProperty(Op.CAT)
    void catAndStack(@ForAll("shape") int[] s, @ForAll long seed) {
        Random r = new Random(seed);
        int axis = r.nextInt(s.length);
        Tensor a = Gen.uniform(r, -2, 2, s), b = Gen.uniform(r, -2, 2, Shape.with(s, axis, r.nextInt(4)));
        firstAndSecond("cat", seed, x -> Tensor.cat(axis, x[0], x[1], x[0]).square(), a, b);
        Tensor c = Gen.uniform(r, -2, 2, s);
        firstAndSecond("stack", seed, x -> Tensor.stack(-1, x[0], x[1]).square(), a, c);
    }

    @Provide
    Arbitrary<int[]> nonEmpty() { return Gen.shapes(1, 3, 1, 4); }

    @Property @GradientProperty(Op.GATHER)
    void gatherAndIndexSelect(@ForAll("nonEmpty") int[] s, @ForAll long seed) {
        Random r = new Random(seed);
        int axis = r.nextInt(s.length);
        int[] is = Gen.indexShape(r, s, axis);
        Tensor index = Gen.indices(r, s[axis], is);
        Tensor x = Gen.uniform(r, -2, 2, s);
        firstAndSecond("gather", seed, a -> a[0].gather(axis, index).square(), x);
        int[] picks = java.util.Arrays.stream(Gen.indices(r, s[axis], 5).toDoubleArray()).mapToInt(v -> (int) v).toArray();
        firstAndSecond("indexSelect", seed, a -> a[0].indexSelect(axis, picks).square(), x);
    }

    @Property @GradientProperty(Op.SCATTER_ADD)
    void scatterAdd(@ForAll("nonEmpty") int[] s, @ForAll long seed) {
        Random r = new Random(seed);
        int axis = r.nextInt(s.length);
        int[] is = Gen.indexShape(r, s, axis);
        Tensor index = Gen.indices(r, s[axis], is);
        firstAndSecond("scatterAdd", seed, a -> a[0].scatterAdd(axis, index, a[1]).square(),
                Gen.uniform(r, -2, 2, s), Gen.uniform(r, -2, 2, is));
    }
}
