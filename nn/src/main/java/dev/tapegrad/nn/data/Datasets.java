package dev.tapegrad.nn.data;

import dev.tapegrad.autodiff.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The classic data sets, loaded from a directory after checking the files' MD5s (see {@link DataFiles}
 * for where the directory is by default). Images come as FLOAT32 in {@code [0, 1]}, {@code [N, 784]} (flat)
 * or {@code [N, 1, 28, 28]}; class labels as FLOAT32 integral values {@code [N]}.
 */
public final class Datasets {
    private Datasets() {}

    private static final Map<String, String> MNIST = Map.of(
            "train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873", "train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432",
            "t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3", "t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c");
    private static final Map<String, String> FASHION = Map.of(
            "train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d", "train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe",
            "t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79", "t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310");

    /** MNIST from {@code dir}: the 60,000 training or the 10,000 test images, flat {@code [N, 784]} when {@code flat}. */
    public static TensorDataset mnist(Path dir, boolean train, boolean flat) { return idxImages(dir, MNIST, train, flat); }

    /** MNIST from the default directory. */
    public static TensorDataset mnist(boolean train, boolean flat) { return mnist(DataFiles.dir("mnist"), train, flat); }

    /** Fashion-MNIST from {@code dir}, as {@link #mnist}. */
    public static TensorDataset fashionMnist(Path dir, boolean train, boolean flat) { return idxImages(dir, FASHION, train, flat); }

    public static TensorDataset fashionMnist(boolean train, boolean flat) { return fashionMnist(DataFiles.dir("fashion-mnist"), train, flat); }

    private static TensorDataset idxImages(Path dir, Map<String, String> md5, boolean train, boolean flat) {
        String prefix = train ? "train" : "t10k";
        Map<String, String> wanted = new LinkedHashMap<>();
        wanted.put(prefix + "-images-idx3-ubyte.gz", md5.get(prefix + "-images-idx3-ubyte.gz"));
        wanted.put(prefix + "-labels-idx1-ubyte.gz", md5.get(prefix + "-labels-idx1-ubyte.gz"));
        DataFiles.verify(dir, wanted);
        return fromIdx(dir.resolve(prefix + "-images-idx3-ubyte.gz"), dir.resolve(prefix + "-labels-idx1-ubyte.gz"), flat);
    }

    /** Images {@code [N, H, W]} of bytes and labels {@code [N]} (class indices: integers from 0) from two IDX files, images scaled to {@code [0, 1]}. */
    public static TensorDataset fromIdx(Path images, Path labels, boolean flat) {
        Idx.Array im = Idx.read(images), lb = Idx.read(labels);
        if (im.shape().length != 3 || lb.shape().length != 1 || im.shape()[0] != lb.shape()[0])
            throw new IllegalStateException("Datasets: images " + images + " " + java.util.Arrays.toString(im.shape()) + " and labels " + labels + " "
                    + java.util.Arrays.toString(lb.shape()) + " do not match ([N, H, W] and [N])");
        float[] y = lb.values(), v = im.values();
        for (int i = 0; i < y.length; i++)
            if (!(y[i] >= 0 && y[i] == Math.rint(y[i]) && y[i] <= Integer.MAX_VALUE))
                throw new IllegalStateException("Datasets: labels " + labels + " hold " + y[i] + " at position " + i + ", not a class index (an integer >= 0)");
        for (int i = 0; i < v.length; i++) v[i] /= 255f;
        int n = im.shape()[0], h = im.shape()[1], w = im.shape()[2];
        Tensor x = flat ? Tensor.of(v, n, h * w) : Tensor.of(v, n, 1, h, w);
        return new TensorDataset(x, Tensor.of(y, n));
    }

