package dev.tapegrad.autodiff;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** The FLOAT32 running arg-max of {@link Reductions} on the Vector API (a vector of maxima and one of their positions). */
final class VectorArgmax {
    private VectorArgmax() {}

    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;

    /** Whether the float and int species have the same lane count (true on every x86 and ARM shape). */
    static final boolean USABLE = FS.length() == IS.length();

    /** Over {@code [outer, n, inner]}, rows {@code o0..o1}: as {@link Reductions}' scalar loop, whole vectors at a time. */
    static void argmax(float[] x, float[] values, int[] best, int o0, int o1, int n, int inner) {
        float[] m = new float[inner];
        int w = FS.length(), bound = FS.loopBound(inner);
        for (int o = o0; o < o1; o++) {
            int base = o * n * inner, out = o * inner;
            System.arraycopy(x, base, m, 0, inner);
            java.util.Arrays.fill(best, out, out + inner, 0);
            for (int k = 1; k < n; k++) {
                int row = base + k * inner, i = 0;
                for (; i < bound; i += w) {
                    FloatVector v = FloatVector.fromArray(FS, x, row + i), mv = FloatVector.fromArray(FS, m, i);
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
