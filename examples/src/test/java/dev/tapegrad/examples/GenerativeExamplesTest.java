package dev.tapegrad.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autodiff.DType;
import dev.tapegrad.autodiff.GradCheck;
import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.Flatten;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.Module;
import dev.tapegrad.nn.Sequential;
import dev.tapegrad.nn.data.DataFiles;
import dev.tapegrad.nn.data.Datasets;
import dev.tapegrad.nn.data.TensorDataset;
import dev.tapegrad.nn.io.Safetensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The VAE loss and the gradient penalty against finite differences, option checks, and the four generative examples on a slice. */
class GenerativeExamplesTest {
    @TempDir
    static Path shared;
    @TempDir
    Path out;
    /** A small classifier (a slice, two epochs) standing in for the real one, so no test trains on all of MNIST. */
    static Path classifier;

    @BeforeAll
    static void smallClassifier() {
        if (!Files.isDirectory(DataFiles.dir("mnist"))) return;
        TensorDataset train = Datasets.mnist(true, false).slice(0, 640), test = Datasets.mnist(false, false).slice(0, 200);
        Sequential net = new MnistCnn().network(new Random(1));
        double accuracy = SampleQuality.trainClassifier(net, train, test, 2, 1);
        classifier = shared.resolve("classifier.safetensors");
        SampleQuality.save(classifier, net, accuracy);
    }

    /** {@code f} with each parameter of {@code m} read from {@code t[0..]} (GradCheck's inputs). */
    static Tensor withParameters(Module m, Tensor[] t, Supplier<Tensor> f) {
        List<Parameter> ps = m.parameters();
        Map<Parameter, Tensor> values = new IdentityHashMap<>();
        for (int i = 0; i < ps.size(); i++) values.put(ps.get(i), t[i]);
        return Parameter.substituted(values, f);
    }

    static Tensor[] parameterValues(Module m, Tensor... more) {
        List<Parameter> ps = m.parameters();
        Tensor[] v = new Tensor[ps.size() + more.length];
        for (int i = 0; i < ps.size(); i++) v[i] = ps.get(i).value().detach();
        System.arraycopy(more, 0, v, ps.size(), more.length);
        return v;
    }

    @Test
    void vaeLossIsBceSumPlusClosedFormKl() {
        Tensor recon = Tensor.of(new double[] {0.25, 0.5}, 1, 2), x = Tensor.of(new double[] {1, 0}, 1, 2);
        double bce = -Math.log(0.25) - Math.log(0.5);
        assertEquals(bce, Vae.loss(recon, x, Tensor.zeros(DType.FLOAT64, 1, 3), Tensor.zeros(DType.FLOAT64, 1, 3)).item(), 1e-12);
        // KL(N(1, e) || N(0, 1)) per dimension: -1/2 (1 + 1 - 1 - e)
        double kl = -0.5 * (1 + 1 - 1 - Math.E);
        assertEquals(bce + 3 * kl, Vae.loss(recon, x, Tensor.ones(DType.FLOAT64, 1, 3), Tensor.ones(DType.FLOAT64, 1, 3)).item(), 1e-12);
        Tensor z = Vae.reparameterize(Tensor.of(new double[] {1, 2}), Tensor.of(new double[] {0, 2 * Math.log(3)}), Tensor.of(new double[] {0.5, -1}));
        assertArrayEquals(new double[] {1.5, -1}, z.toDoubleArray(), 1e-12);
    }

    @Test
    void vaeLossGradientsMatchFiniteDifferences() {
        Random r = new Random(3);
        Vae.Net net = new Vae.Net(6, 5, 2, r);
        net.to(DType.FLOAT64);
        Tensor x = Tensor.rand(r, DType.FLOAT64, 3, 6), eps = Tensor.randn(r, DType.FLOAT64, 3, 2);
        GradCheck.first("vae loss (parameters, through the reparameterisation)", t -> withParameters(net, t, () -> net.loss(x, eps)), 7,
                parameterValues(net)).assertPassed();
        Tensor recon = Tensor.rand(r, DType.FLOAT64, 3, 6).mul(0.8).add(0.1);
        GradCheck.first("vae loss (recon, mu, logvar)", t -> Vae.loss(t[0], x, t[1], t[2]), 8, recon, Tensor.randn(r, DType.FLOAT64, 3, 2),
                Tensor.randn(r, DType.FLOAT64, 3, 2)).assertPassed();
    }

