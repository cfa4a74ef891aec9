package dev.tapegrad.examples;

import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.Module;
import dev.tapegrad.nn.data.DataFiles;
import dev.tapegrad.nn.data.DataLoader;
import dev.tapegrad.nn.data.Datasets;
import dev.tapegrad.nn.data.TensorDataset;
import dev.tapegrad.nn.io.Safetensors;
import dev.tapegrad.nn.train.ExponentialMovingAverage;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/**
 * The loop shared by the generative examples ({@code gan}, {@code dcgan}, {@code wgan-gp}, {@code vae}):
 * MNIST images {@code [N, 1, 28, 28]} in [0, 1] in shuffled batches to {@link #step}, and per epoch a
 * 10x10 grid of samples from one fixed noise batch ({@code epoch-NN.png}) and that batch's confidence and class entropy
 * ({@link SampleQuality#scoreBatch}; 100 samples, so a trend, not the RESULT's figures), with a mode-collapse warning when
 * the class entropy of that batch falls below 1.5 nats. At the end: {@code training.gif} (the grids over
 * training), {@code loss.png} (every loss per iteration), {@code samples.safetensors} (one tensor
 * {@code samples}, {@code [1000, 1, 28, 28]} FLOAT32 in [0, 1], from a fixed seed), and a RESULT line with
 * the {@link SampleQuality} scores of those samples and the training time. With {@code --ema} the grids and
 * samples come from an exponential moving average of the generator's weights ({@link ExponentialMovingAverage}).
 */
abstract class GenerativeExample implements Callable<Integer> {
    @Option(names = "--epochs", description = "epochs (default: the example's)")
    Integer epochs;
    @Option(names = "--batch-size", description = "batch size (default: the example's)")
    Integer batchSize;
    @Option(names = "--lr", description = "learning rate (default: the example's)")
    Double lr;
    @Option(names = "--latent", description = "size of the noise / latent vector (default: the example's)")
    Integer latent;
    @Option(names = "--seed", defaultValue = "1", description = "seed of initialisation, noise and shuffling (default ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--limit", defaultValue = "0", description = "train on the first N images only (0: all 60,000)")
    int limit;
    @Option(names = "--samples", defaultValue = "1000", description = "samples written and scored (default ${DEFAULT-VALUE})")
    int samples;
    @Option(names = "--classifier", description = "the scoring classifier, trained and cached there if absent (default out/sample-quality/mnist-cnn.safetensors)")
    Path classifier;
    @Option(names = "--data", description = "MNIST directory (default ../shared/data/mnist)")
    Path data;
    @Option(names = "--out", description = "folder for the pictures (default out/<name>)")
    Path out;
    @Option(names = "--ema", description = "decay of an exponential moving average of the generator's weights (with TensorFlow's warm-up), which then makes the grids and samples (0: the last weights; default: the example's)")
    Double ema;

    /** The generator's weight average, when {@link #ema()} is positive (set by {@link #averageGenerator}). */
    ExponentialMovingAverage average;

    /** Mode collapse is reported when the fixed batch's class entropy falls below this (nats). */
    static final double COLLAPSE_ENTROPY = 1.5;

    /** Defaults of one example. */
    record Defaults(int epochs, int batchSize, double lr, int latent) {}

    /** What a run measured. */
    record Result(SampleQuality.Scores scores, Map<String, List<Double>> losses, double seconds, Map<String, Double> extra) {}

    abstract String name();

    abstract Defaults defaults();

    /** Builds the networks and optimizers (called once, after the options are checked). */
    abstract void build(Random random);

    /** Called at the start of each epoch (0-based), e.g. for learning-rate decay. */
    void startEpoch(int epoch) {}

    /** One training iteration (0-based count over the run) on real images {@code [B, 1, 28, 28]} in [0, 1]; returns its losses by name. */
    abstract Map<String, Double> step(Tensor real, long iteration, Random random);

    /** A batch of {@code n} noise (or latent) inputs of the generator. */
    abstract Tensor noise(Random random, int n);

    /** The generator's images {@code [n, 1, 28, 28]} in [0, 1] for {@code noise} (no recording needed). */
    abstract Tensor generate(Tensor noise);

    /** Extra figures for the RESULT line, and extra pictures in {@code dir}, after training. */
    Map<String, Double> finish(TensorDataset test, Path dir) throws Exception { return Map.of(); }

    int epochs() { return epochs != null ? epochs : defaults().epochs(); }

    int batchSize() { return batchSize != null ? batchSize : defaults().batchSize(); }

    double lr() { return lr != null ? lr : defaults().lr(); }

    int latent() { return latent != null ? latent : defaults().latent(); }

    double ema() { return ema != null ? ema : defaultEma(); }

    /** The example's {@code --ema} default (0: none). */
    double defaultEma() { return 0; }

    /** Keeps an average of {@code generator} in a module from {@code copy} (same architecture) when {@link #ema()} is positive. */
    void averageGenerator(Module generator, java.util.function.Supplier<Module> copy) {
        if (ema() > 0) average = new ExponentialMovingAverage(generator, copy.get(), ema(), true);
    }

    /** Folds the generator's weights into the average, if any (after each generator update, outside the tape). */
    void updateAverage() { if (average != null) average.update(); }

    /** The module that samples: the average when there is one, else {@code generator}. */
    Module sampler(Module generator) { return average != null && average.updates() > 0 ? average.average() : generator; }

