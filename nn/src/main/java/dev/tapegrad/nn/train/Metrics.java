package dev.tapegrad.nn.train;

import dev.tapegrad.autodiff.Shape;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.autodiff.kernel.Settings;
import java.util.Objects;

/** Classification metrics on logits (or probabilities) {@code [N, C]} and integer labels. */
public final class Metrics {
    private Metrics() {}

    /** Class indices held as integral values in a tensor {@code [N]}. */
    public static int[] labels(Tensor t) {
        try {
            return Objects.requireNonNull(t, "Metrics.labels: t is null").toIntArray();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Metrics.labels: labels must hold integers: " + e.getMessage(), e);
        }
    }

    /**
     * Fraction of rows whose label is ranked among the top {@code k}: fewer than {@code k} scores are larger, or
     * equal at a lower index. A row with a NaN score never counts (NaN ranks first, as in {@code argmax}, so a
     * diverged model scores 0, not 1).
     */
    public static double topKAccuracy(Tensor scores, int[] labels, int k) {
        int n = check("topKAccuracy", scores, labels), c = scores.size(1);
        if (n == 0) return Double.NaN;
        double[] s = scores.toDoubleArray();
        int hits = 0;
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= c)
                throw new IllegalArgumentException("topKAccuracy: label " + labels[i] + " at row " + i + " is outside 0.." + (c - 1));
            double own = s[i * c + labels[i]];
            int larger = 0;
            boolean nan = false;
            for (int j = 0; j < c; j++) {
                nan |= Double.isNaN(s[i * c + j]);
                if (s[i * c + j] > own || (s[i * c + j] == own && j < labels[i])) larger++;
            }
            if (!nan && larger < k) hits++;
        }
        return (double) hits / n;
    }

    /**
     * {@code m[true][predicted]} counts over {@code classes} classes, prediction = arg-max. {@code classes} must be at
     * least the width of {@code scores} (every prediction is then a class), and its square no more than one tensor may hold ({@link Settings#MAX_ELEMENTS}).
     */
    public static long[][] confusionMatrix(Tensor scores, int[] labels, int classes) {
        int n = check("confusionMatrix", scores, labels);
        if (classes <= 0) throw new IllegalArgumentException("confusionMatrix: classes " + classes + " must be positive");
        if (classes < scores.size(1))
            throw new IllegalArgumentException("confusionMatrix: " + classes + " classes, fewer than the " + scores.size(1) + " columns of scores " + Shape.str(scores.shape()));
        if ((long) classes * classes > Settings.MAX_ELEMENTS)
            throw new IllegalArgumentException("confusionMatrix: " + classes + " classes need " + (long) classes * classes + " counts, more than the "
                    + Settings.MAX_ELEMENTS + " one tensor may hold");
        for (int i = 0; i < n; i++)
            if (labels[i] < 0 || labels[i] >= classes) throw new IllegalArgumentException("confusionMatrix: label " + labels[i] + " outside 0.." + (classes - 1));
        long[][] m = new long[classes][classes];
        int[] pred = labels(scores.argmax(1));
        for (int i = 0; i < n; i++) m[labels[i]][pred[i]]++;
        return m;
    }

    /** The matrix (square) as aligned text, rows = true class, columns = predicted. */
    public static String format(long[][] m) {
        Objects.requireNonNull(m, "Metrics.format: m is null");
        for (int i = 0; i < m.length; i++)
            if (Objects.requireNonNull(m[i], "Metrics.format: row " + i + " is null").length != m.length)
                throw new IllegalArgumentException("Metrics.format: row " + i + " has " + m[i].length + " counts, not " + m.length + " (the matrix must be square)");
        StringBuilder b = new StringBuilder("true\\pred");
        for (int j = 0; j < m.length; j++) b.append(String.format("%7d", j));
        for (int i = 0; i < m.length; i++) {
            b.append(String.format("%n%9d", i));
            for (long v : m[i]) b.append(String.format("%7d", v));
        }
        return b.toString();
    }

    private static int check(String op, Tensor scores, int[] labels) {
        Objects.requireNonNull(scores, () -> op + ": scores is null");
        Objects.requireNonNull(labels, () -> op + ": labels is null");
        if (scores.rank() != 2 || scores.size(0) != labels.length)
            throw new IllegalArgumentException(op + ": scores " + Shape.str(scores.shape()) + " do not match " + labels.length + " labels");
        return labels.length;
    }
}
