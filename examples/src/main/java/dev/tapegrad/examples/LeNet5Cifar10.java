package dev.tapegrad.examples;

import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.Conv2d;
import dev.tapegrad.nn.Flatten;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.MaxPool2d;
import dev.tapegrad.nn.ReLU;
import dev.tapegrad.nn.Sequential;
import dev.tapegrad.nn.data.Augmented;
import dev.tapegrad.nn.data.DataFiles;
import dev.tapegrad.nn.data.Datasets;
import dev.tapegrad.nn.data.TensorDataset;
import dev.tapegrad.nn.train.FitOptions;
import dev.tapegrad.nn.train.History;
import dev.tapegrad.nn.train.LearningRateScheduler;
import dev.tapegrad.nn.train.Loss;
import dev.tapegrad.nn.train.Metric;
import dev.tapegrad.nn.train.Model;
import dev.tapegrad.optim.Adam;
import dev.tapegrad.optim.LrSchedule;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * LeNet-5 (conv 3-6 5x5, max pool, conv 6-16 5x5, max pool, 400-120-84-10, ReLU) on CIFAR-10: by default
 * trained on all 50,000 training images and evaluated on the 1,000 available test images
 * ({@code test_batch_first1000.bin}); with {@code --holdout} trained on batches 1-4 and also evaluated on
 * {@code data_batch_5}. Inputs standardised per channel; random horizontal flips and shifts by up to 2
 * pixels; Adam (1e-3) with cosine decay, batch 64.
 */
@Command(name = "lenet5-cifar10", mixinStandardHelpOptions = true,
        description = "LeNet-5 on CIFAR-10 (50,000 training images); accuracy on the 1,000 available test images; target >= 60%%.")
final class LeNet5Cifar10 implements Callable<Integer> {
    @Option(names = "--epochs", defaultValue = "20", description = "epochs (default ${DEFAULT-VALUE})")
    int epochs;
    @Option(names = "--holdout", description = "train on data_batch_1..4 and report data_batch_5 as a validation set")
    boolean holdout;
    @Option(names = "--limit", defaultValue = "0", description = "use only the first N training images (0: all)")
    int limit;
    @Option(names = "--seed", defaultValue = "1", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--data", description = "CIFAR-10 directory (default ../shared/data/cifar10)")
    Path data;
    @Option(names = "--out", defaultValue = "out/lenet5-cifar10", description = "folder for the plots (default ${DEFAULT-VALUE})")
    Path out;

    record Result(double testAccuracy, double validationAccuracy, History history, double seconds, int trainImages) {}

    Result run() throws Exception {
        Path dir = data != null ? data : DataFiles.dir("cifar10");
        String[] trainFiles = holdout ? new String[] {"cifar-10-batches-bin/data_batch_1.bin", "cifar-10-batches-bin/data_batch_2.bin",
                "cifar-10-batches-bin/data_batch_3.bin", "cifar-10-batches-bin/data_batch_4.bin"}
                : new String[] {"cifar-10-batches-bin/data_batch_1.bin", "cifar-10-batches-bin/data_batch_2.bin", "cifar-10-batches-bin/data_batch_3.bin",
                "cifar-10-batches-bin/data_batch_4.bin", "cifar-10-batches-bin/data_batch_5.bin"};
        TensorDataset train = Datasets.cifar10(dir, trainFiles), test = Datasets.cifar10(dir, "test_batch_first1000.bin");
        TensorDataset validation = holdout ? Datasets.cifar10(dir, "cifar-10-batches-bin/data_batch_5.bin") : null;
        if (limit > 0) train = train.slice(0, Math.min(limit, train.size()));
        Tensor mean = train.inputs().mean(new int[] {0, 2, 3}, true), std = train.inputs().sub(mean).square().mean(new int[] {0, 2, 3}, true).sqrt();
        System.out.printf("lenet5-cifar10: %d training images, channel means %s%n", train.size(), java.util.Arrays.toString(mean.toFloatArray()));
        train = new TensorDataset(train.inputs().sub(mean).div(std), train.targets());
        test = new TensorDataset(test.inputs().sub(mean).div(std), test.targets());
        if (validation != null) validation = new TensorDataset(validation.inputs().sub(mean).div(std), validation.targets());
        Random r = new Random(seed);
        Sequential net = new Sequential(new Conv2d(3, 6, 5, r), new ReLU(), new MaxPool2d(2), new Conv2d(6, 16, 5, r), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(400, 120, r), new ReLU(), new Linear(120, 84, r), new ReLU(), new Linear(84, 10, r));
        System.out.print(net.summary(3, 32, 32));
        Model m = Model.compile(net, new Adam(net.parameters(), 1e-3), Loss.crossEntropy(), Metric.accuracy());
        var augment = Augmented.both(Augmented.randomHorizontalFlip(new Random(seed + 1)), Augmented.randomShift(2, 0, new Random(seed + 2)));
        long start = System.nanoTime();
        History h = m.fit(new Augmented(train, augment), FitOptions.epochs(epochs).batchSize(64).seed(seed).validation(validation != null ? validation : test)
                .callbacks(new LearningRateScheduler(LrSchedule.cosine(epochs, 0))));
        double seconds = (System.nanoTime() - start) / 1e9;
        Plots.history(h, "lenet5-cifar10", out);
        return new Result(m.evaluate(test, 500).get("accuracy"), validation == null ? Double.NaN : m.evaluate(validation, 500).get("accuracy"), h, seconds,
                train.size());
    }

    @Override
    public Integer call() throws Exception {
        Result r = run();
        System.out.println("plots in " + out);
        System.out.printf("RESULT lenet5-cifar10 test_accuracy=%.4f test_set=test_batch_first1000 %sepochs=%d train_images=%d train_seconds=%.0f%n",
                r.testAccuracy(), holdout ? String.format("validation_accuracy=%.4f validation_set=data_batch_5 ", r.validationAccuracy()) : "",
                epochs, r.trainImages(), r.seconds());
        return 0;
    }
}
