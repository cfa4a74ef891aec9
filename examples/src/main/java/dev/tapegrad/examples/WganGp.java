package dev.tapegrad.examples;

import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.Conv2d;
import dev.tapegrad.nn.Flatten;
import dev.tapegrad.nn.LeakyReLU;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.Losses;
import dev.tapegrad.nn.Module;
import dev.tapegrad.nn.Sequential;
import dev.tapegrad.optim.Adam;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Wasserstein GAN with gradient penalty (Gulrajani et al. 2017) on MNIST. The generator is {@link Dcgan}'s;
 * the critic is its discriminator without batch norm and sigmoid: convolutions 1-64 and 64-128 (4x4,
 * stride 2) with LeakyReLU 0.2, then a dense 6272-1 score. The critic minimises
 * {@code mean D(G(z)) - mean D(x) + lambda mean_i (||grad_x D(x_hat_i)||_2 - 1)^2} with
 * {@code x_hat = u x + (1 - u) G(z)}, {@code u ~ U[0, 1]} per image, {@code lambda = 10}; the generator
 * minimises {@code -mean D(G(z))} on every 5th iteration ({@code --critic-steps}). Adam 1e-4 with
 * {@code (beta1, beta2) = (0, 0.9)}, batch 64, as in the paper; images in [-1, 1].
 *
 * <p>The penalty ({@link Losses#gradientPenalty}) is the engine's nested-tape showcase: {@code grad_x D(x_hat)} is computed by an inner tape
 * while the outer tape records, so the norm of that gradient is itself a recorded function of the critic's
 * parameters, and the outer backward differentiates it again (a second derivative of {@code D}).
 */
@Command(name = "wgan-gp", mixinStandardHelpOptions = true,
        description = "WGAN-GP (gradient penalty through nested tapes) with the DCGAN generator on MNIST; sample grids, GIF, quality scores.")
final class WganGp extends GenerativeExample {
    @Option(names = "--critic-steps", defaultValue = "5", description = "critic updates per generator update (default ${DEFAULT-VALUE})")
    int criticSteps;
    @Option(names = "--penalty", defaultValue = "10", description = "gradient-penalty weight lambda (default ${DEFAULT-VALUE})")
    double penalty;

    Module generator, critic;
    Adam gOpt, cOpt;

    @Override
    String name() { return "wgan-gp"; }

    @Override
    Defaults defaults() { return new Defaults(5, 64, 1e-4, 100); }

    @Override
    void checkOptions() {
        super.checkOptions();
        check(criticSteps >= 1, "--critic-steps", criticSteps, "at least 1");
        check(penalty >= 0, "--penalty", penalty, "0 or positive");
    }

    @Override
    void build(Random random) {
        generator = generator(random);
        critic = new Sequential(new Conv2d(1, 64, 4, 2, 1, random), new LeakyReLU(0.2), new Conv2d(64, 128, 4, 2, 1, random), new LeakyReLU(0.2),
                new Flatten(), new Linear(128 * 7 * 7, 1, random));
        gOpt = new Adam(generator.parameters(), lr(), 0, 0.9, 1e-8, 0, false);
        cOpt = new Adam(critic.parameters(), lr(), 0, 0.9, 1e-8, 0, false);
        averageGenerator(generator, () -> generator(new Random(0)));
    }

    /** DCGAN's generator at its default width. */
    private Module generator(Random r) { return Dcgan.convGenerator(latent(), 64, r); }

    @Override
    Map<String, Double> step(Tensor real, long iteration, Random random) {
        int b = real.size(0);
        Tensor x = real.mul(2).sub(1);
        Map<String, Double> losses = new LinkedHashMap<>();
        try (GradientTape tape = GradientTape.record()) {
            Tensor fake = paused(() -> generator.forward(noise(random, b)));
            Tensor u = Tensor.rand(random, b, 1, 1, 1);
            Tensor xHat = x.mul(u).add(fake.mul(u.neg().add(1)));
            Tensor wasserstein = critic.forward(x).mean().sub(critic.forward(fake).mean());
            Tensor gp = Losses.gradientPenalty(critic::forward, xHat);
            Tensor loss = wasserstein.neg().add(gp.mul(penalty));
            cOpt.step(loss.backward(critic.parameters()));   // not x_hat's
            losses.put("critic", loss.item());
            losses.put("wasserstein_estimate", wasserstein.item());
        }
        if ((iteration + 1) % criticSteps == 0) {
            try (GradientTape tape = GradientTape.record()) {
                Tensor gLoss = critic.forward(generator.forward(noise(random, b))).mean().neg();
                gOpt.step(gLoss.backward(generator.parameters()));   // not the critic's
                losses.put("generator", gLoss.item());
            }
            updateAverage();
        }
        return losses;
    }

    @Override
    Tensor noise(Random random, int n) { return Tensor.randn(random, n, latent(), 1, 1); }

    @Override
    Tensor generate(Tensor z) { return imagesOf(sampler(generator), z); }
}
