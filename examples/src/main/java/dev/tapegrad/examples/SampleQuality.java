package dev.tapegrad.examples;

import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Shape;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.Sequential;
import dev.tapegrad.nn.data.Datasets;
import dev.tapegrad.nn.data.Standardizer;
import dev.tapegrad.nn.data.TensorDataset;
import dev.tapegrad.nn.io.Safetensors;
import dev.tapegrad.nn.train.FitOptions;
import dev.tapegrad.nn.train.LearningRateScheduler;
import dev.tapegrad.nn.train.Loss;
import dev.tapegrad.nn.train.Metric;
import dev.tapegrad.nn.train.Model;
import dev.tapegrad.optim.Adam;
import dev.tapegrad.optim.LrSchedule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How good generated MNIST digits are, judged by a frozen classifier (the CNN of {@code mnist-cnn}, see
 * {@link MnistCnn#network}). For images {@code [N, 1, 28, 28]} in [0, 1] it reports
 * <ul>
 * <li>{@code confidence}: the mean over images of the classifier's highest softmax probability (real test
 *     digits score about 0.99; blurred or nonsense digits score lower);</li>
 * <li>{@code class_entropy}: the entropy {@code -sum_c p_c ln p_c} in nats of the histogram {@code p} of the
 *     predicted classes ({@code ln 10 = 2.303} for an even spread; mode collapse shows as a low value);</li>
 * <li>{@code frechet_distance}: as in FID (Heusel et al. 2017), the squared Fréchet distance
 *     {@code |mu_1 - mu_2|^2 + tr(S_1) + tr(S_2) - 2 tr((S_1^(1/2) S_2 S_1^(1/2))^(1/2))} between Gaussian
 *     fits (mean, unbiased covariance) of the classifier's penultimate-layer features (the 128 ReLU outputs
 *     before the last dropout and dense layer) for the images and for a reference set of real test images;
 *     {@code frechet_floor} is the same distance between two disjoint real sets of the same size, the value
 *     a perfect generator would reach with this many images.</li>
 * </ul>
 * The classifier reads pixels normalised with MNIST's training mean 0.1307 and deviation 0.3081, as
 * {@code mnist-cnn} does. It is trained once by {@link #forMnist} with a fixed seed and cached as
 * safetensors; the matrix square roots come from EJML's symmetric eigendecomposition.
 */
public final class SampleQuality {
    /** MNIST's training pixel mean and deviation, the normalisation the classifier was trained with. */
    public static final double MEAN = 0.1307, STD = 0.3081;
    /** Where {@link #forMnist} caches the classifier unless told otherwise. */
    public static final Path DEFAULT_CLASSIFIER = Path.of("out", "sample-quality", "mnist-cnn.safetensors");
    /** Index of the penultimate layer (the ReLU after the 3136-128 dense layer) in {@link MnistCnn#network}. */
    private static final int FEATURE_LAYER = 11;

    private final Sequential classifier;
    private final Gaussian reference;
    private final double floor;

    /** Scores of one set of images; {@code classCounts[c]} is how many were classified as digit c. */
    public record Scores(double confidence, double classEntropy, double frechetDistance, double frechetFloor, int[] classCounts) {
        /** The figures in the RESULT-line format {@code confidence=... class_entropy=... frechet_distance=... frechet_floor=...}. */
        public String result() {
            return String.format("confidence=%.4f class_entropy=%.4f frechet_distance=%.2f frechet_floor=%.2f", confidence, classEntropy, frechetDistance, frechetFloor);
        }
    }

    /** Mean {@code [d]} and covariance {@code [d, d]} of a Gaussian. */
    record Gaussian(double[] mean, DMatrixRMaj cov) {}

    /**
     * A scorer with a trained {@code classifier} (the {@code mnist-cnn} layout, put in eval mode here) and
     * two disjoint sets of real images {@code [n, 1, 28, 28]} in [0, 1]: {@code reference} is what samples
     * are compared with, {@code other} only gives the floor.
     */
    public SampleQuality(Sequential classifier, Tensor reference, Tensor other) {
        this.classifier = classifier;
        classifier.eval();
        this.reference = gaussian(features(reference));
        this.floor = frechetDistance(this.reference, gaussian(features(other)));
    }

    /**
     * The scorer for MNIST: loads the classifier from {@code file}, or, if absent, trains it (3 epochs of
     * {@link #trainClassifier} on the 60,000 training images, seed 1, at least 99 % test accuracy expected)
     * and saves it there. The reference set is test images 0-999, the floor's second set 1000-1999.
     */
    public static SampleQuality forMnist(Path file, Path dataDir) {
        TensorDataset test = Datasets.mnist(dataDir, false, false);
        Sequential net = new MnistCnn().network(new Random(1));
        if (Files.exists(file)) {
            Safetensors.Contents c = Safetensors.load(file);
            net.loadStateDict(c.tensors());
            System.out.println("sample quality: classifier " + file + " (test accuracy " + c.metadata().getOrDefault("test_accuracy", "?") + ")");
        } else {
            System.out.println("sample quality: training the mnist-cnn classifier once (3 epochs), cached as " + file);
            double accuracy = trainClassifier(net, Datasets.mnist(dataDir, true, false), test, 3, 1);
            if (accuracy < 0.99) System.out.printf("sample quality: WARNING the classifier reaches only %.4f test accuracy%n", accuracy);
            save(file, net, accuracy);
        }
        return new SampleQuality(net, test.inputs().slice(0, 0, 1000), test.inputs().slice(0, 1000, 2000));
    }

    /** Saves a trained classifier where {@link #forMnist} looks for it, with its test accuracy as metadata. */
    public static void save(Path file, Sequential net, double testAccuracy) {
        Safetensors.save(file, net.stateDict(), Map.of("format", "pt", "test_accuracy", String.format("%.4f", testAccuracy)));
    }

    /**
     * Trains {@code net} (the {@code mnist-cnn} layout) on {@code train} for {@code epochs} (Adam 1e-3 with
     * cosine decay, batch 64, shuffled with {@code seed}) and returns its accuracy on {@code test}.
     */
    public static double trainClassifier(Sequential net, TensorDataset train, TensorDataset test, int epochs, long seed) {
        Model model = Model.compile(net, new Adam(net.parameters(), 1e-3), Loss.crossEntropy(), Metric.accuracy());
        model.fit(normalized(train), FitOptions.epochs(epochs).batchSize(64).seed(seed).callbacks(new LearningRateScheduler(LrSchedule.cosine(epochs, 0))));
        double accuracy = model.evaluate(normalized(test), 500).get("accuracy");
        net.eval();
        return accuracy;
    }

    private static TensorDataset normalized(TensorDataset d) { return new TensorDataset(Standardizer.normalize(d.inputs(), MEAN, STD), d.targets()); }

    /** Scores {@code images} {@code [N, 1, 28, 28]} in [0, 1] (N of at least 2 for the covariance). */
    public Scores score(Tensor images) {
        Tensor[] out = outputs(images);
        Tensor probs = out[1].softmax(1);
        int[] counts = classCounts(probs);
        return new Scores(confidence(probs), entropy(counts), frechetDistance(gaussian(out[0]), reference), floor, counts);
    }

    /** The confidence and the class entropy (nats) of {@code images} alone, as {@link #score} gives them (cheap: no Fréchet distance). */
    public record BatchScores(double confidence, double classEntropy) {}

    /** {@link BatchScores} of {@code images} {@code [N, 1, 28, 28]} in [0, 1], as for a training run's fixed noise batch after each epoch. */
    public BatchScores scoreBatch(Tensor images) {
        Tensor probs = outputs(images)[1].softmax(1);
        return new BatchScores(confidence(probs), entropy(classCounts(probs)));
    }

    /** The distance between the real reference set and a second real set of the same size. */
    public double floor() { return floor; }

    private Tensor features(Tensor images) { return outputs(images)[0]; }

    /** Penultimate features {@code [N, 128]} and logits {@code [N, 10]}, in batches of 500, without recording. */
    private Tensor[] outputs(Tensor images) {
        if (images.rank() != 4 || images.size(1) != 1 || images.size(2) != 28 || images.size(3) != 28)
            throw new IllegalArgumentException("SampleQuality: expected images [N, 1, 28, 28], got " + Shape.str(images.shape()));
        int n = images.size(0);
        Tensor[] feats = new Tensor[(n + 499) / 500], logits = new Tensor[feats.length];
        try (GradientTape.Pause pause = GradientTape.pause()) {
            for (int b = 0; b < feats.length; b++) {
                Tensor x = Standardizer.normalize(images.slice(0, b * 500, Math.min(n, b * 500 + 500)).detach(), MEAN, STD);
                for (int i = 0; i <= FEATURE_LAYER; i++) x = classifier.get(i).forward(x);
                feats[b] = x;
                for (int i = FEATURE_LAYER + 1; i < classifier.size(); i++) x = classifier.get(i).forward(x);
                logits[b] = x;
            }
        }
        return new Tensor[] {Tensor.cat(0, feats), Tensor.cat(0, logits)};
    }

    private static int[] classCounts(Tensor probs) {
        int[] counts = new int[probs.size(1)];
        for (int c : probs.argmax(1).toIntArray()) counts[c]++;
        return counts;
    }

    /** Mean over rows of the largest probability of {@code probs} {@code [N, C]}. */
    static double confidence(Tensor probs) { return probs.max(1, false).mean().item(); }

    /** Entropy {@code -sum_c p_c ln p_c} (nats) of the histogram {@code counts}, with {@code 0 ln 0 = 0}. */
    static double entropy(int[] counts) {
        double total = Arrays.stream(counts).sum(), h = 0;
        if (total == 0) throw new IllegalArgumentException("SampleQuality.entropy: the histogram " + Arrays.toString(counts) + " is empty");
        for (int c : counts) if (c > 0) h -= c / total * Math.log(c / total);
        return h;
    }

    /** Mean and unbiased covariance of the rows of {@code x} {@code [n, d]}, n of at least 2. */
    static Gaussian gaussian(Tensor x) {
        int n = x.size(0), d = x.size(1);
        if (n < 2) throw new IllegalArgumentException("SampleQuality: a covariance needs at least 2 rows, got " + Shape.str(x.shape()));
        DMatrixRMaj m = new DMatrixRMaj(n, d, true, x.toDoubleArray());
        DMatrixRMaj mean = new DMatrixRMaj(1, d);
        CommonOps_DDRM.sumCols(m, mean);
        CommonOps_DDRM.divide(mean, n);
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) m.add(i, j, -mean.get(0, j));
        DMatrixRMaj cov = new DMatrixRMaj(d, d);
        CommonOps_DDRM.multTransA(m, m, cov);
        CommonOps_DDRM.divide(cov, n - 1);
        return new Gaussian(mean.getData(), cov);
    }

    static double frechetDistance(Gaussian a, Gaussian b) { return frechetDistance(a.mean(), a.cov(), b.mean(), b.cov()); }

    /**
     * {@code |mu1 - mu2|^2 + tr(s1) + tr(s2) - 2 tr(sqrt(sqrt(s1) s2 sqrt(s1)))} for symmetric positive
     * semi-definite {@code s1}, {@code s2}; {@code sqrt(s1) s2 sqrt(s1)} is symmetric and has the eigenvalues
     * of {@code s1 s2}, so the trace is the sum of the square roots of its eigenvalues (negative round-off
     * eigenvalues count as 0).
     */
    static double frechetDistance(double[] mu1, DMatrixRMaj s1, double[] mu2, DMatrixRMaj s2) {
        int d = mu1.length;
        if (mu2.length != d || s1.numRows != d || s1.numCols != d || s2.numRows != d || s2.numCols != d)
            throw new IllegalArgumentException("SampleQuality.frechetDistance: means of " + d + " and " + mu2.length + " and covariances "
                    + s1.numRows + "x" + s1.numCols + " and " + s2.numRows + "x" + s2.numCols + " do not match");
        double diff = 0;
        for (int i = 0; i < d; i++) diff += (mu1[i] - mu2[i]) * (mu1[i] - mu2[i]);
        DMatrixRMaj root = symmetricRoot(s1), tmp = new DMatrixRMaj(d, d), m = new DMatrixRMaj(d, d);
        CommonOps_DDRM.mult(root, s2, tmp);
        CommonOps_DDRM.mult(tmp, root, m);
        double traceRoot = 0;
        for (double l : eigenvalues(m)) traceRoot += Math.sqrt(Math.max(l, 0));
        return diff + CommonOps_DDRM.trace(s1) + CommonOps_DDRM.trace(s2) - 2 * traceRoot;
    }

    /** {@code V diag(sqrt(max(l, 0))) V^T} from the eigendecomposition of symmetric {@code s}. */
    private static DMatrixRMaj symmetricRoot(DMatrixRMaj s) {
        EigenDecomposition_F64<DMatrixRMaj> eig = decompose(s, true);
        int d = s.numRows;
        DMatrixRMaj root = new DMatrixRMaj(d, d);
        for (int k = 0; k < d; k++) {
            double r = Math.sqrt(Math.max(eig.getEigenvalue(k).real, 0));
            DMatrixRMaj v = eig.getEigenVector(k);
            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) root.add(i, j, r * v.get(i) * v.get(j));
        }
        return root;
    }

    private static double[] eigenvalues(DMatrixRMaj s) {
        EigenDecomposition_F64<DMatrixRMaj> eig = decompose(s, false);
        double[] l = new double[s.numRows];
        for (int k = 0; k < l.length; k++) l[k] = eig.getEigenvalue(k).real;
        return l;
    }

    /** Symmetric eigendecomposition of {@code (s + s^T) / 2} (symmetrised against round-off). */
    private static EigenDecomposition_F64<DMatrixRMaj> decompose(DMatrixRMaj s, boolean vectors) {
        DMatrixRMaj sym = new DMatrixRMaj(s.numRows, s.numCols);
        CommonOps_DDRM.transpose(s, sym);
        CommonOps_DDRM.addEquals(sym, s);
        CommonOps_DDRM.scale(0.5, sym);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(s.numRows, vectors, true);
        if (!eig.decompose(sym)) throw new IllegalStateException("SampleQuality: the eigendecomposition of a " + s.numRows + "x" + s.numCols + " covariance failed");
        return eig;
    }

    /** {@code examples/run sample-quality}: trains (or loads) the classifier and scores real test images, or with {@code --samples FILE} the samples of another generator (such as {@code examples/tools/dcgan_torch.py}). */
    @Command(name = "sample-quality", mixinStandardHelpOptions = true,
            description = "The frozen MNIST classifier that scores generated digits; trains it once and scores real test images, or the samples of a file.")
    static final class Tool implements Callable<Integer> {
        @Option(names = "--classifier", description = "classifier file, trained and saved there if absent (default out/sample-quality/mnist-cnn.safetensors)")
        Path classifier = DEFAULT_CLASSIFIER;
        @Option(names = "--data", description = "MNIST directory (default ../shared/data/mnist)")
        Path data;
        @Option(names = "--samples", description = "score the tensor `samples` ([N, 1, 28, 28] in [0, 1]) of this safetensors file, e.g. another engine's "
                + "generator (default: real test images 2000-2999)")
        Path samples;

        @Override
        public Integer call() {
            Path dir = data != null ? data : dev.tapegrad.nn.data.DataFiles.dir("mnist");
            SampleQuality q = forMnist(classifier, dir);
            if (samples != null) {
                Tensor s = Safetensors.load(samples).tensors().get("samples");
                if (s == null) throw new IllegalArgumentException("sample-quality: " + samples + " holds no tensor named samples");
                Scores scores = q.score(s);
                System.out.println("predicted classes of the samples: " + Arrays.toString(scores.classCounts()));
                System.out.println("RESULT sample-quality " + samples + " " + scores.result());
                return 0;
            }
            Scores real = q.score(Datasets.mnist(dir, false, false).inputs().slice(0, 2000, 3000));
            System.out.println("RESULT sample-quality real_test_images " + real.result());
            return 0;
        }
    }
}
