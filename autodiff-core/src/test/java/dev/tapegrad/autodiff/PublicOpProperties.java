package dev.tapegrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every {@link OpTable} entry: FLOAT32 forward against FLOAT64, first and second derivatives against
 * central differences (FLOAT64, random cotangent) for the differentiable ones, and the 0-d and zero-size
 * cases for the entries that take any shape.
 */
class PublicOpProperties {

    @Provide
    Arbitrary<OpTable.Entry> entries() { return Arbitraries.of(OpTable.ENTRIES); }

    @Property(tries = 1500)
    void everyPublicOpAgreesAcrossDtypesAndHasExactGradients(@ForAll("entries") OpTable.Entry e, @ForAll long seed) {
        Random r = new Random(seed);
        int[] s = e.anyShape() ? shape(r, e.minRank()) : new int[0];
        check(e, e.inputs().make(r, s), seed);
    }

    @Example
    void zeroDimensionalAndZeroSizeInputs() {
        for (OpTable.Entry e : OpTable.ENTRIES) {
            if (!e.anyShape()) continue;
            for (int[] s : e.minRank() == 0 ? new int[][] {{}, {2, 0, 3}, {0}} : new int[][] {{2, 0, 3}, {2, 3, 0}}) {
                if (s.length < e.minRank()) continue;
                check(e, e.inputs().make(new Random(1), s), 1);
            }
        }
    }

    private static int[] shape(Random r, int minRank) {
        int[] s = new int[minRank + r.nextInt(4 - Math.min(minRank, 3))];
        for (int i = 0; i < s.length; i++) s[i] = r.nextInt(5);
        return s;
    }

    private static void check(OpTable.Entry e, Tensor[] x, long seed) {
        String what = e.signature() + " on " + shapes(x);
        Tensor y = e.f().apply(x);
        assertEquals(DType.FLOAT64, y.dtype(), what);
        Tensor[] x32 = new Tensor[x.length];
        for (int i = 0; i < x.length; i++) x32[i] = x[i].to(DType.FLOAT32);
        Tensor y32 = e.f().apply(x32);
        assertEquals(DType.FLOAT32, y32.dtype(), what + ": FLOAT32 inputs give a FLOAT32 result");
        assertArrayEquals(y.shape(), y32.shape(), what);
        double[] a = y.toDoubleArray(), b = y32.toDoubleArray();
        double scale = 1;
        for (double v : a) if (Double.isFinite(v)) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < a.length; i++) {
            if (Double.isNaN(a[i])) assertTrue(Double.isNaN(b[i]), what + ": FLOAT32 at " + i + " is " + b[i] + ", FLOAT64 NaN");
            else assertEquals(a[i], b[i], 2e-5 * scale, what + ": FLOAT32 against FLOAT64 at " + i);
        }
        if (!e.differentiable()) return;
        GradCheck.first(e.signature(), e.f(), seed, x).assertPassed();
        GradCheck.second(e.signature(), e.f(), seed, x).assertPassed();
    }

    private static String shapes(Tensor[] x) {
        StringBuilder b = new StringBuilder();
        for (Tensor t : x) b.append(b.length() == 0 ? "" : " ").append(Shape.str(t.shape()));
        return b.toString();
    }
}