    @Test
    void ganLossGradientStaysFiniteWhenTheDiscriminatorSaturates() {
        // sigmoid(30) is exactly 1 in FLOAT32; the loss on the logit keeps the gradient finite (it is sigmoid(x) - t).
        Tensor logits = Tensor.of(new float[] {30, -30}, 2, 1).requiresGrad();
        Tensor targets = Tensor.of(new float[] {0, 1}, 2, 1);
        try (GradientTape tape = GradientTape.record()) {
            Tensor g = tape.gradient(dev.tapegrad.nn.Losses.bceWithLogits(logits, targets), logits)[0];
            assertArrayEquals(new double[] {0.5, -0.5}, g.toDoubleArray(), 1e-6);
        }
    }

    /** For D(x) = w . x + b, grad_x D = w for every image: the R1 penalty is (gamma / 2) ||w||^2, its gradient in w gamma w (a second derivative). */
    @Test
    void r1PenaltyOfALinearDiscriminatorIsHalfGammaTimesItsSquaredWeights() {
        Module d = new Sequential(new Flatten(), new Linear(4, 1, new Random(3))).to(DType.FLOAT64);
        Parameter w = d.namedParameters().get("1.weight");
        Tensor x = Tensor.randn(new Random(4), DType.FLOAT64, 5, 1, 2, 2);
        try (GradientTape tape = GradientTape.record()) {
            Tensor[] real = Gan.realScores(d, x, 10);
            assertArrayEquals(d.forward(x).toDoubleArray(), real[0].toDoubleArray(), 0);
            assertEquals(5 * w.value().square().sum().item(), real[1].item(), 1e-12);
            assertArrayEquals(w.value().mul(10).toDoubleArray(), real[1].backward().get(w).toDoubleArray(), 1e-12);
            assertEquals(null, Gan.realScores(d, x, 0)[1]);
        }
    }

    @Test
    void badOptionsAreRejectedWithTheOptionNamed() {
        assertMessage(new Vae(), "vae: --latent 0 must be at least 1", "--latent", "0");
        assertMessage(new Gan(), "gan: --lr -0.1 must be a positive number", "--lr", "-0.1");
        assertMessage(new Vae(), "vae: unknown --variant 'cube'; expected standard or plane", "--variant", "cube");
        assertMessage(new Gan(), "gan: --d-skip 1 must be 0 (never skip) or at least 2", "--d-skip", "1");
        assertMessage(new WganGp(), "wgan-gp: --critic-steps 0 must be at least 1", "--critic-steps", "0");
        assertMessage(new Dcgan(), "dcgan: --ema 1.0 must be in [0, 1) (0: no average)", "--ema", "1");
        assertMessage(new Vae(), "vae: --ema 0.9 must be 0: the VAE samples with its trained decoder", "--ema", "0.9");
        assertMessage(new Dcgan(), "dcgan: --init normal must be pytorch or radford", "--init", "normal");
        assertMessage(new Gan(), "gan: --label-smoothing 0.5 must be in [0, 0.5)", "--label-smoothing", "0.5");
        assertMessage(new Dcgan(), "dcgan: --d-lr 0.0 must be a positive number", "--d-lr", "0");
        assertMessage(new Dcgan(), "dcgan: --r1 -1.0 must be 0 or a positive number", "--r1", "-1");
    }

