package dev.tapegrad.examples;

import dev.tapegrad.autodiff.Gradients;
import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.Losses;
import dev.tapegrad.nn.Module;
import dev.tapegrad.nn.data.DataLoader;
import dev.tapegrad.nn.data.TensorDataset;
import dev.tapegrad.optim.Adam;
import java.awt.Color;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A variational autoencoder (Kingma and Welling 2013), the network of PyTorch's {@code examples/vae}:
 * encoder 784 -> 400 (ReLU) -> (mu, logvar) of size 20, reparameterisation
 * {@code z = mu + exp(logvar / 2) * eps} with {@code eps ~ N(0, I)}, decoder 20 -> 400 (ReLU) -> 784
 * (sigmoid). The loss per batch is the negative ELBO summed over its images: binary cross entropy of the
 * reconstruction summed over pixels plus {@code KL(q(z|x) || N(0, I)) = -1/2 sum(1 + logvar - mu^2 - exp(logvar))}.
 * Adam 1e-3, batch 128, 10 epochs. {@code test_loss} is that loss per test image (nats), with one sample
 * of {@code eps} per image as PyTorch's example computes it. Samples decode {@code z ~ N(0, I)}.
 * With {@code --variant plane} (a 2-d latent; also any {@code --latent 2}) it also draws the latent plane: {@code latent-walk.png}, decoded images over a
 * 20x20 grid of {@code z} at the standard normal's quantiles, and {@code latent-scatter.png}, the test
 * images' means {@code mu} coloured by digit.
 */
@Command(name = "vae", mixinStandardHelpOptions = true,
        description = "Variational autoencoder 784-400-20-400-784 on MNIST (as PyTorch's example); samples, test ELBO, 2-D latent plane with --variant plane.")
final class Vae extends GenerativeExample {
    @Option(names = "--variant", defaultValue = "standard",
            description = "standard (20-d latent) or plane (2-d latent, with the latent walk and scatter plot); default ${DEFAULT-VALUE}")
    String variant;

    Net net;
    Adam optimizer;

    /** Encoder and decoder; {@link #forward} returns the reconstruction's probabilities for a fixed {@code eps} drawn elsewhere. */
    static final class Net extends Module {
        final Linear fc1, fc21, fc22, fc3, fc4;

        Net(int in, int hidden, int latent, Random r) {
            fc1 = child("fc1", new Linear(in, hidden, r));
            fc21 = child("fc21", new Linear(hidden, latent, r));
            fc22 = child("fc22", new Linear(hidden, latent, r));
            fc3 = child("fc3", new Linear(latent, hidden, r));
            fc4 = child("fc4", new Linear(hidden, in, r));
        }

        /** {@code (mu, logvar)}, each {@code [N, latent]}, for flat images {@code x} {@code [N, in]}. */
        Tensor[] encode(Tensor x) {
            Tensor h = fc1.forward(x).relu();
            return new Tensor[] {fc21.forward(h), fc22.forward(h)};
        }

        /** Pixel probabilities {@code [N, in]} for latent codes {@code z} {@code [N, latent]}. */
        Tensor decode(Tensor z) { return fc4.forward(fc3.forward(z).relu()).sigmoid(); }

        /** The reconstruction of {@code x} through the mean code {@code mu} (no sampling). */
        @Override
        public Tensor forward(Tensor x) { return decode(encode(x)[0]); }

        /** The summed negative ELBO of {@code x} {@code [N, in]} with noise {@code eps} {@code [N, latent]}. */
        Tensor loss(Tensor x, Tensor eps) {
            Tensor[] e = encode(x);
            return Vae.loss(decode(reparameterize(e[0], e[1], eps)), x, e[0], e[1]);
        }
    }

    /** {@code z = mu + exp(logvar / 2) * eps}: a sample of {@code N(mu, exp(logvar))} that is differentiable in mu and logvar. */
    static Tensor reparameterize(Tensor mu, Tensor logvar, Tensor eps) { return mu.add(logvar.mul(0.5).exp().mul(eps)); }

    /** {@code sum BCE(recon, x) - 1/2 sum(1 + logvar - mu^2 - exp(logvar))}, summed over the batch (PyTorch's {@code loss_function}). */
    static Tensor loss(Tensor recon, Tensor x, Tensor mu, Tensor logvar) {
        Tensor bce = Losses.binaryCrossEntropy(recon, x, Losses.Reduction.SUM);
        Tensor kld = logvar.add(1).sub(mu.square()).sub(logvar.exp()).sum().mul(-0.5);
        return bce.add(kld);
    }

