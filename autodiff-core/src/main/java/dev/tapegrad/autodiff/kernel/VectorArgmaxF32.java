package dev.tapegrad.autodiff.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/** The running arg-max of {@code ArgmaxKernelsF32} on the Vector API, a vector of maxima and one of their positions; and its 2 x 2 windows. */
final class VectorArgmaxF32 {
    private VectorArgmaxF32() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Positions: {@code int} lanes, as many as {@link #S} has. */
    private static final VectorSpecies<Integer> IS = VectorSpecies.of(int.class, VectorShape.forBitSize(S.length() * Integer.SIZE));

    private static final int W = S.length(), H = W / 2;
    /** Lane {@code i} takes lane {@code i + 1}: a window's right tap under its left one. */
    private static final VectorShuffle<Float> NEXT = VectorShuffle.fromOp(S, i -> (i + 1) % W);
    /** Lane {@code i < H} takes lane {@code 2 i}, where the {@code i}-th window's result is. */
    private static final VectorShuffle<Float> EVENS = VectorShuffle.fromOp(S, i -> 2 * i % W);
    private static final VectorShuffle<Integer> EVEN_INTS = VectorShuffle.fromOp(IS, i -> 2 * i % W);
    private static final VectorMask<Float> HALF = S.indexInRange(0, H);
    private static final IntVector LANES = IntVector.zero(IS).addIndex(1);

    /**
     * {@code ArgmaxKernelsF32.windowPairs} for planes {@code p0..p1}: {@code H} windows at a time from one vector of each
     * of their two input rows. In the even lanes, each window's left tap meets its right one (the vector moved down by one
     * lane), then the top row's winner the bottom row's; ties keep the earlier tap, so this is the scalar loop's first
     * maximum. The results, in the even lanes, are gathered to the first {@code H} and stored under a mask.
     */
    static void pairs(float[] x, int p0, int p1, int h, int w, float[] values, int[] offsets) {
        int oh = h / 2, ow = w / 2;
        if (ow == 0) return;
        int last = (ow - 1) / H * H;   // the first window of a row's last vector
        VectorMask<Float> tail = S.indexInRange(0, ow - last);
        for (int p = p0; p < p1; p++)
            for (int oy = 0, base = p * h * w; oy < oh; oy++) {
                int at = (p * oh + oy) * ow, top = 2 * oy * w;
                for (int ox = 0; ox < ow; ox += H) {
                    int i = base + top + 2 * ox;
                    if (i + w + W > x.length) {   // the bottom row's vector would read past the end
                        for (int o = ox; o < ow; o++) ArgmaxKernelsF32.pair(x, base, top + 2 * o, w, values, offsets, at + o);
                        break;
                    }
                    FloatVector a = FloatVector.fromArray(S, x, i), b = FloatVector.fromArray(S, x, i + w);
                    FloatVector ar = a.rearrange(NEXT), br = b.rearrange(NEXT);
                    VectorMask<Float> right = takes(ar, a), bottomRight = takes(br, b);
                    FloatVector upper = a.blend(ar, right), lower = b.blend(br, bottomRight);
                    VectorMask<Float> down = takes(lower, upper), keep = ox < last ? HALF : tail;
                    IntVector left = LANES.add(top + 2 * ox);
                    IntVector k = left.add(1, right.cast(IS)).blend(left.add(w).add(1, bottomRight.cast(IS)), down.cast(IS));
                    FloatVector m = upper.blend(lower, down).rearrange(EVENS);
                    k = k.rearrange(EVEN_INTS);
                    if (ox + W <= ow) {   // lanes H.. land in this row, before windows that later vectors write
                        m.intoArray(values, at + ox);
                        k.intoArray(offsets, at + ox);
                    } else {
                        m.intoArray(values, at + ox, keep);
                        k.intoArray(offsets, at + ox, keep.cast(IS));
                    }
                }
            }
    }

    /** Where {@code v} replaces the running maximum {@code m}: greater, or NaN where {@code m} is not. */
    private static VectorMask<Float> takes(FloatVector v, FloatVector m) {
        return v.compare(VectorOperators.GT, m).or(v.test(VectorOperators.IS_NAN).andNot(m.test(VectorOperators.IS_NAN)));
    }

    /** Over {@code [outer, n, inner]}, rows {@code o0..o1}, {@code x} holding them from {@code xo}: as the scalar loop, whole vectors at a time. */
    static void argmax(float[] x, int xo, float[] values, int[] best, int o0, int o1, int n, int inner) {
        float[] m = new float[inner];
        int w = S.length(), bound = S.loopBound(inner);
        for (int o = o0; o < o1; o++) {
            int base = xo + (o - o0) * n * inner, out = o * inner;
            System.arraycopy(x, base, m, 0, inner);
            java.util.Arrays.fill(best, out, out + inner, 0);
            for (int k = 1; k < n; k++) {
                int row = base + k * inner, i = 0;
                for (; i < bound; i += w) {
                    FloatVector v = FloatVector.fromArray(S, x, row + i), mv = FloatVector.fromArray(S, m, i);
                    VectorMask<Float> take = takes(v, mv);
                    mv.blend(v, take).intoArray(m, i);
                    IntVector.fromArray(IS, best, out + i).blend(k, take.cast(IS)).intoArray(best, out + i);
                }
                for (; i < inner; i++) {
                    float v = x[row + i];
                    if (ArgmaxKernelsF32.takes(v, m[i])) { m[i] = v; best[out + i] = k; }
                }
            }
            if (values != null) System.arraycopy(m, 0, values, out, inner);
        }
    }
}
