package dev.tapegrad.nn.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Gradients;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.Losses;
import dev.tapegrad.nn.Sequential;
import dev.tapegrad.nn.Sigmoid;
import dev.tapegrad.nn.data.DataLoader;
import dev.tapegrad.nn.data.TensorDataset;
import dev.tapegrad.nn.io.Checkpoints;
import dev.tapegrad.optim.Adam;
import dev.tapegrad.optim.LrSchedule;
import dev.tapegrad.optim.Optimizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's training quick start, statement for statement, on a small synthetic stand-in for MNIST
 * (the real run is the mnist-mlp example): the Keras way, then the hand-written loop.
 */
class ReadmeTrainingTest {
    @TempDir
    Path dir;

    @Test
    void quickStartTrainsAsDocumented() {
        Random data = new Random(5);
        Tensor x = Tensor.rand(data, 256, 784), y = x.slice(1, 0, 10).argmax(1);
        TensorDataset train = new TensorDataset(x, y), test = new TensorDataset(x.slice(0, 0, 64), y.slice(0, 0, 64));
        Random random = new Random(1);
        Sequential net = new Sequential(new Linear(784, 392, random), new Sigmoid(), new Linear(392, 10, random));
        assertTrue(net.summary(784).contains("Total params: 311,650"));
        Model model = Model.compile(net, new Adam(net.parameters(), 1e-3), Loss.crossEntropy(), Metric.accuracy());
        History history = model.fit(train, FitOptions.epochs(2).batchSize(64).validation(test).progress(Progress.Mode.SILENT)
                .callbacks(new LearningRateScheduler(LrSchedule.cosine(2, 0)), new EarlyStopping("val_loss", 3, 0, true)));
        Map<String, Double> scores = model.evaluate(test, 1000);
        Path file = dir.resolve("mnist.safetensors");
        Checkpoints.saveModel(file, net);
        assertTrue(Files.exists(file) && history.epochs().size() == 2 && scores.containsKey("accuracy"), scores.toString());

        Optimizer opt = new Adam(net.parameters(), 1e-3);
        double first = Double.NaN, last = Double.NaN;
        for (DataLoader.Batch batch : new DataLoader(train, 64, new Random(1), false)) {
            Gradients grads;
            Tensor loss;
            try (GradientTape tape = GradientTape.record()) {
                loss = Losses.crossEntropy(net.forward(batch.inputs()), Metrics.labels(batch.targets()));
                grads = loss.backward();
            }
            opt.step(grads);
            if (Double.isNaN(first)) first = loss.item();
            last = loss.item();
        }
        assertTrue(Double.isFinite(last) && first > 0, first + " " + last);
    }
}
