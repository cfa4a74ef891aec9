package dev.tapegrad.autodiff.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code AdamKernelsF32.step} on the Vector API: whole vectors, then the remainder through its scalar loop. The
 * lanes go through the scalar loop's operations in its order (each rounded, no fused multiply-add), so both
 * give the same bits.
 */
final class VectorAdamF32 {
    private VectorAdamF32() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int W = S.length();

    static void step(AdamKernelsF32.Rounded k, float[] p, float[] g, float[] m, float[] v, float[] vMax,
                     float[] pOut, float[] mOut, float[] vOut, float[] vMaxOut, int from, int to) {
        int i = from, end = from + S.loopBound(to - from);
        for (; i < end; i += W) {
            FloatVector pi = FloatVector.fromArray(S, p, i), gi = FloatVector.fromArray(S, g, i);
            if (k.coupled) gi = gi.add(pi.mul(k.l2));
            if (k.decoupled) pi = pi.mul(k.decay);
            FloatVector mi = FloatVector.fromArray(S, m, i).mul(k.b1).add(gi.mul(k.c1));
            FloatVector vi = FloatVector.fromArray(S, v, i).mul(k.b2).add(gi.mul(gi).mul(k.c2));
            mi.intoArray(mOut, i);
            vi.intoArray(vOut, i);
            if (vMax != null) {
                vi = FloatVector.fromArray(S, vMax, i).max(vi);
                vi.intoArray(vMaxOut, i);
            }
            pi.add(mi.div(k.bc1).div(vi.div(k.bc2).sqrt().add(k.eps)).mul(k.negativeLr)).intoArray(pOut, i);
        }
        AdamKernelsF32.scalar(k, p, g, m, v, vMax, pOut, mOut, vOut, vMaxOut, i, to);
    }
}
