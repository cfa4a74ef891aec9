package dev.tapegrad.benchmarks;

import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.BatchNorm2d;
import dev.tapegrad.nn.Conv2d;
import dev.tapegrad.nn.ConvTranspose2d;
import dev.tapegrad.nn.Flatten;
import dev.tapegrad.nn.LeakyReLU;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.Losses;
import dev.tapegrad.nn.Module;
import dev.tapegrad.nn.ReLU;
import dev.tapegrad.nn.Sequential;
import dev.tapegrad.nn.Tanh;
import dev.tapegrad.optim.Adam;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One iteration of the {@code dcgan} example without its R1 penalty ({@code --r1 0}; its networks and {@code Gan.step}): the discriminator's update on
 * 64 real and 64 generated images, then the generator's through the same tape (its backward pass to the generator's
 * parameters only, {@code backward(inputs)}), Adam 2e-4 with {@code beta1 = 0.5},
 * binary cross entropy on logits, FLOAT32. The PyTorch-eager twin is {@code peers-python/dcgan_step.py}.
 * {@link #wganCriticStep}: one critic update of the {@code wgan-gp} example (its critic; the Wasserstein estimate on 64
 * real and 64 generated images and the gradient penalty, a second derivative through nested tapes), Adam 1e-4 (0, 0.9).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class GanStepBenchmark {
    static final int BATCH = 64, LATENT = 100;

    Module generator, discriminator, critic;
    Adam gOpt, dOpt, cOpt;
    Tensor real, ones, zeros;
    Random random;

    @Setup
    public void setup() {
        random = new Random(1);
        generator = new Sequential(new ConvTranspose2d(LATENT, 128, 7, 1, 0, random), new BatchNorm2d(128), new ReLU(),
                new ConvTranspose2d(128, 64, 4, 2, 1, random), new BatchNorm2d(64), new ReLU(),
                new ConvTranspose2d(64, 1, 4, 2, 1, random), new Tanh());
        discriminator = new Sequential(new Conv2d(1, 64, 4, 2, 1, random), new LeakyReLU(0.2), new Conv2d(64, 128, 4, 2, 1, random),
                new BatchNorm2d(128), new LeakyReLU(0.2), new Conv2d(128, 1, 7, 1, 0, random), new Flatten());
        gOpt = new Adam(generator.parameters(), 2e-4, 0.5, 0.999, 1e-8, 0, false);
        dOpt = new Adam(discriminator.parameters(), 2e-4, 0.5, 0.999, 1e-8, 0, false);
        critic = new Sequential(new Conv2d(1, 64, 4, 2, 1, random), new LeakyReLU(0.2), new Conv2d(64, 128, 4, 2, 1, random), new LeakyReLU(0.2),
                new Flatten(), new Linear(128 * 7 * 7, 1, random));
        cOpt = new Adam(critic.parameters(), 1e-4, 0, 0.9, 1e-8, 0, false);
        real = Tensor.rand(random, BATCH, 1, 28, 28).mul(2).sub(1);
        ones = Tensor.ones(BATCH, 1);
        zeros = Tensor.zeros(BATCH, 1);
    }

    @Benchmark
    public double step() {
        try (GradientTape tape = GradientTape.record()) {
            Tensor fake = generator.forward(Tensor.randn(random, BATCH, LATENT, 1, 1));
            Tensor dLoss = Losses.bceWithLogits(discriminator.forward(real), ones).add(Losses.bceWithLogits(discriminator.forward(fake.detach()), zeros));
            dOpt.step(dLoss.backward());
            Tensor gLoss = Losses.bceWithLogits(discriminator.forward(fake), ones);
            gOpt.step(gLoss.backward(generator.parameters()));
            return gLoss.item();
        }
    }

    @Benchmark
    public double wganCriticStep() {
        try (GradientTape tape = GradientTape.record()) {
            Tensor fake;
            try (GradientTape.Pause p = GradientTape.pause()) {
                fake = generator.forward(Tensor.randn(random, BATCH, LATENT, 1, 1)).detach();
            }
            Tensor u = Tensor.rand(random, BATCH, 1, 1, 1);
            Tensor xHat = real.mul(u).add(fake.mul(u.neg().add(1)));
            Tensor wasserstein = critic.forward(real).mean().sub(critic.forward(fake).mean());
            Tensor loss = wasserstein.neg().add(Losses.gradientPenalty(critic::forward, xHat).mul(10));
            cOpt.step(loss.backward(critic.parameters()));
            return loss.item();
        }
    }
}
