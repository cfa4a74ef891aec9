package dev.tapegrad.autodiff.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Block expansion and block sums, both precisions, against per-element offset addressing (the reference they replace). */
class BroadcastKernelsTest {

    @Provide
    Arbitrary<int[]> shape() { return Arbitraries.integers().between(0, 4).array(int[].class).ofMinSize(0).ofMaxSize(4); }

    @Property
    void blockExpandAndSumMatchOffsetAddressing(@ForAll("shape") int[] s, @ForAll long seed) {
        Random r = new Random(seed);
        int drop = r.nextInt(s.length + 1);
        int[] small = java.util.Arrays.copyOfRange(s, drop, s.length);
        for (int i = 0; i < small.length; i++) if (r.nextInt(3) == 0) small[i] = 1;
        double[] x = values(r, size(small)), big = values(r, size(s));
        int[] fromSmall = Layout.offsets(s, Layout.broadcastStrides(small, s), 0);

        double[] expanded = new double[size(s)], reference = new double[size(s)];
        BroadcastKernelsF64.expand(x, small, expanded, s);
        for (int i = 0; i < reference.length; i++) reference[i] = x[fromSmall[i]];
        assertArrayEquals(reference, expanded, 0);
        float[] xf = floats(x), expandedF = new float[size(s)];
        BroadcastKernelsF32.expand(xf, small, expandedF, s);
        assertArrayEquals(floats(reference), expandedF, 0);

        int[] kept = Layout.padded(small, s.length);
        double[] expected = new double[size(kept)];
        int[] off = Layout.offsets(s, Layout.broadcastStrides(kept, s), 0);
        for (int i = 0; i < off.length; i++) expected[off[i]] += big[i];
        assertArrayEquals(expected, BroadcastKernelsF64.sum(big, s, kept), 1e-12);
        double[] expectedF = new double[size(kept)];
        float[] bigF = floats(big);
        for (int i = 0; i < off.length; i++) expectedF[off[i]] += bigF[i];
        assertArrayEquals(expectedF, BroadcastKernelsF32.sum(bigF, s, kept), 1e-12);
    }

    private static int size(int[] s) {
        int n = 1;
        for (int d : s) n *= d;
        return n;
    }

    private static double[] values(Random r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = 2 * r.nextDouble() - 1;
        return v;
    }

    private static float[] floats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }
}
