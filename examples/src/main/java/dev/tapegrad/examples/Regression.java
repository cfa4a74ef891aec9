package dev.tapegrad.examples;

import dev.tapegrad.autodiff.DType;
import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.Losses;
import dev.tapegrad.nn.Module;
import dev.tapegrad.optim.Optimizer;
import dev.tapegrad.optim.SGD;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Three regressions with {@code nn.Linear} and SGD, full batch: linear ({@code y = 2x + 1 + noise}),
 * logistic (two Gaussian classes in the plane, binary cross entropy on logits) and polynomial (a cubic
 * through the features x, x^2, x^3). Plots of data and fit for each.
 */
@Command(name = "regression", mixinStandardHelpOptions = true, description = "Linear, logistic and polynomial regression with plots of data and fit.")
final class Regression implements Callable<Integer> {
    @Option(names = "--steps", defaultValue = "500", description = "SGD steps per model (default ${DEFAULT-VALUE})")
    int steps;
    @Option(names = "--seed", defaultValue = "5", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--out", defaultValue = "out/regression", description = "folder for the plots (default ${DEFAULT-VALUE})")
    Path out;

    /** Full-batch training of {@code m} on {@code loss(m(x))}; returns the final loss. */
    double train(Module m, Optimizer opt, Tensor x, BiFunction<Tensor, Tensor, Tensor> loss, Tensor y) {
        double last = Double.NaN;
        for (int i = 0; i < steps; i++) {
            try (GradientTape tape = GradientTape.record()) {
                Tensor l = loss.apply(m.forward(x), y);
                last = l.item();
                opt.step(l.backward());
            }
        }
        return last;
    }

    record Results(double slope, double intercept, double linearMse, double logisticAccuracy, double polyMse) {}

    Results run(boolean plot) throws Exception {
        Random r = new Random(seed);
        int n = 100;
        // linear
        double[] xs = new double[n], ys = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = 4 * r.nextDouble() - 2;
            ys[i] = 2 * xs[i] + 1 + 0.3 * r.nextGaussian();
        }
        Tensor x = Tensor.of(xs, n, 1).to(DType.FLOAT32), y = Tensor.of(ys, n, 1).to(DType.FLOAT32);
        Linear lin = new Linear(1, 1, r);
        double linearMse = train(lin, new SGD(lin.parameters(), 0.1), x, Losses::mse, y);
        double slope = lin.weight.value().item(), intercept = lin.bias.value().item();
        // logistic
        double[] px = new double[2 * n], py = new double[2 * n];
        int[] cls = new int[2 * n];
        float[] feats = new float[4 * n], labels = new float[2 * n];
        for (int i = 0; i < 2 * n; i++) {
            cls[i] = i % 2;
            px[i] = (cls[i] == 1 ? 1.2 : -1.2) + r.nextGaussian();
            py[i] = (cls[i] == 1 ? 0.8 : -0.8) + r.nextGaussian();
            feats[2 * i] = (float) px[i];
            feats[2 * i + 1] = (float) py[i];
            labels[i] = cls[i];
        }
        Linear logit = new Linear(2, 1, r);
        Tensor f = Tensor.of(feats, 2 * n, 2), t = Tensor.of(labels, 2 * n, 1);
        train(logit, new SGD(logit.parameters(), 0.5), f, Losses::bceWithLogits, t);
        double accuracy = logit.forward(f).gt(0).eq(t).mean().item();
        // polynomial: cubic features
        double[] cy = new double[n];
        for (int i = 0; i < n; i++) cy[i] = 0.5 * Math.pow(xs[i], 3) - xs[i] * xs[i] - xs[i] + 2 + 0.3 * r.nextGaussian();
        Tensor cubic = Tensor.cat(1, x, x.square(), x.pow(3)), cyT = Tensor.of(cy, n, 1).to(DType.FLOAT32);
        Linear poly = new Linear(3, 1, r);
        double polyMse = train(poly, new SGD(poly.parameters(), 0.02, 0.9), cubic, Losses::mse, cyT);
        if (plot) {
            Images.ensureDir(out);
            double[] grid = java.util.stream.IntStream.rangeClosed(0, 100).mapToDouble(i -> -2 + i * 0.04).toArray();
            Tensor g = Tensor.of(grid, grid.length, 1).to(DType.FLOAT32);
            chart("linear regression: y = 2x + 1 + noise", xs, ys, grid, lin.forward(g).toDoubleArray(), out.resolve("linear.png"));
            chart("polynomial regression: a cubic through x, x^2, x^3", xs, cy, grid,
                    poly.forward(Tensor.cat(1, g, g.square(), g.pow(3))).toDoubleArray(), out.resolve("polynomial.png"));
            BufferedImage img = Images.heatMap((a, b) -> logit.forward(Tensor.of(new float[] {(float) a, (float) b}, 1, 2)).sigmoid().item(),
                    -4, 4, -4, 4, 0, 1, 400);
            Images.points(img, px, py, cls, -4, 4, -4, 4);
            Images.label(img, String.format("logistic regression: P(class 1), accuracy %.3f", accuracy));
            Images.png(img, out.resolve("logistic.png"));
        }
        return new Results(slope, intercept, linearMse, accuracy, polyMse);
    }

    private static void chart(String title, double[] x, double[] y, double[] gx, double[] gy, Path file) throws Exception {
        XYChart c = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle("x").yAxisTitle("y").build();
        c.addSeries("data", x, y).setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.addSeries("fit", gx, gy).setMarker(SeriesMarkers.NONE);
        BitmapEncoder.saveBitmap(c, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    @Override
    public Integer call() throws Exception {
        Results r = run(true);
        System.out.println("plots in " + out);
        System.out.printf("RESULT regression slope=%.4f intercept=%.4f linear_mse=%.4f logistic_accuracy=%.4f polynomial_mse=%.4f steps=%d%n",
                r.slope(), r.intercept(), r.linearMse(), r.logisticAccuracy(), r.polyMse(), steps);
        return 0;
    }
}