    /** Rejects options no run can use, naming the option and its value. */
    void checkOptions() {
        check(epochs() >= 1, "--epochs", epochs(), "at least 1");
        check(batchSize() >= 1, "--batch-size", batchSize(), "at least 1");
        check(lr() > 0 && Double.isFinite(lr()), "--lr", lr(), "a positive number");
        check(latent() >= 1, "--latent", latent(), "at least 1");
        check(samples >= 2, "--samples", samples, "at least 2 (for a covariance)");
        check(limit >= 0, "--limit", limit, "0 (all) or positive");
        check(ema() >= 0 && ema() < 1, "--ema", ema(), "in [0, 1) (0: no average)");
    }

    /** Throws {@code "<name>: <option> <value> must be <rule>"} unless {@code ok}. */
    void check(boolean ok, String option, Object value, String rule) {
        if (!ok) throw new IllegalArgumentException(name() + ": " + option + " " + value + " must be " + rule);
    }

    @Override
    public Integer call() throws Exception {
        Result r = run();
        StringBuilder line = new StringBuilder("RESULT " + name() + " " + r.scores().result());
        r.extra().forEach((k, v) -> line.append(String.format(" %s=%.2f", k, v)));
        System.out.println(line.append(String.format(" epochs=%d train_seconds=%.0f", epochs(), r.seconds())));
        return 0;
    }

    Result run() throws Exception {
        checkOptions();
        Path dataDir = data != null ? data : DataFiles.dir("mnist"), dir = out != null ? out : Path.of("out", name());
        TensorDataset train = Datasets.mnist(dataDir, true, false), test = Datasets.mnist(dataDir, false, false);
        if (limit > 0) train = train.slice(0, Math.min(limit, train.size()));
        SampleQuality quality = SampleQuality.forMnist(classifier != null ? classifier : SampleQuality.DEFAULT_CLASSIFIER, dataDir);
        System.out.printf("%s: %d training images, %d epochs, batch %d, lr %g, latent %d%n", name(), train.size(), epochs(), batchSize(), lr(), latent());
        Random random = new Random(seed);
        build(random);
        Tensor fixed = noise(new Random(seed + 1), 100);
        Map<String, List<Double>> losses = new LinkedHashMap<>();
        List<BufferedImage> frames = new ArrayList<>();
        long iteration = 0, start = System.nanoTime();
        double seconds = 0;
        for (int epoch = 0; epoch < epochs(); epoch++) {
            startEpoch(epoch);
            Map<String, double[]> sums = new LinkedHashMap<>();   // per loss: {sum, count} (a skipped update records nothing)
            for (DataLoader.Batch b : new DataLoader(train, batchSize(), random, false)) {
                for (Map.Entry<String, Double> e : step(b.inputs(), iteration++, random).entrySet()) {
                    losses.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
                    double[] sc = sums.computeIfAbsent(e.getKey(), k -> new double[2]);
                    sc[0] += e.getValue();
                    sc[1]++;
                }
            }
            seconds = (System.nanoTime() - start) / 1e9;
            Tensor grid = generate(fixed);
            SampleQuality.BatchScores batch = quality.scoreBatch(grid);
            double entropy = batch.classEntropy();
            StringBuilder msg = new StringBuilder(String.format("epoch %d/%d", epoch + 1, epochs()));
            for (Map.Entry<String, double[]> e : sums.entrySet()) msg.append(String.format(" %s=%.4f", e.getKey(), e.getValue()[0] / e.getValue()[1]));
            System.out.println(msg.append(String.format(" fixed_batch_confidence=%.4f fixed_batch_class_entropy=%.3f %.0fs", batch.confidence(), entropy, seconds)));
            if (entropy < COLLAPSE_ENTROPY)
                System.out.printf("%s: WARNING mode collapse? the fixed noise batch covers few classes (entropy %.3f < %.1f nats)%n", name(), entropy, COLLAPSE_ENTROPY);
            BufferedImage frame = Images.grid(grid.reshape(100, 28, 28), 10, 2, 0, 1);
            Images.label(frame, "epoch " + (epoch + 1), java.awt.Color.ORANGE);
            Images.png(frame, dir.resolve(String.format("epoch-%02d.png", epoch + 1)));
            frames.add(frame);
        }
        Images.gif(frames, 500, dir.resolve("training.gif"));
        Plots.lossCurves(losses, name(), dir.resolve("loss.png"));
        Tensor generated = generate(noise(new Random(seed + 2), samples)).to(dev.tapegrad.autodiff.DType.FLOAT32);
        Safetensors.save(dir.resolve("samples.safetensors"), Map.of("samples", generated));
        SampleQuality.Scores scores = quality.score(generated);
        System.out.println("predicted classes of the samples: " + java.util.Arrays.toString(scores.classCounts()));
        Map<String, Double> extra = finish(test, dir);
        System.out.println("pictures in " + dir);
        return new Result(scores, losses, seconds, extra);
    }

    /** {@code (G(z) + 1) / 2} of a tanh generator, in eval mode (batch norm's running statistics), as images {@code [n, 1, 28, 28]}. */
    static Tensor imagesOf(Module generator, Tensor z) {
        generator.eval();
        try {
            return paused(() -> generator.forward(z).add(1).mul(0.5).reshape(z.size(0), 1, 28, 28));
        } finally {
            generator.train();
        }
    }

    /** {@code f} evaluated without recording (sampling, evaluation). */
    static Tensor paused(java.util.function.Supplier<Tensor> f) {
        try (GradientTape.Pause p = GradientTape.pause()) {
            return f.get().detach();
        }
    }
}