    @Test
    void theDiscriminatorsLearningRateIsItsOwnWithDLrAndDecaysWithTheGenerators() {
        Gan g = new Gan();
        new CommandLine(g).parseArgs("--lr", "1e-4", "--d-lr", "4e-4", "--lr-decay", "0.5");
        g.build(new Random(1));
        g.startEpoch(2);
        assertEquals(1e-4 * 0.25, g.gOpt.lr(), 1e-18);
        assertEquals(4e-4 * 0.25, g.dOpt.lr(), 1e-18);
        Gan same = new Gan();
        new CommandLine(same).parseArgs("--lr", "3e-4");
        same.build(new Random(1));
        assertEquals(3e-4, same.dOpt.lr(), 0, "without --d-lr the discriminator takes --lr");
    }

    @Test
    void dcgansRadfordInitialisationDrawsConvolutionWeightsFromN0And002() {
        Dcgan d = new Dcgan();
        new CommandLine(d).parseArgs("--init", "radford");
        for (Module m : new Module[] {d.generator(new Random(3)), d.discriminator(new Random(4))})
            m.namedParameters().forEach((name, p) -> {
                double[] v = p.value().toDoubleArray();
                double mean = java.util.Arrays.stream(v).average().orElseThrow();
                double sd = Math.sqrt(java.util.Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / v.length);
                if (p.shape().length == 4) {   // a convolution's weight
                    assertEquals(0, mean, 5 * 0.02 / Math.sqrt(v.length), name);
                    assertEquals(0.02, sd, 0.02 * 5 / Math.sqrt(2.0 * v.length) + 1e-4, name);
                } else if (name.endsWith("weight")) assertEquals(1, mean, 5 * 0.02 / Math.sqrt(v.length), name + " (batch-norm scale)");
                else if (m.children().get(name.substring(0, name.indexOf('.'))) instanceof dev.tapegrad.nn.BatchNorm2d)
                    assertEquals(0, sd + Math.abs(mean), 0, name + " (batch-norm shift)");
            });
    }

    private static void assertMessage(GenerativeExample e, String expected, String... args) {
        new CommandLine(e).parseArgs(args);
        var ex = assertThrows(IllegalArgumentException.class, e::run);
        assertEquals(expected, ex.getMessage());
    }

    /** Runs {@code e} on {@code limit} images for 2 epochs and checks its outputs. */
    private GenerativeExample.Result smoke(GenerativeExample e, int limit, String... extra) throws Exception {
        ExamplesSmokeTest.assumeData("mnist");
        List<String> args = new java.util.ArrayList<>(List.of("--limit", Integer.toString(limit), "--epochs", "2", "--samples", "64", "--classifier", classifier.toString(),
                "--out", out.toString()));
        args.addAll(List.of(extra));
        new CommandLine(e).parseArgs(args.toArray(String[]::new));
        GenerativeExample.Result r = e.run();
        for (String f : List.of("epoch-01.png", "epoch-02.png", "training.gif", "loss.png", "samples.safetensors"))
            assertTrue(Files.exists(out.resolve(f)), f + " missing");
        Tensor s = Safetensors.load(out.resolve("samples.safetensors")).tensors().get("samples");
        assertArrayEquals(new int[] {64, 1, 28, 28}, s.shape());
        assertEquals(DType.FLOAT32, s.dtype());
        assertTrue(s.min().item() >= 0 && s.max().item() <= 1);
        SampleQuality.Scores q = r.scores();
        assertTrue(q.confidence() > 0 && q.confidence() <= 1 && q.classEntropy() >= 0 && q.classEntropy() <= Math.log(10) + 1e-9
                && Double.isFinite(q.frechetDistance()) && q.frechetFloor() >= 0, q.toString());
        return r;
    }

