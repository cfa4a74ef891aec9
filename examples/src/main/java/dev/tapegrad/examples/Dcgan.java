package dev.tapegrad.examples;

import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.BatchNorm2d;
import dev.tapegrad.nn.Conv2d;
import dev.tapegrad.nn.ConvTranspose2d;
import dev.tapegrad.nn.Flatten;
import dev.tapegrad.nn.Init;
import dev.tapegrad.nn.LeakyReLU;
import dev.tapegrad.nn.Module;
import dev.tapegrad.nn.ReLU;
import dev.tapegrad.nn.Sequential;
import dev.tapegrad.nn.Tanh;
import java.util.Map;
import java.util.Random;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A convolutional GAN after Radford et al. 2015 (DCGAN), scaled to 28x28. Generator: noise
 * {@code [N, 100, 1, 1]}, ConvTranspose2d 100-128 (7x7) to 7x7, batch norm, ReLU; ConvTranspose2d 128-64
 * (4x4, stride 2, padding 1) to 14x14, batch norm, ReLU; ConvTranspose2d 64-1 (4x4, stride 2) to 28x28 and
 * tanh. Discriminator: strided convolutions 1-64 (4x4, stride 2) with LeakyReLU 0.2, 64-128 (4x4, stride 2)
 * with batch norm and LeakyReLU, then a 128x7x7 convolution to one logit (the sigmoid is in the loss, as in
 * {@link Gan}); no pooling, no
 * dense hidden layers. Adam 2e-4, {@code beta1 = 0.5}, batch 64, 12 epochs; the same training step as
 * {@link Gan} (one tape, two optimizers), with its mode-collapse remedies off by default.
 *
 * <p>Two additions to Radford et al.'s recipe, both on by default because without them this network's samples stayed
 * at a classifier confidence of 0.87-0.90 through every schedule tried (10 to 30 epochs, wider networks, their
 * initialisation, label smoothing, two time-scales), in PyTorch as here: the R1 penalty {@code (1 / 2) ||grad_x D(x)||^2}
 * on the real images in the discriminator's loss ({@code --r1 1}, Mescheder et al. 2018, which keeps the discriminator
 * flat on the data), and samples from an exponential moving average of the generator's weights ({@code --ema 0.999}).
 * {@code --r1 0 --ema 0 --epochs 10} is the plain DCGAN.
 */
@Command(name = "dcgan", mixinStandardHelpOptions = true,
        description = "DCGAN (ConvTranspose2d generator with batch norm, strided-conv discriminator) on MNIST; sample grids, GIF, quality scores.")
final class Dcgan extends Gan {
    Dcgan() {
        dSkip = 0;
        lrDecay = 1;
        r1 = 1;
    }

    @Override
    String name() { return "dcgan"; }

    @Override
    Defaults defaults() { return new Defaults(12, 64, 2e-4, 100); }

    @Override
    double defaultEma() { return 0.999; }

    @Option(names = "--width", defaultValue = "64", description = "channels of the generator's 14x14 layer (the 7x7 layer has twice as many; default ${DEFAULT-VALUE})")
    int width;
    @Option(names = "--init", defaultValue = "pytorch", description = "initial weights: pytorch (the layers' defaults) or radford (N(0, 0.02) convolution weights, "
            + "N(1, 0.02) batch-norm scales, zero batch-norm shifts, as Radford et al. and PyTorch's DCGAN example; default ${DEFAULT-VALUE})")
    String init;

    @Override
    void checkOptions() {
        super.checkOptions();
        check(width >= 1, "--width", width, "at least 1");
        check(init.equals("pytorch") || init.equals("radford"), "--init", init, "pytorch or radford");
    }

    @Override
    Module generator(Random r) { return initialised(convGenerator(latent(), width, r), r); }

    /** {@code m} with Radford et al.'s initial weights when {@code --init radford}, drawn from {@code r} layer by layer. */
    private Module initialised(Module m, Random r) {
        if (!init.equals("radford")) return m;
        try (GradientTape.Pause p = GradientTape.pause()) {
            for (Module layer : m.children().values()) {
                Map<String, Parameter> ps = layer.namedParameters();
                if (layer instanceof Conv2d || layer instanceof ConvTranspose2d) ps.get("weight").assign(Init.normal(r, 0, 0.02, ps.get("weight").shape()));
                if (layer instanceof BatchNorm2d) {
                    ps.get("weight").assign(Init.normal(r, 1, 0.02, ps.get("weight").shape()));
                    ps.get("bias").assign(Init.zeros(ps.get("bias").shape()));
                }
            }
        }
        return m;
    }

    /** The DCGAN generator: {@code [N, latent, 1, 1]} to {@code [N, 1, 28, 28]} in [-1, 1], {@code 2 width} channels at 7x7 and {@code width} at 14x14. */
    static Module convGenerator(int latent, int width, Random r) {
        return new Sequential(new ConvTranspose2d(latent, 2 * width, 7, 1, 0, r), new BatchNorm2d(2 * width), new ReLU(),
                new ConvTranspose2d(2 * width, width, 4, 2, 1, r), new BatchNorm2d(width), new ReLU(),
                new ConvTranspose2d(width, 1, 4, 2, 1, r), new Tanh());
    }

    @Override
    Module discriminator(Random r) {
        return initialised(new Sequential(new Conv2d(1, 64, 4, 2, 1, r), new LeakyReLU(slope), new Conv2d(64, 128, 4, 2, 1, r), new BatchNorm2d(128), new LeakyReLU(slope),
                new Conv2d(128, 1, 7, 1, 0, r), new Flatten()), r);
    }

    @Override
    Tensor noise(Random random, int n) { return Tensor.randn(random, n, latent(), 1, 1); }
}