    /** UCI Iris ({@code bezdekIris.data}, the corrected version): 150 x 4 features, labels 0..2 (setosa, versicolor, virginica). */
    public static TensorDataset iris(Path dir) {
        DataFiles.verify(dir, Map.of("bezdekIris.data", "7352471c39afdf2dad640df6dd867b72"));
        Path f = dir.resolve("bezdekIris.data");
        List<String[]> rows = Csv.read(f);
        List<String> classes = new ArrayList<>();
        float[] x = new float[rows.size() * 4], y = new float[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < 4; j++) x[i * 4 + j] = Csv.number(f, i, j, rows.get(i)[j]);
            String c = rows.get(i)[4];
            if (!classes.contains(c)) classes.add(c);
            y[i] = classes.indexOf(c);
        }
        return new TensorDataset(Tensor.of(x, rows.size(), 4), Tensor.of(y, rows.size()));
    }

    public static TensorDataset iris() { return iris(DataFiles.dir("iris")); }

    private static final Map<String, String> CIFAR10 = Map.of(
            "cifar-10-batches-bin/data_batch_1.bin", "5dd7e06a14cb22eb9f671a540d1b7c25", "cifar-10-batches-bin/data_batch_2.bin", "5ea93a67294ea407fff1d09f752e9692",
            "cifar-10-batches-bin/data_batch_3.bin", "942cd6a4bcdd0dd3c604fbe906cb4421", "cifar-10-batches-bin/data_batch_4.bin", "ae636b3ba5c66a11e91e8cb52e771fcb",
            "cifar-10-batches-bin/data_batch_5.bin", "53f37980c15c3d472c316c40844f3f0d", "test_batch_first1000.bin", "371f65da31ad652f5e24b3699a3e6515");

    /**
     * CIFAR-10 (binary version) from {@code dir}: the named files (e.g. {@code cifar-10-batches-bin/data_batch_1.bin},
     * or {@code test_batch_first1000.bin}, the first 1,000 test images) concatenated; images {@code [N, 3, 32, 32]}
     * in [0, 1], labels 0..9. Each record is one label byte then 1,024 red, green and blue bytes.
     */
    public static TensorDataset cifar10(Path dir, String... files) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (String f : files) {
            String md5 = CIFAR10.get(f);
            if (md5 == null) throw new IllegalArgumentException("cifar10: unknown file " + f + " (known: " + CIFAR10.keySet() + ")");
            wanted.put(f, md5);
        }
        DataFiles.verify(dir, wanted);
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (String f : files) {
            try {
                all.writeBytes(java.nio.file.Files.readAllBytes(dir.resolve(f)));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cifar10: cannot read " + dir.resolve(f), e);
            }
        }
        byte[] b = all.toByteArray();
        int record = 1 + 3 * 32 * 32, n = b.length / record;
        if (b.length % record != 0) throw new IllegalStateException("cifar10: " + b.length + " bytes are not whole records of " + record);
        float[] x = new float[n * 3072], y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = b[i * record] & 0xff;
            for (int j = 0; j < 3072; j++) x[i * 3072 + j] = (b[i * record + 1 + j] & 0xff) / 255f;
        }
        return new TensorDataset(Tensor.of(x, n, 3, 32, 32), Tensor.of(y, n));
    }

    /** UCI optical digits: 64 features in 0..16 (scaled to [0, 1]) and labels 0..9; 3,823 training or 1,797 test rows. */
    public static TensorDataset optdigits(Path dir, boolean train) {
        String name = train ? "optdigits.tra" : "optdigits.tes";
        DataFiles.verify(dir, Map.of(name, train ? "268ce7771f3f15afbc54402478b1d454" : "a0339c30a8a5312a1b6f9e5c719dcce5"));
        Path f = dir.resolve(name);
        List<String[]> rows = Csv.read(f);
        float[] x = new float[rows.size() * 64], y = new float[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < 64; j++) x[i * 64 + j] = Csv.number(f, i, j, rows.get(i)[j]) / 16f;
            y[i] = Csv.number(f, i, 64, rows.get(i)[64]);
        }
        return new TensorDataset(Tensor.of(x, rows.size(), 64), Tensor.of(y, rows.size()));
    }

    public static TensorDataset optdigits(boolean train) { return optdigits(DataFiles.dir("optdigits"), train); }
}
