package dev.tapegrad.examples;

import dev.tapegrad.autodiff.Gradients;
import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.Flatten;
import dev.tapegrad.nn.LeakyReLU;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.Losses;
import dev.tapegrad.nn.Module;
import dev.tapegrad.nn.Sequential;
import dev.tapegrad.nn.Tanh;
import dev.tapegrad.optim.Adam;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The seed projects' GAN on MNIST. Generator 100 -> 200 -> 400 -> 784 with tanh after every layer;
 * discriminator 784 -> 400 -> 50 -> 1 with LeakyReLU (slope 0.2) after the hidden layers and a sigmoid;
 * images scaled to [-1, 1]; binary cross entropy. The sigmoid and the cross entropy are computed together
 * from the discriminator's logit ({@link Losses#bceWithLogits}, PyTorch's {@code BCEWithLogitsLoss}): the same
 * function, but a separate sigmoid rounds to exactly 1 in FLOAT32 once the logit passes about 17, and
 * {@code log(1 - p)} then has an infinite derivative (the first run of the seed network here turned to NaN
 * in its 12th epoch that way). The generator trained to make the discriminator say
 * "real" ({@code -log D(G(z))}, the non-saturating loss); Adam 2e-4 with {@code beta1 = 0.5} for both,
 * batch 64, 30 epochs, noise {@code z ~ N(0, I)}. The seeds' remedies for mode collapse are options with
 * the seeds' defaults: the discriminator is not updated on every 3rd iteration ({@code --d-skip}), and the
 * learning rates decay by 0.97 per epoch ({@code --lr-decay}). {@code --label-smoothing S} gives the discriminator
 * the target {@code 1 - S} for real images (one-sided, as Salimans et al. 2016; the generator's target stays 1).
 * {@code --d-lr} gives the discriminator a learning rate of its own (the two time-scale update rule, Heusel et al. 2017).
 * {@code --r1 GAMMA} adds the R1 penalty {@code (GAMMA / 2) mean_i ||grad_x D(x)_i||^2} on the real batch to the
 * discriminator's loss (Mescheder et al. 2018): the gradient of the real scores' sum by an inner tape, squared and summed
 * per image, differentiated again in the discriminator's weights. With batch norm in the discriminator the images of a
 * batch are not independent, so row i of that gradient is not exactly {@code grad D(x_i)} (as in PyTorch with the same
 * network).
 *
 * <p>One iteration is one tape and two optimizers: the fake batch {@code G(z)} is recorded once; the
 * discriminator's loss on the real batch and on {@code G(z)} cut from the graph ({@code detach}) updates
 * the discriminator; then the generator's loss {@code BCE(D(G(z)), 1)} through the updated discriminator
 * is differentiated back through {@code D} into {@code G} on the same tape, and only {@code G}'s
 * optimizer steps (the gradients the discriminator's parameters get there are ignored).
 */
@Command(name = "gan", mixinStandardHelpOptions = true,
        description = "The seed MLP GAN (100-200-400-784 tanh generator, 784-400-50-1 LeakyReLU discriminator) on MNIST; sample grids, GIF, quality scores.")
class Gan extends GenerativeExample {
    @Option(names = "--d-skip", description = "skip the discriminator's update on every N-th iteration (0: never skip; default ${DEFAULT-VALUE})")
    int dSkip = 3;
    @Option(names = "--lr-decay", description = "learning-rate factor per epoch (1: constant; default ${DEFAULT-VALUE})")
    double lrDecay = 0.97;
    @Option(names = "--slope", defaultValue = "0.2", description = "LeakyReLU slope of the discriminator (default ${DEFAULT-VALUE})")
    double slope;
    @Option(names = "--label-smoothing", defaultValue = "0", description = "one-sided label smoothing: the discriminator's target for real "
            + "images is 1 - S (Salimans et al. 2016; 0: none; default ${DEFAULT-VALUE})")
    double labelSmoothing;
    @Option(names = "--r1", description = "weight gamma of the R1 penalty (gamma / 2) E||grad_x D(x)||^2 on real images "
            + "in the discriminator's loss (Mescheder et al. 2018; 0: none; default ${DEFAULT-VALUE})")
    double r1 = 0;
    @Option(names = "--d-lr", description = "the discriminator's learning rate, when it differs from the generator's --lr (the two "
            + "time-scale update rule of Heusel et al. 2017; default: --lr)")
    Double dLr;

    Module generator, discriminator;
    Adam gOpt, dOpt;

    @Override
    String name() { return "gan"; }

    @Override
    Defaults defaults() { return new Defaults(30, 64, 2e-4, 100); }

    @Override
    void checkOptions() {
        super.checkOptions();
        check(dSkip == 0 || dSkip >= 2, "--d-skip", dSkip, "0 (never skip) or at least 2");
        check(lrDecay > 0 && lrDecay <= 1, "--lr-decay", lrDecay, "in (0, 1]");
        check(slope >= 0 && slope < 1, "--slope", slope, "in [0, 1)");
        check(labelSmoothing >= 0 && labelSmoothing < 0.5, "--label-smoothing", labelSmoothing, "in [0, 0.5)");
        check(r1 >= 0 && Double.isFinite(r1), "--r1", r1, "0 or a positive number");
        check(dLr == null || dLr > 0 && Double.isFinite(dLr), "--d-lr", dLr, "a positive number");
    }

    /** The discriminator's learning rate: {@code --d-lr}, else {@code --lr}. */
    double discriminatorLr() { return dLr != null ? dLr : lr(); }

    Module generator(Random r) {
        return new Sequential(new Linear(latent(), 200, r), new Tanh(), new Linear(200, 400, r), new Tanh(), new Linear(400, 784, r), new Tanh());
    }

    Module discriminator(Random r) {
        return new Sequential(new Flatten(), new Linear(784, 400, r), new LeakyReLU(slope), new Linear(400, 50, r), new LeakyReLU(slope),
                new Linear(50, 1, r));
    }

    /** Adam with learning rate {@code lr} and {@code beta1 = 0.5} (Radford et al.). */
    static Adam optimizer(Module m, double lr) { return new Adam(m.parameters(), lr, 0.5, 0.999, 1e-8, 0, false); }

    @Override
    void build(Random random) {
        generator = generator(random);
        discriminator = discriminator(random);
        System.out.print("generator\n" + generator.summary(java.util.Arrays.copyOfRange(noise(new Random(0), 1).shape(), 1, noise(new Random(0), 1).rank())) + "discriminator\n" + discriminator.summary(1, 28, 28));
        gOpt = optimizer(generator, lr());
        dOpt = optimizer(discriminator, discriminatorLr());
        averageGenerator(generator, () -> generator(new Random(0)));
    }

    @Override
    void startEpoch(int epoch) {
        double decay = Math.pow(lrDecay, epoch);
        gOpt.setLr(lr() * decay);
        dOpt.setLr(discriminatorLr() * decay);
    }

    /** Is the discriminator updated at {@code iteration} (0-based)? Not on every {@code dSkip}-th. */
    boolean updatesDiscriminator(long iteration) { return dSkip == 0 || (iteration + 1) % dSkip != 0; }

    @Override
    Map<String, Double> step(Tensor real, long iteration, Random random) {
        int b = real.size(0);
        Tensor x = real.mul(2).sub(1), ones = Tensor.ones(b, 1), zeros = Tensor.zeros(b, 1);
        Map<String, Double> losses = new LinkedHashMap<>();
        try (GradientTape tape = GradientTape.record()) {
            Tensor fake = generator.forward(noise(random, b)).reshape(real.shape());
            if (updatesDiscriminator(iteration)) {
                Tensor[] scored = realScores(discriminator, x, r1);
                Tensor dLoss = Losses.bceWithLogits(scored[0], Tensor.full(1 - labelSmoothing, b, 1)).add(Losses.bceWithLogits(discriminator.forward(fake.detach()), zeros));
                if (scored[1] != null) dLoss = dLoss.add(scored[1]);
                Gradients dGrads = dLoss.backward();
                dOpt.step(dGrads);
                losses.put("discriminator", dLoss.item());
            }
            Tensor gLoss = Losses.bceWithLogits(discriminator.forward(fake), ones);
            gOpt.step(gLoss.backward(generator.parameters()));   // not the discriminator's gradients
            losses.put("generator", gLoss.item());
        }
        updateAverage();
        return losses;
    }

    /**
     * The discriminator's scores {@code D(x)} of the real batch {@code x} {@code [B, ...]} and, for {@code gamma > 0}, the R1
     * penalty {@code (gamma / 2) sum ||grad_x sum_i D(x)_i||^2 / B} (else null). The gradient is taken by an inner tape;
     * the open outer tape records it, so the penalty is differentiable in the discriminator's weights.
     */
    static Tensor[] realScores(Module discriminator, Tensor x, double gamma) {
        Tensor input = gamma > 0 ? x.requiresGrad() : x, scores, penalty = null;
        try (GradientTape inner = GradientTape.record()) {
            scores = discriminator.forward(input);
            if (gamma > 0) penalty = inner.gradient(scores.sum(), input)[0].square().sum().mul(gamma / 2 / x.size(0));
        }
        return new Tensor[] {scores, penalty};
    }

    @Override
    Tensor noise(Random random, int n) { return Tensor.randn(random, n, latent()); }

    @Override
    Tensor generate(Tensor z) { return imagesOf(sampler(generator), z); }
}
