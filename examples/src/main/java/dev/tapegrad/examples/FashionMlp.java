package dev.tapegrad.examples;

import dev.tapegrad.nn.data.DataFiles;
import dev.tapegrad.nn.data.Datasets;
import dev.tapegrad.nn.data.TensorDataset;
import picocli.CommandLine.Command;

/** The {@code mnist-mlp} program on Fashion-MNIST (60,000 train / 10,000 test images of clothing). */
@Command(name = "fashion-mlp", mixinStandardHelpOptions = true,
        description = "784-392-10 sigmoid MLP on Fashion-MNIST (60,000 train / 10,000 test); target >= 88.5%% test accuracy.")
final class FashionMlp extends MnistMlp {
    @Override
    String name() { return "fashion-mlp"; }

    @Override
    int defaultShift() { return 0; }

    @Override
    TensorDataset load(boolean train) { return Datasets.fashionMnist(common.data != null ? common.data : DataFiles.dir("fashion-mnist"), train, true); }
}
