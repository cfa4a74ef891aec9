package dev.tapegrad.examples;

import dev.tapegrad.autodiff.DType;
import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Fits {@code y = w0 + w1 x + w2 x^2 + w3 x^3} to noisy samples of a cubic with raw tensor operations and
 * a hand-written gradient-descent step: the core engine alone, no nn or optim. Samples {@code x} are
 * uniform in [-1, 1], {@code y = 2 + 0.3x - x^2 + 0.5x^3 + N(0, noise^2)}. The loss is the mean squared
 * error; the closed-form least-squares fit (EJML) is printed beside it as the optimum to reach.
 */
@Command(name = "curve-fit", mixinStandardHelpOptions = true,
        description = "Fit a cubic polynomial to noisy samples with raw tensor operations and gradient descent (core only).")
final class CurveFit implements Callable<Integer> {
    static final double[] TRUE_COEFFICIENTS = {2, 0.3, -1, 0.5};

    @Option(names = "--steps", defaultValue = "1000", description = "gradient-descent steps (default ${DEFAULT-VALUE})")
    int steps;
    @Option(names = "--lr", defaultValue = "0.5", description = "learning rate (default ${DEFAULT-VALUE})")
    double lr;
    @Option(names = "--samples", defaultValue = "200", description = "number of noisy samples (default ${DEFAULT-VALUE})")
    int samples;
    @Option(names = "--noise", defaultValue = "0.1", description = "standard deviation of the noise (default ${DEFAULT-VALUE})")
    double noise;
    @Option(names = "--seed", defaultValue = "42", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--out", defaultValue = "out/curve-fit", description = "folder for the plots (default ${DEFAULT-VALUE})")
    Path out;

    /** What a run produced: the loss before each step, the fitted and the least-squares coefficients. */
    record Result(double[] x, double[] y, List<Double> losses, double[] coefficients, double[] leastSquares, double leastSquaresMse) {}

    @Override
    public Integer call() throws IOException {
        long start = System.nanoTime();
        Result r = fit(true);
        double seconds = (System.nanoTime() - start) / 1e9;
        Plots.curveFit(r, out);
        double finalMse = r.losses().get(r.losses().size() - 1);
        System.out.printf("fitted        %s%nleast squares %s%ntrue          %s%nplots in %s%n", fmt(r.coefficients()), fmt(r.leastSquares()),
                fmt(TRUE_COEFFICIENTS), out);
        System.out.printf("RESULT curve-fit final_mse=%.6f optimal_mse=%.6f initial_mse=%.4f steps=%d coefficients=%s train_seconds=%.2f%n",
                finalMse, r.leastSquaresMse(), r.losses().get(0), steps, fmt(r.coefficients()).replace(" ", ""), seconds);
        return 0;
    }

    Result fit(boolean log) {
        Random random = new Random(seed);
        double[] xs = new double[samples], ys = new double[samples];
        for (int i = 0; i < samples; i++) {
            xs[i] = 2 * random.nextDouble() - 1;
            ys[i] = polynomial(TRUE_COEFFICIENTS, xs[i]) + noise * random.nextGaussian();
        }
        Tensor x = Tensor.of(xs).to(DType.FLOAT32), y = Tensor.of(ys).to(DType.FLOAT32);
        Tensor features = Tensor.stack(1, Tensor.onesLike(x), x, x.pow(2), x.pow(3));    // [samples, 4]
        Parameter w = new Parameter("w", Tensor.zeros(4));
        List<Double> losses = new ArrayList<>();
        for (int step = 0; step <= steps; step++) {
            Tensor loss, grad;
            try (GradientTape tape = GradientTape.record()) {
                loss = features.matmul(w.value()).sub(y).square().mean();
                grad = loss.backward().get(w);
            }
            losses.add(loss.item());
            if (log && step % Math.max(1, steps / 10) == 0) System.out.printf("step %5d  mse %.6f%n", step, loss.item());
            if (step < steps) w.assign(w.value().sub(grad.mul(lr)));
        }
        double[] ls = leastSquares(xs, ys);
        double lsMse = 0;
        for (int i = 0; i < samples; i++) lsMse += Math.pow(polynomial(ls, xs[i]) - ys[i], 2) / samples;
        return new Result(xs, ys, losses, w.value().toDoubleArray(), ls, lsMse);
    }

    static double polynomial(double[] c, double x) { return c[0] + x * (c[1] + x * (c[2] + x * c[3])); }

    /** The optimum: solve the normal equations {@code (A^T A) w = A^T y} with EJML. */
    private static double[] leastSquares(double[] xs, double[] ys) {
        DMatrixRMaj a = new DMatrixRMaj(xs.length, 4), y = new DMatrixRMaj(xs.length, 1, true, ys), w = new DMatrixRMaj(4, 1);
        for (int i = 0; i < xs.length; i++) for (int p = 0; p < 4; p++) a.set(i, p, Math.pow(xs[i], p));
        DMatrixRMaj ata = new DMatrixRMaj(4, 4), aty = new DMatrixRMaj(4, 1);
        CommonOps_DDRM.multTransA(a, a, ata);
        CommonOps_DDRM.multTransA(a, y, aty);
        if (!CommonOps_DDRM.solve(ata, aty, w)) throw new IllegalStateException("curve-fit: the normal equations are singular");
        return w.data;
    }

    private static String fmt(double[] c) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < c.length; i++) b.append(i == 0 ? "" : ", ").append(String.format("%.4f", c[i]));
        return b.append(']').toString();
    }
}
