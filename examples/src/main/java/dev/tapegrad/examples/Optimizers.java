package dev.tapegrad.examples;

import dev.tapegrad.autodiff.DType;
import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.Losses;
import dev.tapegrad.nn.ReLU;
import dev.tapegrad.nn.Sequential;
import dev.tapegrad.nn.data.DataFiles;
import dev.tapegrad.nn.data.DataLoader;
import dev.tapegrad.nn.data.Datasets;
import dev.tapegrad.nn.data.Standardizer;
import dev.tapegrad.nn.data.TensorDataset;
import dev.tapegrad.nn.train.Metrics;
import dev.tapegrad.optim.Adadelta;
import dev.tapegrad.optim.Adagrad;
import dev.tapegrad.optim.Adam;
import dev.tapegrad.optim.Nadam;
import dev.tapegrad.optim.Optimizer;
import dev.tapegrad.optim.RMSprop;
import dev.tapegrad.optim.SGD;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * SGD, Momentum, Nesterov, AdaGrad, AdaDelta, RMSprop, Adam and Nadam compared twice: training a 784-128-10
 * ReLU MLP on MNIST from the same initialisation and batch order (loss curves in one plot, smoothed), and
 * descending the Rosenbrock function {@code (1 - x)^2 + 100 (y - x^2)^2} from (-1.5, 2) (an animated GIF
 * of the eight paths). Learning rates are the usual ones for each method.
 */
@Command(name = "optimizers", mixinStandardHelpOptions = true,
        description = "Eight optimizers on MNIST (loss curves) and on the Rosenbrock function (animated GIF of their paths).")
final class Optimizers implements Callable<Integer> {
    @Option(names = "--epochs", defaultValue = "1", description = "MNIST epochs per optimizer (default ${DEFAULT-VALUE})")
    int epochs;
    @Option(names = "--limit", defaultValue = "0", description = "use only the first N training images (0: all)")
    int limit;
    @Option(names = "--steps", defaultValue = "600", description = "Rosenbrock steps (default ${DEFAULT-VALUE})")
    int steps;
    @Option(names = "--seed", defaultValue = "1", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--data", description = "MNIST directory (default ../shared/data/mnist)")
    Path data;
    @Option(names = "--out", defaultValue = "out/optimizers", description = "folder for the pictures (default ${DEFAULT-VALUE})")
    Path out;

    /** The eight methods with the usual learning rates for a network on MNIST. */
    static Map<String, Function<List<Parameter>, Optimizer>> forMnist() {
        Map<String, Function<List<Parameter>, Optimizer>> m = new LinkedHashMap<>();
        m.put("SGD", ps -> new SGD(ps, 0.1));
        m.put("Momentum", ps -> new SGD(ps, 0.01, 0.9));
        m.put("Nesterov", ps -> new SGD(ps, 0.01, 0.9, 0, 0, true));
        m.put("AdaGrad", ps -> new Adagrad(ps, 0.01));
        m.put("AdaDelta", Adadelta::new);
        m.put("RMSprop", ps -> new RMSprop(ps, 0.001));
        m.put("Adam", ps -> new Adam(ps, 0.001));
        m.put("Nadam", ps -> new Nadam(ps, 0.002));
        return m;
    }

    /** The eight methods with rates that suit the Rosenbrock function's steep valley (gradients of order 100 at the start). */
    static Map<String, Function<List<Parameter>, Optimizer>> forRosenbrock() {
        Map<String, Function<List<Parameter>, Optimizer>> m = new LinkedHashMap<>();
        m.put("SGD", ps -> new SGD(ps, 1e-3));
        m.put("Momentum", ps -> new SGD(ps, 2e-4, 0.9));
        m.put("Nesterov", ps -> new SGD(ps, 2e-4, 0.9, 0, 0, true));
        m.put("AdaGrad", ps -> new Adagrad(ps, 0.5));
        m.put("AdaDelta", ps -> new Adadelta(ps, 1.0, 0.9, 1e-4, 0));
        m.put("RMSprop", ps -> new RMSprop(ps, 0.01));
        m.put("Adam", ps -> new Adam(ps, 0.05));
        m.put("Nadam", ps -> new Nadam(ps, 0.05));
        return m;
    }

    static final Color[] COLORS = {Color.BLACK, new Color(230, 120, 0), new Color(200, 0, 200), new Color(0, 140, 0), new Color(120, 80, 20),
            new Color(0, 160, 200), Color.RED, Color.BLUE};

    /** Per-step training loss of each method on MNIST. */
    Map<String, double[]> mnist() {
        TensorDataset train = Datasets.mnist(data != null ? data : DataFiles.dir("mnist"), true, true);
        if (limit > 0) train = train.slice(0, Math.min(limit, train.size()));
        train = new TensorDataset(Standardizer.normalize(train.inputs(), 0.1307, 0.3081), train.targets());
        Map<String, double[]> curves = new LinkedHashMap<>();
        for (Map.Entry<String, Function<List<Parameter>, Optimizer>> e : forMnist().entrySet()) {
            Random r = new Random(seed);
            Sequential net = new Sequential(new Linear(784, 128, r), new ReLU(), new Linear(128, 10, r));
            Optimizer opt = e.getValue().apply(net.parameters());
            List<Double> losses = new ArrayList<>();
            DataLoader loader = new DataLoader(train, 128, new Random(seed), false);
            long start = System.nanoTime();
            for (int epoch = 0; epoch < epochs; epoch++) {
                for (DataLoader.Batch b : loader) {
                    try (GradientTape tape = GradientTape.record()) {
                        Tensor l = Losses.crossEntropy(net.forward(b.inputs()), Metrics.labels(b.targets()));
                        losses.add(l.item());
                        opt.step(l.backward());
                    }
                }
            }
            double[] c = losses.stream().mapToDouble(Double::doubleValue).toArray();
            System.out.printf("%-9s MNIST final smoothed loss %.4f (%.1f s)%n", e.getKey(), smooth(c)[c.length - 1], (System.nanoTime() - start) / 1e9);
            curves.put(e.getKey(), c);
        }
        return curves;
    }

    static double[] smooth(double[] v) {
        double[] s = new double[v.length];
        for (int i = 0; i < v.length; i++) s[i] = i == 0 ? v[0] : 0.95 * s[i - 1] + 0.05 * v[i];
        return s;
    }

    static double rosenbrock(double x, double y) { return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x); }

