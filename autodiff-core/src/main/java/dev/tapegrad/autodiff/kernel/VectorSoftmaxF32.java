package dev.tapegrad.autodiff.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * One softmax row {@code [o, end)} in vector lanes ({@link SoftmaxKernelsF32}'s formulas): the maximum, {@code exp(x - m)}
 * with its sum in the same pass, the division; and the backward's {@code sum(g y)} and {@code y (g - sum)}. The sums run
 * lane by lane and then across the lanes, so they round differently from a left-to-right loop (by a few units in the
 * last place of the sum). The last {@code (end - o) mod W} values take the scalar kernels.
 */
final class VectorSoftmaxF32 {
    private VectorSoftmaxF32() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int W = S.length();

    static void forwardRow(float[] x, float[] y, int o, int end, boolean safe) {
        int vend = o + S.loopBound(end - o), i = o;
        FloatVector mv = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (; i < vend; i += W) mv = mv.max(FloatVector.fromArray(S, x, i));
        float m = mv.reduceLanes(VectorOperators.MAX);
        for (; i < end; i++) m = Math.max(m, x[i]);
        if (Float.isInfinite(m)) m = 0;
        FloatVector zv = FloatVector.zero(S);
        for (i = o; i < vend; i += W) {
            FloatVector e = VectorUnaryF32.expWithZeros(FloatVector.fromArray(S, x, i).sub(m));
            e.intoArray(y, i);
            zv = zv.add(e);
        }
        for (; i < end; i++) y[i] = x[i] - m;
        ScalarUnaryF32.apply(UnaryFunction.EXP, y, y, vend, end);
        float z = zv.reduceLanes(VectorOperators.ADD);
        for (i = vend; i < end; i++) z += y[i];
        if (safe && z == 0) z = 1;
        for (i = o; i < vend; i += W) FloatVector.fromArray(S, y, i).div(z).intoArray(y, i);
        for (; i < end; i++) y[i] /= z;
    }

    /** The backward of the row {@code g[o..end)} into {@code dx} at the same offsets, its softmax {@code y} from {@code y[yo..]}. */
    static void backwardRow(float[] g, float[] y, int yo, float[] dx, int o, int end) {
        int vend = o + S.loopBound(end - o), i = o, shift = yo - o;
        FloatVector dv = FloatVector.zero(S);
        for (; i < vend; i += W) dv = FloatVector.fromArray(S, g, i).fma(FloatVector.fromArray(S, y, i + shift), dv);
        float d = dv.reduceLanes(VectorOperators.ADD);
        for (; i < end; i++) d += g[i] * y[i + shift];
        for (i = o; i < vend; i += W) FloatVector.fromArray(S, y, i + shift).mul(FloatVector.fromArray(S, g, i).sub(d)).intoArray(dx, i);
        for (; i < end; i++) dx[i] = y[i + shift] * (g[i] - d);
    }
}
