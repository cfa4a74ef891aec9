package dev.tapegrad.examples;

import dev.tapegrad.autodiff.DType;
import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.Losses;
import dev.tapegrad.nn.Sequential;
import dev.tapegrad.nn.Tanh;
import dev.tapegrad.optim.Adam;
import dev.tapegrad.optim.LrSchedule;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.Callable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The universal approximation theorem in practice: a 1-32-32-1 tanh MLP fitted (Adam, full batch, mean
 * squared error) to {@code f(x) = x^2 + x - sqrt(x)} on 200 points of [0, 2]; reports the largest error on
 * a 1,001-point grid and plots target and fit.
 */
@Command(name = "uat", mixinStandardHelpOptions = true, description = "Universal approximation of f(x) = x^2 + x - sqrt(x) on [0, 2] by an MLP.")
final class Uat implements Callable<Integer> {
    @Option(names = "--steps", defaultValue = "4000", description = "Adam steps (default ${DEFAULT-VALUE})")
    int steps;
    @Option(names = "--hidden", defaultValue = "32", description = "units per hidden layer (default ${DEFAULT-VALUE})")
    int hidden;
    @Option(names = "--seed", defaultValue = "1", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--out", defaultValue = "out/uat", description = "folder for the plot (default ${DEFAULT-VALUE})")
    Path out;

    static double f(double x) { return x * x + x - Math.sqrt(x); }

    record Fit(Sequential net, double trainMse, double maxError) {}

    Fit fit() {
        Random r = new Random(seed);
        Sequential net = new Sequential(new Linear(1, hidden, r), new Tanh(), new Linear(hidden, hidden, r), new Tanh(), new Linear(hidden, 1, r));
        Tensor x = Tensor.linspace(0, 2, 200).reshape(200, 1);
        Tensor y = Tensor.of(java.util.Arrays.stream(x.toDoubleArray()).map(Uat::f).toArray(), 200, 1).to(DType.FLOAT32);
        Adam opt = new Adam(net.parameters(), 0.01);
        double mse = Double.NaN;
        for (int i = 0; i < steps; i++) {
            LrSchedule.cosine(steps, 1e-4).applyTo(opt, i, 0.01);
            try (GradientTape tape = GradientTape.record()) {
                Tensor l = Losses.mse(net.forward(x), y);
                mse = l.item();
                opt.step(l.backward());
            }
            if (i % (steps / 8) == 0) System.out.printf("step %5d  mse %.7f%n", i, mse);
        }
        Tensor grid = Tensor.linspace(0, 2, 1001).reshape(1001, 1);
        double[] g = grid.toDoubleArray(), p = net.forward(grid).toDoubleArray();
        double max = 0;
        for (int i = 0; i < g.length; i++) max = Math.max(max, Math.abs(p[i] - f(g[i])));
        return new Fit(net, mse, max);
    }

    @Override
    public Integer call() throws Exception {
        Fit fit = fit();
        Tensor grid = Tensor.linspace(0, 2, 401).reshape(401, 1);
        double[] g = grid.toDoubleArray();
        XYChart c = new XYChartBuilder().width(800).height(500).title("uat: f(x) = x^2 + x - sqrt(x) and a 1-" + hidden + "-" + hidden + "-1 tanh MLP")
                .xAxisTitle("x").yAxisTitle("y").build();
        c.addSeries("target", g, java.util.Arrays.stream(g).map(Uat::f).toArray()).setMarker(SeriesMarkers.NONE);
        c.addSeries("network", g, fit.net().forward(grid).toDoubleArray()).setMarker(SeriesMarkers.NONE);
        Images.ensureDir(out);
        BitmapEncoder.saveBitmap(c, out.resolve("fit.png").toString(), BitmapEncoder.BitmapFormat.PNG);
        System.out.println("plot in " + out);
        System.out.printf("RESULT uat train_mse=%.2e max_abs_error=%.4f steps=%d hidden=%d%n", fit.trainMse(), fit.maxError(), steps, hidden);
        return 0;
    }
}
