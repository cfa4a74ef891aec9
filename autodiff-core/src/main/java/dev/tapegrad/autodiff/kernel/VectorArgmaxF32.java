package dev.tapegrad.autodiff.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/** The running arg-max of {@code ArgmaxKernelsF32} on the Vector API: a vector of maxima and one of their positions. */
final class VectorArgmaxF32 {
    private VectorArgmaxF32() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Positions: {@code int} lanes, as many as {@link #S} has. */
    private static final VectorSpecies<Integer> IS = VectorSpecies.of(int.class, VectorShape.forBitSize(S.length() * Integer.SIZE));

    /** Over {@code [outer, n, inner]}, rows {@code o0..o1}: as the scalar loop, whole vectors at a time. */
    static void argmax(float[] x, float[] values, int[] best, int o0, int o1, int n, int inner) {
        float[] m = new float[inner];
        int w = S.length(), bound = S.loopBound(inner);
        for (int o = o0; o < o1; o++) {
            int base = o * n * inner, out = o * inner;
            System.arraycopy(x, base, m, 0, inner);
            java.util.Arrays.fill(best, out, out + inner, 0);
            for (int k = 1; k < n; k++) {
                int row = base + k * inner, i = 0;
                for (; i < bound; i += w) {
                    FloatVector v = FloatVector.fromArray(S, x, row + i), mv = FloatVector.fromArray(S, m, i);
                    VectorMask<Float> take = v.compare(VectorOperators.GT, mv).or(v.test(VectorOperators.IS_NAN).andNot(mv.test(VectorOperators.IS_NAN)));
                    mv.blend(v, take).intoArray(m, i);
                    IntVector.fromArray(IS, best, out + i).blend(k, take.cast(IS)).intoArray(best, out + i);
                }
                for (; i < inner; i++) {
                    float v = x[row + i];
                    if (v > m[i] || (v != v && m[i] == m[i])) { m[i] = v; best[out + i] = k; }
                }
            }
            if (values != null) System.arraycopy(m, 0, values, out, inner);
        }
    }
}
