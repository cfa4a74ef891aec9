package dev.tapegrad.examples;

import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.Conv2d;
import dev.tapegrad.nn.ConvTranspose2d;
import dev.tapegrad.nn.ReLU;
import dev.tapegrad.nn.Sequential;
import dev.tapegrad.nn.Sigmoid;
import dev.tapegrad.nn.Upsample;
import dev.tapegrad.nn.data.DataFiles;
import dev.tapegrad.nn.data.Datasets;
import dev.tapegrad.nn.data.TensorDataset;
import dev.tapegrad.nn.train.FitOptions;
import dev.tapegrad.nn.train.Loss;
import dev.tapegrad.nn.train.Model;
import dev.tapegrad.optim.Adam;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A convolutional autoencoder on MNIST: encoder conv 1-16 (3x3, stride 2) and conv 16-32 (stride 2) to a
 * 32x7x7 code; decoder ConvTranspose2d 32-16 (stride 2) to 14x14, nearest Upsample to 28x28 and conv 16-1
 * with a sigmoid. Trained with mean squared error against the input; writes a grid of test inputs (top row)
 * and their reconstructions (bottom row).
 */
@Command(name = "conv-autoencoder", mixinStandardHelpOptions = true,
        description = "MNIST convolutional autoencoder (ConvTranspose2d and Upsample); PNG grid of inputs and reconstructions.")
final class ConvAutoencoder implements Callable<Integer> {
    @Option(names = "--epochs", defaultValue = "2", description = "epochs (default ${DEFAULT-VALUE})")
    int epochs;
    @Option(names = "--limit", defaultValue = "20000", description = "training images (default ${DEFAULT-VALUE})")
    int limit;
    @Option(names = "--seed", defaultValue = "1", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--data", description = "MNIST directory (default ../shared/data/mnist)")
    Path data;
    @Option(names = "--out", defaultValue = "out/conv-autoencoder", description = "folder for the picture (default ${DEFAULT-VALUE})")
    Path out;

    record Result(double firstLoss, double trainLoss, double testMse) {}

    Result run() throws Exception {
        Path dir = data != null ? data : DataFiles.dir("mnist");
        TensorDataset train = Datasets.mnist(dir, true, false), test = Datasets.mnist(dir, false, false);
        train = train.slice(0, Math.min(limit, train.size()));
        train = new TensorDataset(train.inputs(), train.inputs());
        Random r = new Random(seed);
        Sequential ae = new Sequential(new Conv2d(1, 16, 3, 2, 1, r), new ReLU(), new Conv2d(16, 32, 3, 2, 1, r), new ReLU(),
                new ConvTranspose2d(32, 16, new int[] {3}, new int[] {2}, new int[] {1}, new int[] {1}, new int[] {1}, 1, true, r), new ReLU(),
                new Upsample(2, Upsample.Mode.NEAREST, false), new Conv2d(16, 1, 3, 1, 1, r), new Sigmoid());
        System.out.print(ae.summary(1, 28, 28));
        Model m = Model.compile(ae, new Adam(ae.parameters(), 2e-3), Loss.mse());
        var h = m.fit(train, FitOptions.epochs(epochs).batchSize(64).seed(seed));
        Tensor inputs = test.inputs().slice(0, 0, 16), recon = m.predict(inputs, 16);
        Tensor both = Tensor.cat(0, inputs, recon).reshape(32, 28, 28);
        Images.png(Images.grid(both, 16, 3), out.resolve("reconstructions.png"));
        TensorDataset testPairs = new TensorDataset(test.inputs(), test.inputs());
        return new Result(h.epochs().get(0).get("loss"), h.last().get("loss"), m.evaluate(testPairs, 500).get("loss"));
    }

    @Override
    public Integer call() throws Exception {
        Result res = run();
        System.out.println("picture in " + out);
        System.out.printf("RESULT conv-autoencoder test_mse=%.5f train_mse=%.5f epochs=%d train_images=%d%n", res.testMse(), res.trainLoss(), epochs, limit);
        return 0;
    }

}
