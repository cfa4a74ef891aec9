package dev.tapegrad.examples;

import dev.tapegrad.nn.data.Standardizer;
import dev.tapegrad.nn.data.TensorDataset;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options and data preparation shared by the image classifiers (mnist-mlp, mnist-cnn and their Fashion variants); a picocli mixin. */
final class ImageTraining {
    @Option(names = "--batch-size", defaultValue = "64", description = "batch size (default ${DEFAULT-VALUE})")
    int batchSize;
    @Option(names = "--lr", defaultValue = "1e-3", description = "initial Adam learning rate (default ${DEFAULT-VALUE})")
    double lr;
    @Option(names = "--seed", defaultValue = "1", description = "seed of initialisation, dropout, augmentation and shuffling (default ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--limit", defaultValue = "0", description = "use only the first N training and N/6 test images (0: all)")
    int limit;
    @Option(names = "--data", description = "data directory (default: ../shared/data/<set> or the per-user data directory)")
    Path data;
    @Option(names = "--out", description = "folder for the pictures (default out/<name>)")
    Path out;

    /** The training and test sets cut to {@code --limit}, normalised with the training pixels' mean and deviation. */
    TensorDataset[] prepare(String name, TensorDataset train, TensorDataset test) {
        if (limit > 0) {
            train = train.slice(0, Math.min(limit, train.size()));
            test = test.slice(0, Math.min(Math.max(limit / 6, 1), test.size()));
        }
        double mean = train.inputs().mean().item(), std = train.inputs().sub(mean).square().mean().sqrt().item();
        System.out.printf("%s: %d training and %d test images, pixel mean %.4f std %.4f%n", name, train.size(), test.size(), mean, std);
        return new TensorDataset[] {new TensorDataset(Standardizer.normalize(train.inputs(), mean, std), train.targets()),
                new TensorDataset(Standardizer.normalize(test.inputs(), mean, std), test.targets())};
    }

    Path outDir(String name) { return out != null ? out : Path.of("out", name); }
}
