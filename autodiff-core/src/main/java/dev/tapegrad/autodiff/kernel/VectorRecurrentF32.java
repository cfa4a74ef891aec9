package dev.tapegrad.autodiff.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The arithmetic passes of {@link RecurrentKernelsF32}'s LSTM cell on whole vectors: each returns how far it got, and the
 * caller's scalar loop, the same formulas in the same order, takes the rest, so both give the same values. (The cell's
 * sigmoids and tanhs are {@link VectorUnaryF32}'s loops.) C2 left the scalar loops unvectorised: the backward pass took
 * 9.1 ns per hidden unit on an AMD EPYC Zen 4.
 */
final class VectorRecurrentF32 {
    private VectorRecurrentF32() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int W = S.length();

    /** {@code out[o..o+n) = a[ao..) + b[bo..)}, whole vectors; returns the count done. */
    static int sum(float[] a, int ao, float[] b, int bo, float[] out, int o, int n) {
        int j = 0;
        for (int end = S.loopBound(n); j < end; j += W)
            FloatVector.fromArray(S, a, ao + j).add(FloatVector.fromArray(S, b, bo + j)).intoArray(out, o + j);
        return j;
    }

    /** The cell state {@code c' = f c + i g} of one row into {@code out[oc..]} and {@code acts[a + 4h..]}; returns the units done. */
    static int state(float[] acts, int a, float[] c, int s, float[] out, int oc, int h) {
        int j = 0;
        for (int end = S.loopBound(h); j < end; j += W) {
            FloatVector next = FloatVector.fromArray(S, acts, a + h + j).mul(FloatVector.fromArray(S, c, s + j))
                    .add(FloatVector.fromArray(S, acts, a + j).mul(FloatVector.fromArray(S, acts, a + 2 * h + j)));
            next.intoArray(out, oc + j);
            next.intoArray(acts, a + 4 * h + j);
        }
        return j;
    }

    /** {@code out[o..o+n) = a[ao..) b[bo..)}, whole vectors; returns the count done. */
    static int product(float[] a, int ao, float[] b, int bo, float[] out, int o, int n) {
        int j = 0;
        for (int end = S.loopBound(n); j < end; j += W)
            FloatVector.fromArray(S, a, ao + j).mul(FloatVector.fromArray(S, b, bo + j)).intoArray(out, o + j);
        return j;
    }

    /** One row of {@link RecurrentKernelsF32#cellBackward} (its offsets as there); returns the units done. */
    static int backward(float[] g, int oh, int oc, float[] dh, float[] dc, int r, boolean carry, float[] acts, int a, float[] c, int s,
                        float[] dGates, int z, int h) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int j = 0;
        for (int end = S.loopBound(h); j < end; j += W) {
            FloatVector i = FloatVector.fromArray(S, acts, a + j), f = FloatVector.fromArray(S, acts, a + h + j);
            FloatVector cell = FloatVector.fromArray(S, acts, a + 2 * h + j), out = FloatVector.fromArray(S, acts, a + 3 * h + j);
            FloatVector t = FloatVector.fromArray(S, acts, a + 4 * h + j), gh = FloatVector.fromArray(S, g, oh + j), gc = FloatVector.fromArray(S, g, oc + j);
            if (carry) {
                gh = gh.add(FloatVector.fromArray(S, dh, r + j));
                gc = gc.add(FloatVector.fromArray(S, dc, r + j));
            }
            FloatVector d = gc.add(gh.mul(out).mul(one.sub(t.mul(t))));
            d.mul(cell).mul(i.mul(one.sub(i))).intoArray(dGates, z + j);
            d.mul(FloatVector.fromArray(S, c, s + j)).mul(f.mul(one.sub(f))).intoArray(dGates, z + h + j);
            d.mul(i).mul(one.sub(cell.mul(cell))).intoArray(dGates, z + 2 * h + j);
            gh.mul(t).mul(out.mul(one.sub(out))).intoArray(dGates, z + 3 * h + j);
            d.mul(f).intoArray(dc, r + j);
        }
        return j;
    }
}
