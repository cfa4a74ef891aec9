package dev.tapegrad.autodiff;

import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** Test data: shapes from jqwik, values from a seeded {@link Random} (the seed is reported on failure). */
final class Gen {
    private Gen() {}

    /** Shapes of rank 0..3 with dimensions 0..4. */
    static Arbitrary<int[]> shapes() { return shapes(0, 3, 0, 4); }

    static Arbitrary<int[]> shapes(int minRank, int maxRank, int minDim, int maxDim) {
        return Arbitraries.integers().between(minDim, maxDim).array(int[].class).ofMinSize(minRank).ofMaxSize(maxRank);
    }

    /** FLOAT64 values uniform in [lo, hi). */
    static Tensor uniform(Random r, double lo, double hi, int... shape) {
        double[] v = new double[Shape.size(shape)];
        for (int i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * r.nextDouble();
        return Tensor.of(v, shape).reshape(shape);
    }

    /** FLOAT64 values with magnitude in [lo, hi) and a random sign: away from kinks at 0. */
    static Tensor awayFromZero(Random r, double lo, double hi, int... shape) {
        double[] v = new double[Shape.size(shape)];
        for (int i = 0; i < v.length; i++) v[i] = (r.nextBoolean() ? 1 : -1) * (lo + (hi - lo) * r.nextDouble());
        return Tensor.of(v, shape).reshape(shape);
    }

    /** A shape that broadcasts to {@code s}: some leading axes dropped, some dimensions set to 1. */
    static int[] broadcastableTo(Random r, int[] s) {
        int drop = r.nextInt(s.length + 1);
        int[] b = java.util.Arrays.copyOfRange(s, drop, s.length);
        for (int i = 0; i < b.length; i++) if (r.nextInt(3) == 0) b[i] = 1;
        return b;
    }

    /** Whether all values are at least {@code gap} apart (no ties for max-like operations). */
    static boolean distinct(double gap, Tensor... ts) {
        java.util.List<Double> all = new java.util.ArrayList<>();
        for (Tensor t : ts) for (double v : t.toDoubleArray()) all.add(v);
        java.util.Collections.sort(all);
        for (int i = 1; i < all.size(); i++) if (all.get(i) - all.get(i - 1) < gap) return false;
        return true;
    }

    static int[] permutation(Random r, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1), t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** A shape for a gather/scatter index into {@code s} along {@code axis}: 0..5 along it, 1..s[d] elsewhere. */
    static int[] indexShape(Random r, int[] s, int axis) {
        int[] is = s.clone();
        for (int i = 0; i < is.length; i++) is[i] = i == axis ? r.nextInt(6) : 1 + r.nextInt(s[i]);
        return is;
    }

    /** An index tensor of {@code shape} with values in {@code [0, bound)}. */
    static Tensor indices(Random r, int bound, int... shape) {
        double[] v = new double[Shape.size(shape)];
        for (int i = 0; i < v.length; i++) v[i] = r.nextInt(bound);
        return Tensor.of(v, shape).reshape(shape);
    }
}
