package dev.tapegrad.examples;

import dev.tapegrad.autodiff.DType;
import dev.tapegrad.autodiff.Gradients;
import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.LSTM;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.Losses;
import dev.tapegrad.nn.Module;
import dev.tapegrad.optim.Adam;
import dev.tapegrad.optim.Clipping;
import dev.tapegrad.optim.LrSchedule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One-step-ahead forecasting of a noisy sum of sines with an {@link LSTM}:
 * {@code y_t = sin(2 pi t / 40) + 0.5 sin(2 pi t / 13 + 1) + 0.3 sin(2 pi t / 97) + N(0, noise^2)}. The model reads
 * the last {@code window} values ({@code [B, window, 1]}, batch first) and a linear layer maps the final
 * hidden state to the next value; mean squared error, Adam with a cosine learning-rate decay, gradient clipping. The first 80 % of the series
 * trains, the last 20 % tests; the baseline forecasts the last value seen. The noise variance is the floor no
 * forecast can beat on the noisy targets.
 */
@Command(name = "sine-lstm", mixinStandardHelpOptions = true,
        description = "Forecast a noisy sum of sines with an LSTM; test MSE against the last-value baseline, forecast plot.")
final class SineLstm implements Callable<Integer> {
    @Option(names = "--steps", defaultValue = "800", description = "training steps (default ${DEFAULT-VALUE})")
    int steps;
    @Option(names = "--points", defaultValue = "3000", description = "length of the series (default ${DEFAULT-VALUE})")
    int points;
    @Option(names = "--window", defaultValue = "40", description = "past values per forecast (default ${DEFAULT-VALUE})")
    int window;
    @Option(names = "--hidden", defaultValue = "32", description = "LSTM hidden size (default ${DEFAULT-VALUE})")
    int hidden;
    @Option(names = "--batch", defaultValue = "64", description = "windows per step (default ${DEFAULT-VALUE})")
    int batch;
    @Option(names = "--lr", defaultValue = "5e-3", description = "Adam learning rate, decayed by a cosine to 5%% of it (default ${DEFAULT-VALUE})")
    double lr;
    @Option(names = "--noise", defaultValue = "0.1", description = "standard deviation of the noise (default ${DEFAULT-VALUE})")
    double noise;
    @Option(names = "--seed", defaultValue = "1", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--out", defaultValue = "out/sine-lstm", description = "folder for the plots (default ${DEFAULT-VALUE})")
    Path out;

    static double signal(int t) {
        return Math.sin(2 * Math.PI * t / 40) + 0.5 * Math.sin(2 * Math.PI * t / 13 + 1) + 0.3 * Math.sin(2 * Math.PI * t / 97);
    }

    /** LSTM over the window, linear read-out of the final hidden state. */
    static final class Forecaster extends Module {
        final LSTM lstm;
        final Linear head;

        Forecaster(int hidden, Random r) {
            lstm = child("lstm", new LSTM(1, hidden, 1, true, true, 0, false, r));
            head = child("head", new Linear(hidden, 1, r));
        }

        /** {@code [B, window, 1]} to {@code [B, 1]}. */
        @Override
        public Tensor forward(Tensor x) {
            Tensor h = lstm.forward(x, null).state().h();
            return head.forward(h.reshape(h.size(1), h.size(2)));
        }
    }

    /** The test series (from the first forecast on), the forecasts and the losses. */
    record Result(double firstLoss, double lastLoss, double testMse, double naiveMse, double[] truth, double[] forecast, int firstTestIndex) {}

    Result run() {
        Random random = new Random(seed);
        double[] y = IntStream.range(0, points).mapToDouble(t -> signal(t) + noise * random.nextGaussian()).toArray();
        int split = (int) (points * 0.8);
        Forecaster model = new Forecaster(hidden, random);
        Adam opt = new Adam(model.parameters(), lr);
        LrSchedule schedule = LrSchedule.cosine(steps, lr * 0.05);
        double first = Double.NaN, recent = 0;
        for (int step = 0; step < steps; step++) {
            int[] starts = random.ints(batch, 0, split - window).toArray();    // target index start + window < split
            schedule.applyTo(opt, step, lr);
            Gradients grads;
            double loss;
            try (GradientTape tape = GradientTape.record()) {
                Tensor l = Losses.mse(model.forward(windows(y, starts)), targets(y, starts));
                loss = l.item();
                grads = Clipping.byGlobalNorm(l.backward(), 1);
            }
            opt.step(grads);
            if (step == 0) first = loss;
            recent = step == 0 ? loss : 0.95 * recent + 0.05 * loss;
            if ((step + 1) % Math.max(1, steps / 10) == 0) System.out.printf("step %5d  mse %.5f (smoothed %.5f)%n", step + 1, loss, recent);
        }
        int[] test = IntStream.range(split - window, points - window).toArray();    // forecasts of y[split..]
        double[] forecast = model.forward(windows(y, test)).toDoubleArray();
        double mse = 0, naive = 0;
        double[] truth = new double[test.length];
        for (int i = 0; i < test.length; i++) {
            truth[i] = y[test[i] + window];
            mse += Math.pow(forecast[i] - truth[i], 2) / test.length;
            naive += Math.pow(y[test[i] + window - 1] - truth[i], 2) / test.length;
        }
        return new Result(first, recent, mse, naive, truth, forecast, split);
    }

    private Tensor windows(double[] y, int[] starts) {
        double[] x = new double[starts.length * window];
        for (int b = 0; b < starts.length; b++) System.arraycopy(y, starts[b], x, b * window, window);
        return Tensor.of(x, starts.length, window, 1).to(DType.FLOAT32);
    }

    private Tensor targets(double[] y, int[] starts) {
        return Tensor.of(IntStream.of(starts).mapToDouble(s -> y[s + window]).toArray(), starts.length, 1).to(DType.FLOAT32);
    }

    @Override
    public Integer call() throws IOException {
        Result r = run();
        int shown = Math.min(300, r.truth().length);
        double[] t = IntStream.range(0, shown).mapToDouble(i -> r.firstTestIndex() + i).toArray();
        Map<String, double[]> curves = new LinkedHashMap<>();
        curves.put("noisy truth", java.util.Arrays.copyOf(r.truth(), shown));
        curves.put("signal without noise", IntStream.range(0, shown).mapToDouble(i -> signal(r.firstTestIndex() + i)).toArray());
        curves.put("LSTM forecast", java.util.Arrays.copyOf(r.forecast(), shown));
        Plots.curves("sine-lstm: one-step-ahead forecast on the test part", "t", "y", t, curves, out.resolve("forecast.png"));
        System.out.println("forecast plot in " + out);
        System.out.printf("RESULT sine-lstm test_mse=%.5f naive_mse=%.5f noise_variance=%.5f ratio_to_naive=%.3f steps=%d%n", r.testMse(), r.naiveMse(),
                noise * noise, r.testMse() / r.naiveMse(), steps);
        return 0;
    }
}
