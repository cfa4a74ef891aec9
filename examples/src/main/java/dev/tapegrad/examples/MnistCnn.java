package dev.tapegrad.examples;

import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.BatchNorm2d;
import dev.tapegrad.nn.Conv2d;
import dev.tapegrad.nn.Dropout;
import dev.tapegrad.nn.Flatten;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.MaxPool2d;
import dev.tapegrad.nn.ReLU;
import dev.tapegrad.nn.Sequential;
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
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A small CNN on MNIST: two blocks of 3x3 convolution (32 then 64 channels, padding 1), batch norm, ReLU
 * and 2x2 max pooling, then dropout 0.25, a 3136-128 dense layer with ReLU, dropout 0.25 and 128-10.
 * Adam (1e-3) with cosine decay, batch 64, inputs normalised with the training mean and deviation.
 * Writes the first layer's kernels and one test image's feature maps as PNG grids.
 */
@Command(name = "mnist-cnn", mixinStandardHelpOptions = true,
        description = "A two-block CNN (conv, batch norm, pooling) on MNIST; target >= 99.2%% test accuracy.")
class MnistCnn implements Callable<Integer> {
    @Mixin
    ImageTraining common = new ImageTraining();
    @Option(names = "--epochs", defaultValue = "-1", description = "epochs (default 4 for MNIST, 8 for Fashion-MNIST)")
    int epochs;

    String name() { return "mnist-cnn"; }

    /** Epochs when {@code --epochs} is not given. */
    int defaultEpochs() { return 4; }

    int epochs() { return epochs > 0 ? epochs : defaultEpochs(); }

    TensorDataset load(boolean train) { return Datasets.mnist(common.data != null ? common.data : DataFiles.dir("mnist"), train, false); }

    Sequential network(Random r) {
        return new Sequential(
                new Conv2d(1, 32, 3, 1, 1, r), new BatchNorm2d(32), new ReLU(), new MaxPool2d(2),
                new Conv2d(32, 64, 3, 1, 1, r), new BatchNorm2d(64), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Dropout(0.25, r), new Linear(64 * 7 * 7, 128, r), new ReLU(), new Dropout(0.25, r), new Linear(128, 10, r));
    }

    record Result(History history, double testAccuracy, double testLoss, double seconds) {}

    @Override
    public Integer call() throws Exception {
        Result r = run();
        System.out.printf("RESULT %s test_accuracy=%.4f test_loss=%.4f epochs=%d train_seconds=%.0f%n", name(), r.testAccuracy(), r.testLoss(), epochs(), r.seconds());
        return 0;
    }

    Result run() throws Exception {
        TensorDataset[] sets = common.prepare(name(), load(true), load(false));
        TensorDataset train = sets[0], test = sets[1];
        Random random = new Random(common.seed);
        Sequential net = network(random);
        int[] imageShape = java.util.Arrays.copyOfRange(train.inputs().shape(), 1, 4);
        System.out.print(net.summary(imageShape));
        Model model = Model.compile(net, new Adam(net.parameters(), common.lr), Loss.crossEntropy(), Metric.accuracy());
        long start = System.nanoTime();
        History h = model.fit(train, FitOptions.epochs(epochs()).batchSize(common.batchSize).seed(common.seed).validation(test)
                .callbacks(new LearningRateScheduler(LrSchedule.cosine(epochs(), 0))));
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Double> eval = model.evaluate(test, 500);
        Path dir = common.outDir(name());
        Plots.history(h, name(), dir);
        pictures(net, test, dir);
        System.out.println("pictures in " + dir);
        return new Result(h, eval.get("accuracy"), eval.get("loss"), seconds);
    }

    /** The first convolution's kernels, and the feature maps of its block for the first test image. */
    void pictures(Sequential net, TensorDataset test, Path dir) throws Exception {
        Conv2d first = (Conv2d) net.get(0);
        Tensor k = first.weight.value();                                   // [32, C, 3, 3]
        Images.png(Images.grid(k.slice(1, 0, 1).reshape(k.size(0), k.size(2), k.size(3)), 8, 24), dir.resolve("kernels.png"));
        net.eval();
        Tensor maps;
        try (var pause = GradientTape.pause()) {
            Tensor x = test.inputs().slice(0, 0, 1);
            for (int i = 0; i < 3; i++) x = net.get(i).forward(x);
            maps = x.reshape(x.size(1), x.size(2), x.size(3));
        }
        Images.png(Images.grid(maps, 8, 3), dir.resolve("feature-maps.png"));
        Images.png(Images.grid(test.inputs().slice(0, 0, 1).slice(1, 0, 1).reshape(1, imageSide(test), imageSide(test)), 1, 6), dir.resolve("input.png"));
    }

    private static int imageSide(TensorDataset d) { return d.inputs().size(2); }

}
