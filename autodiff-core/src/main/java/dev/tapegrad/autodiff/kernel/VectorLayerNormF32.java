package dev.tapegrad.autodiff.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * One row of {@link LayerNormKernelsF32} in vector lanes, in double as the scalar rows: each step loads {@code L} values
 * (half a vector of floats, widened to a vector of doubles; in FLOAT64 a whole vector), the sums run lane by lane and the
 * lanes are then added in order, so they round differently from a left-to-right loop but depend only on {@code d}. The
 * weight and bias gradients' partial sums are the scalar rows' operations per element, so they come out the same. The last
 * {@code d mod L} values of a row take the scalar formulas.
 */
final class VectorLayerNormF32 {
    private VectorLayerNormF32() {}

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Values per step, and the species that loads them (the same as {@link #D} in FLOAT64, where the widening is no conversion). */
    static final int L = D.length();
    private static final VectorSpecies<Float> H = VectorSpecies.of(float.class, VectorShape.forBitSize(L * Float.SIZE));

    private static DoubleVector load(float[] a, int i) {
        return (DoubleVector) FloatVector.fromArray(H, a, i).castShape(D, 0);
    }

    private static void store(DoubleVector v, float[] a, int i) {
        ((FloatVector) v.castShape(H, 0)).intoArray(a, i);
    }

    /** The lanes of {@code v} added in order; {@code lanes} is scratch of {@link #L} values. */
    private static double sum(DoubleVector v, double[] lanes) {
        v.intoArray(lanes, 0);
        double s = 0;
        for (double x : lanes) s += x;
        return s;
    }

    /** Row {@code r} at {@code x[o..o+d)}: {@code z = (x - mean) rstd w + b}, keeping {@code mean[r]} and {@code rstd[r]}. */
    static void forwardRow(float[] x, float[] w, float[] b, float[] z, double[] mean, double[] rstd, int r, int o, int d, double eps, double[] lanes) {
        int vd = d - d % L, j = 0;
        DoubleVector acc = DoubleVector.zero(D);
        for (; j < vd; j += L) acc = acc.add(load(x, o + j));
        double s = sum(acc, lanes);
        for (; j < d; j++) s += x[o + j];
        double m = s / d;
        DoubleVector mv = DoubleVector.broadcast(D, m);
        acc = DoubleVector.zero(D);
        for (j = 0; j < vd; j += L) {
            DoubleVector c = load(x, o + j).sub(mv);
            acc = c.fma(c, acc);
        }
        double q = sum(acc, lanes);
        for (; j < d; j++) {
            double c = x[o + j] - m;
            q += c * c;
        }
        double inv = 1 / Math.sqrt(q / d + eps);
        mean[r] = m;
        rstd[r] = inv;
        DoubleVector iv = DoubleVector.broadcast(D, inv);
        for (j = 0; j < vd; j += L) {
            DoubleVector y = load(x, o + j).sub(mv).mul(iv);
            if (w != null) y = y.mul(load(w, j));
            if (b != null) y = y.add(load(b, j));
            store(y, z, o + j);
        }
        for (; j < d; j++) z[o + j] = (float) ((x[o + j] - m) * inv * (w == null ? 1 : w[j]) + (b == null ? 0 : b[j]));
    }

    /**
     * Row {@code r} at {@code o} of the backward: {@code dx = rstd (g w - mean(g w) - y mean(g w y))}, and where not null
     * {@code pw[p + j] += g y}, {@code pb[p + j] += g}.
     */
    static void backwardRow(float[] g, float[] x, float[] w, double m, double inv, float[] dx, double[] pw, double[] pb, int o, int p, int d,
                            double[] lanes) {
        int vd = d - d % L, j = 0;
        DoubleVector mv = DoubleVector.broadcast(D, m), iv = DoubleVector.broadcast(D, inv), sg = DoubleVector.zero(D), sgy = sg;
        for (; j < vd; j += L) {
            DoubleVector gv = load(g, o + j), y = load(x, o + j).sub(mv).mul(iv), gw = w == null ? gv : gv.mul(load(w, j));
            sg = sg.add(gw);
            sgy = gw.fma(y, sgy);
            if (pw != null) DoubleVector.fromArray(D, pw, p + j).add(gv.mul(y)).intoArray(pw, p + j);
            if (pb != null) DoubleVector.fromArray(D, pb, p + j).add(gv).intoArray(pb, p + j);
        }
        double sgs = sum(sg, lanes), sgys = sum(sgy, lanes);
        for (; j < d; j++) {
            double y = (x[o + j] - m) * inv, gw = w == null ? g[o + j] : (double) g[o + j] * w[j];
            sgs += gw;
            sgys += gw * y;
            if (pw != null) pw[p + j] += g[o + j] * y;
            if (pb != null) pb[p + j] += g[o + j];
        }
        double mg = sgs / d, mgy = sgys / d;
        DoubleVector mgv = DoubleVector.broadcast(D, mg), mgyv = DoubleVector.broadcast(D, mgy);
        for (j = 0; j < vd; j += L) {
            DoubleVector gv = load(g, o + j), y = load(x, o + j).sub(mv).mul(iv), gw = w == null ? gv : gv.mul(load(w, j));
            store(gw.sub(mgv).sub(y.mul(mgyv)).mul(iv), dx, o + j);
        }
        for (; j < d; j++) {
            double y = (x[o + j] - m) * inv, gw = w == null ? g[o + j] : (double) g[o + j] * w[j];
            dx[o + j] = (float) (inv * (gw - mg - y * mgy));
        }
    }
}