    @Override
    String name() { return "vae"; }

    @Override
    Defaults defaults() { return new Defaults(10, 128, 1e-3, variant.equals("plane") ? 2 : 20); }

    @Override
    void checkOptions() {
        if (!variant.equals("standard") && !variant.equals("plane"))
            throw new IllegalArgumentException("vae: unknown --variant '" + variant + "'; expected standard or plane");
        super.checkOptions();
        check(ema() == 0, "--ema", ema(), "0: the VAE samples with its trained decoder");
    }

    @Override
    void build(Random random) {
        net = new Net(784, 400, latent(), random);
        optimizer = new Adam(net.parameters(), lr());
    }

    @Override
    Map<String, Double> step(Tensor real, long iteration, Random random) {
        Tensor x = real.reshape(real.size(0), 784);
        Gradients g;
        double loss;
        try (GradientTape tape = GradientTape.record()) {
            Tensor l = net.loss(x, Tensor.randn(random, real.size(0), latent()));
            loss = l.item() / real.size(0);
            g = l.backward();
        }
        optimizer.step(g);
        return Map.of("loss", loss);
    }

    @Override
    Tensor noise(Random random, int n) { return Tensor.randn(random, n, latent()); }

    @Override
    Tensor generate(Tensor z) { return paused(() -> net.decode(z).reshape(z.size(0), 1, 28, 28)); }

    /** The mean negative ELBO per test image ({@code test_loss}); with a 2-D latent, the latent walk and scatter. */
    @Override
    Map<String, Double> finish(TensorDataset test, Path dir) throws Exception {
        Random r = new Random(seed + 3);
        double sum = 0;
        for (DataLoader.Batch b : new DataLoader(test, 1000)) {
            Tensor x = b.inputs().reshape(b.size(), 784);
            sum += paused(() -> net.loss(x, Tensor.randn(r, b.size(), latent()))).item();
        }
        double testLoss = sum / test.size();
        System.out.printf("vae: test loss (negative ELBO) %.4f nats per image%n", testLoss);
        if (latent() == 2) latentPlane(test, dir);
        return Map.of("test_loss", testLoss);
    }

    /** {@code latent-walk.png}: decodings over a 20x20 grid of the standard normal's 5 %..95 % quantiles; {@code latent-scatter.png}: test means by digit. */
    void latentPlane(TensorDataset test, Path dir) throws Exception {
        int k = 20;
        double[] grid = new double[k * k * 2];
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++) {
                grid[2 * (i * k + j)] = probit(0.05 + 0.9 * j / (k - 1));
                grid[2 * (i * k + j) + 1] = probit(0.95 - 0.9 * i / (k - 1));
            }
        Tensor walk = generate(Tensor.of(grid, k * k, 2).to(dev.tapegrad.autodiff.DType.FLOAT32));
        Images.png(Images.grid(walk.reshape(k * k, 28, 28), k, 2, 0, 1), dir.resolve("latent-walk.png"));
        Tensor mu = paused(() -> net.encode(test.inputs().reshape(test.size(), 784))[0]);
        double[] m = mu.toDoubleArray();
        int[] labels = test.targets().toIntArray();
        XYChart chart = new XYChartBuilder().width(800).height(700).title("vae: test set latent means by digit").xAxisTitle("z1").yAxisTitle("z2").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter).setMarkerSize(3);
        for (int d = 0; d < 10; d++) {
            final int digit = d;
            int[] idx = java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] == digit).toArray();
            if (idx.length == 0) continue;
            chart.addSeries(Integer.toString(d), java.util.Arrays.stream(idx).mapToDouble(i -> m[2 * i]).toArray(),
                    java.util.Arrays.stream(idx).mapToDouble(i -> m[2 * i + 1]).toArray()).setMarkerColor(Color.getHSBColor(d / 10f, 0.9f, 0.85f));
        }
        BitmapEncoder.saveBitmap(chart, dir.resolve("latent-scatter.png").toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** The standard normal quantile function, {@code sqrt(2) erfinv(2p - 1)}. */
    static double probit(double p) { return Math.sqrt(2) * org.apache.commons.numbers.gamma.InverseErf.value(2 * p - 1); }
}