    private static double[] losses(GenerativeExample.Result r, String name) {
        return r.losses().get(name).stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    void vaeLowersItsLossAndDrawsTheLatentPlane() throws Exception {
        GenerativeExample.Result r = smoke(new Vae(), 256, "--variant", "plane", "--batch-size", "32");
        double[] l = losses(r, "loss");
        assertTrue(l[l.length - 1] < l[0] * 0.8, "vae loss " + l[0] + " -> " + l[l.length - 1]);
        assertTrue(r.extra().get("test_loss") < l[0], r.extra().toString());
        assertTrue(Files.exists(out.resolve("latent-walk.png")) && Files.exists(out.resolve("latent-scatter.png")));
    }

    @Test
    void ganTrainsBothNetworksAndSkipsEveryThirdDiscriminatorUpdate() throws Exception {
        GenerativeExample.Result r = smoke(new Gan(), 256);
        int iterations = 2 * (256 / 64);
        assertEquals(iterations, r.losses().get("generator").size());
        assertEquals(iterations - iterations / 3, r.losses().get("discriminator").size());
        for (double v : losses(r, "discriminator")) assertTrue(Double.isFinite(v) && v > 0);
    }

    @Test
    void dcganRunsOnASliceAndSamplesFromTheGeneratorsAverage() throws Exception {
        Dcgan d = new Dcgan();
        GenerativeExample.Result r = smoke(d, 128, "--batch-size", "32", "--ema", "0.99");
        assertEquals(r.losses().get("generator").size(), r.losses().get("discriminator").size());
        assertEquals(r.losses().get("generator").size(), d.average.updates(), "one average update per generator update");
        assertSame(d.average.average(), d.sampler(d.generator));
    }

    @Test
    void wganGpUpdatesTheGeneratorEveryFifthIteration() throws Exception {
        GenerativeExample.Result r = smoke(new WganGp(), 160, "--batch-size", "16");
        assertEquals(20, r.losses().get("critic").size());
        assertEquals(4, r.losses().get("generator").size());
    }

    @Test
    void theSampleQualityToolScoresRealImagesAsConfidentAndEven() {
        ExamplesSmokeTest.assumeData("mnist");
        TensorDataset test = Datasets.mnist(false, false);
        SampleQuality q = SampleQuality.forMnist(classifier, DataFiles.dir("mnist"));
        SampleQuality.Scores real = q.score(test.inputs().slice(0, 2000, 2500)), noise = q.score(Tensor.rand(new Random(1), 500, 1, 28, 28));
        assertTrue(real.classEntropy() > 2.0 && real.frechetDistance() < noise.frechetDistance(), real + " vs noise " + noise);
        SampleQuality.BatchScores batch = q.scoreBatch(test.inputs().slice(0, 2000, 2500));
        assertEquals(real.confidence(), batch.confidence(), 0, "the per-epoch figures are the RESULT's, without the Fréchet distance");
        assertEquals(real.classEntropy(), batch.classEntropy(), 0);
    }

    @Test
    void theSampleQualityToolScoresTheSamplesOfAFile() throws Exception {
        ExamplesSmokeTest.assumeData("mnist");
        Tensor images = Datasets.mnist(false, false).inputs().slice(0, 0, 300);
        Path file = out.resolve("samples.safetensors"), other = out.resolve("other.safetensors");
        Safetensors.save(file, Map.of("samples", images));
        Safetensors.save(other, Map.of("images", images));
        SampleQuality.Scores want = SampleQuality.forMnist(classifier, DataFiles.dir("mnist")).score(images);
        java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stdout = System.out;
        System.setOut(new java.io.PrintStream(text, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertEquals(0, new CommandLine(new SampleQuality.Tool()).execute("--classifier", classifier.toString(), "--samples", file.toString()));
        } finally {
            System.setOut(stdout);
        }
        assertTrue(text.toString(java.nio.charset.StandardCharsets.UTF_8).contains("RESULT sample-quality " + file + " " + want.result()), text.toString());
        SampleQuality.Tool tool = new SampleQuality.Tool();
        new CommandLine(tool).parseArgs("--classifier", classifier.toString(), "--samples", other.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, tool::call);
        assertTrue(e.getMessage().contains("holds no tensor named samples"), e.getMessage());
    }
}