    /** Each method's path on the Rosenbrock function, {@code steps + 1} points of (x, y). */
    Map<String, double[][]> rosenbrockPaths() {
        Map<String, double[][]> paths = new LinkedHashMap<>();
        for (Map.Entry<String, Function<List<Parameter>, Optimizer>> e : forRosenbrock().entrySet()) {
            Parameter p = new Parameter(e.getKey(), Tensor.of(new double[] {-1.5, 2}));
            Optimizer opt = e.getValue().apply(List.of(p));
            double[][] path = new double[steps + 1][];
            path[0] = p.value().toDoubleArray();
            for (int i = 1; i <= steps; i++) {
                try (GradientTape tape = GradientTape.record()) {
                    Tensor x = p.value().slice(0, 0, 1), y = p.value().slice(0, 1, 2);
                    Tensor f = x.neg().add(1).square().add(y.sub(x.square()).square().mul(100)).sum();
                    opt.step(f.backward());
                }
                path[i] = p.value().toDoubleArray();
            }
            paths.put(e.getKey(), path);
        }
        return paths;
    }

    void gif(Map<String, double[][]> paths) throws Exception {
        double x0 = -2, x1 = 2, y0 = -1, y1 = 3;
        BufferedImage background = Images.heatMap((x, y) -> Math.log1p(rosenbrock(x, y)), x0, x1, y0, y1, 0, 8, 420);
        List<BufferedImage> frames = new ArrayList<>();
        int every = Math.max(1, steps / 60);
        for (int s = 0; s <= steps; s += every) {
            BufferedImage img = new BufferedImage(420, 420, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.drawImage(background, 0, 0, null);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setStroke(new BasicStroke(2));
            int k = 0;
            for (Map.Entry<String, double[][]> e : paths.entrySet()) {
                g.setColor(COLORS[k]);
                double[][] p = e.getValue();
                for (int i = 1; i <= s; i++)
                    g.drawLine(px(p[i - 1][0], x0, x1), py(p[i - 1][1], y0, y1), px(p[i][0], x0, x1), py(p[i][1], y0, y1));
                g.fillOval(px(p[s][0], x0, x1) - 4, py(p[s][1], y0, y1) - 4, 8, 8);
                g.drawString(e.getKey(), 340, 290 + 15 * k++);
            }
            g.setColor(Color.WHITE);
            g.fillOval(px(1, x0, x1) - 3, py(1, y0, y1) - 3, 6, 6);
            g.dispose();
            Images.label(img, "Rosenbrock, step " + s);
            frames.add(img);
        }
        Images.gif(frames, 80, out.resolve("rosenbrock.gif"));
    }

    private static int px(double x, double x0, double x1) { return (int) ((x - x0) / (x1 - x0) * 419); }

    private static int py(double y, double y0, double y1) { return (int) ((y1 - y) / (y1 - y0) * 419); }

    @Override
    public Integer call() throws Exception {
        Map<String, double[]> curves = mnist();
        XYChart c = new XYChartBuilder().width(900).height(550).title("optimizers: MNIST training loss per step (784-128-10 ReLU, smoothed)")
                .xAxisTitle("step").yAxisTitle("cross entropy").build();
        c.getStyler().setYAxisLogarithmic(true);
        StringBuilder result = new StringBuilder("RESULT optimizers");
        for (Map.Entry<String, double[]> e : curves.entrySet()) {
            double[] s = smooth(e.getValue());
            c.addSeries(e.getKey(), java.util.stream.IntStream.range(0, s.length).mapToDouble(i -> i).toArray(), s).setMarker(SeriesMarkers.NONE);
            result.append(String.format(" %s_mnist_loss=%.4f", e.getKey().toLowerCase(), s[s.length - 1]));
        }
        Images.ensureDir(out);
        BitmapEncoder.saveBitmap(c, out.resolve("mnist-loss.png").toString(), BitmapEncoder.BitmapFormat.PNG);
        Map<String, double[][]> paths = rosenbrockPaths();
        for (Map.Entry<String, double[][]> e : paths.entrySet()) {
            double[] end = e.getValue()[steps];
            result.append(String.format(" %s_rosenbrock=%.4f", e.getKey().toLowerCase(), rosenbrock(end[0], end[1])));
        }
        gif(paths);
        System.out.println("pictures in " + out);
        System.out.println(result.append(" epochs=").append(epochs).append(" rosenbrock_steps=").append(steps));
        return 0;
    }
}
