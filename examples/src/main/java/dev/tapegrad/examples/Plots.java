package dev.tapegrad.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts of the examples' results (XChart, headless). */
final class Plots {
    private Plots() {}

    /** Loss and accuracy per epoch, training and validation, as {@code <dir>/history.png}. */
    static void history(dev.tapegrad.nn.train.History h, String title, Path dir) throws IOException {
        Images.ensureDir(dir);
        double[] epochs = IntStream.rangeClosed(1, h.epochs().size()).mapToDouble(i -> i).toArray();
        XYChart loss = new XYChartBuilder().width(800).height(500).title(title + ": loss per epoch").xAxisTitle("epoch").yAxisTitle("loss").build();
        XYChart acc = new XYChartBuilder().width(800).height(500).title(title + ": accuracy per epoch").xAxisTitle("epoch").yAxisTitle("accuracy").build();
        for (String key : h.last().keySet()) {
            if (key.endsWith("loss")) loss.addSeries(key, epochs, h.get(key));
            if (key.endsWith("accuracy")) acc.addSeries(key, epochs, h.get(key));
        }
        BitmapEncoder.saveBitmap(loss, dir.resolve("loss.png").toString(), BitmapEncoder.BitmapFormat.PNG);
        if (!acc.getSeriesMap().isEmpty()) BitmapEncoder.saveBitmap(acc, dir.resolve("accuracy.png").toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    static void curveFit(CurveFit.Result r, Path dir) throws IOException {
        Images.ensureDir(dir);
        XYChart fit = new XYChartBuilder().width(800).height(500).title("curve-fit: cubic fitted by gradient descent")
                .xAxisTitle("x").yAxisTitle("y").build();
        fit.addSeries("samples", r.x(), r.y()).setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        double[] grid = IntStream.rangeClosed(0, 200).mapToDouble(i -> -1 + i / 100.0).toArray();
        fit.addSeries("fitted", grid, IntStream.rangeClosed(0, 200).mapToDouble(i -> CurveFit.polynomial(r.coefficients(), grid[i])).toArray())
                .setMarker(SeriesMarkers.NONE);
        fit.addSeries("true", grid, IntStream.rangeClosed(0, 200).mapToDouble(i -> CurveFit.polynomial(CurveFit.TRUE_COEFFICIENTS, grid[i])).toArray())
                .setMarker(SeriesMarkers.NONE);
        BitmapEncoder.saveBitmap(fit, dir.resolve("fit.png").toString(), BitmapEncoder.BitmapFormat.PNG);

        XYChart loss = new XYChartBuilder().width(800).height(500).title("curve-fit: training loss").xAxisTitle("step")
                .yAxisTitle("mean squared error").build();
        loss.getStyler().setYAxisLogarithmic(true);
        loss.addSeries("mse", IntStream.range(0, r.losses().size()).mapToDouble(i -> i).toArray(),
                r.losses().stream().mapToDouble(Double::doubleValue).toArray()).setMarker(SeriesMarkers.NONE);
        BitmapEncoder.saveBitmap(loss, dir.resolve("loss.png").toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** A loss per training step (raw) with evaluation points {@code (step, loss)}, as {@code file}. */
    static void trainingCurve(String title, double[] perStep, java.util.List<double[]> evaluations, String yTitle, Path file) throws IOException {
        Images.ensureDir(file.getParent());
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle("step").yAxisTitle(yTitle).build();
        chart.addSeries("training batch", IntStream.rangeClosed(1, perStep.length).mapToDouble(i -> i).toArray(), perStep).setMarker(SeriesMarkers.NONE);
        if (!evaluations.isEmpty())
            chart.addSeries("validation", evaluations.stream().mapToDouble(e -> e[0]).toArray(), evaluations.stream().mapToDouble(e -> e[1]).toArray());
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** Named curves over a common x axis (e.g. a forecast against the truth), as {@code file}. */
    static void curves(String title, String xTitle, String yTitle, double[] x, java.util.Map<String, double[]> ys, Path file) throws IOException {
        Images.ensureDir(file.getParent());
        XYChart chart = new XYChartBuilder().width(1000).height(500).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        ys.forEach((name, y) -> chart.addSeries(name, x, y).setMarker(SeriesMarkers.NONE));
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * Per-iteration losses, each series as the mean of consecutive windows (about 400 points per series),
     * as one chart in {@code file}. A series recorded on fewer iterations (a discriminator skipped on some)
     * is spread over the same iteration range as the longest.
     */
    static void lossCurves(java.util.Map<String, java.util.List<Double>> losses, String title, Path file) throws IOException {
        Images.ensureDir(file.toAbsolutePath().getParent());
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title + ": training losses").xAxisTitle("iteration").yAxisTitle("loss").build();
        int longest = losses.values().stream().mapToInt(java.util.List::size).max().orElse(1);
        for (var e : losses.entrySet()) {
            double[] v = e.getValue().stream().mapToDouble(Double::doubleValue).toArray();
            int window = Math.max(1, v.length / 400), points = Math.max(1, v.length / window);
            double[] x = new double[points], y = new double[points];
            for (int p = 0; p < points; p++) {
                int from = p * window, to = p == points - 1 ? v.length : from + window;
                for (int i = from; i < to; i++) y[p] += v[i] / (to - from);
                x[p] = (from + to - 1) / 2.0 * longest / v.length;
            }
            chart.addSeries(e.getKey(), x, y).setMarker(SeriesMarkers.NONE);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
