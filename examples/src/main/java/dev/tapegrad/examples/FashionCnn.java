package dev.tapegrad.examples;

import dev.tapegrad.nn.data.DataFiles;
import dev.tapegrad.nn.data.Datasets;
import dev.tapegrad.nn.data.TensorDataset;
import picocli.CommandLine.Command;

/** The {@code mnist-cnn} network and training on Fashion-MNIST. */
@Command(name = "fashion-cnn", mixinStandardHelpOptions = true,
        description = "The two-block CNN of mnist-cnn on Fashion-MNIST; target >= 91.5%% test accuracy.")
final class FashionCnn extends MnistCnn {
    @Override
    String name() { return "fashion-cnn"; }

    @Override
    int defaultEpochs() { return 8; }

    @Override
    TensorDataset load(boolean train) { return Datasets.fashionMnist(common.data != null ? common.data : DataFiles.dir("fashion-mnist"), train, false); }
}
