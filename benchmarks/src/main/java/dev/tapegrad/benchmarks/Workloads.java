package dev.tapegrad.benchmarks;

import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.BatchNorm2d;
import dev.tapegrad.nn.Conv2d;
import dev.tapegrad.nn.Dropout;
import dev.tapegrad.nn.Flatten;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.Losses;
import dev.tapegrad.nn.MaxPool2d;
import dev.tapegrad.nn.ReLU;
import dev.tapegrad.nn.Sequential;
import dev.tapegrad.nn.Sigmoid;
import dev.tapegrad.optim.Adam;
import dev.tapegrad.optim.Optimizer;
import dev.tapegrad.optim.SGD;
import java.util.List;
import java.util.Random;

/**
 * The workloads every engine runs, FLOAT32, softmax cross entropy (mean over the batch); the name ends in the batch:
 * <ul>
 *   <li>{@code mlp-64}/{@code mlp-256}: 784-392-10 with a ReLU, SGD (lr 0.01), batch 64 or 256;
 *   <li>{@code cnn-64}: conv 1 -> 8 (3x3, padding 1), ReLU, max pool 2, dense 1568 -> 10 on 28x28 images, SGD (lr 0.01);
 *   <li>{@code mnist-mlp-64}: the mnist-mlp example's 784-392-10 with a sigmoid and dropout 0.2, Adam (lr 1e-3);
 *   <li>{@code mnist-cnn-64}: the mnist-cnn example's network (two conv 3x3 + batch norm + ReLU + max pool blocks of
 *       32 and 64 channels, dropout 0.25, dense 3136 -> 128 -> 10), Adam (lr 1e-3);
 *   <li>{@code lenet5-64}: the lenet5-cifar10 example's LeNet-5 on 3x32x32 images, Adam (lr 1e-3);
 *   <li>{@code mnist-mlp-infer-1000}: mnist-mlp's network in eval mode, a forward pass over 1,000 images without a
 *       tape (as {@code Model.predict}), returning the sum of the logits.
 * </ul>
 * A training step is forward, loss, backward and the optimizer's update, in training mode (dropout and batch
 * statistics on). Inputs are uniform in [0, 1) and labels uniform in 0..9, from {@code new Random(1)} and
 * {@code new Random(2)}, so every engine sees the same data ({@code benchmarks/peers-python} replays
 * {@link Random}); weights come from each engine's own initialisation.
 */
public final class Workloads {
    private Workloads() {}

    /** SGD's learning rate in {@code mlp-*} and {@code cnn-64}. */
    public static final double LEARNING_RATE = 0.01;

    /** Adam's learning rate in the examples' networks ({@code mnist-mlp}, {@code mnist-cnn}, {@code lenet5}). */
    public static final double ADAM_LEARNING_RATE = 1e-3;

    /** Every workload's name. */
    public static final List<String> MODELS =
            List.of("mlp-64", "mlp-256", "cnn-64", "mnist-mlp-64", "mnist-cnn-64", "lenet5-64", "mnist-mlp-infer-1000");

    /** The network a workload name implies: its name without the batch. */
    static String network(String model) {
        if (!MODELS.contains(model)) throw new IllegalArgumentException("unknown workload " + model + "; known: " + MODELS);
        return model.substring(0, model.lastIndexOf('-'));
    }

    /** The batch size a workload name implies. */
    public static int batch(String model) {
        network(model);
        return Integer.parseInt(model.substring(model.lastIndexOf('-') + 1));
    }

    /** Whether the workload is {@code cnn-64}, the only convolutional one the DJL and DL4J peers build. */
    public static boolean isCnn(String model) {
        if (!model.matches("(cnn|mlp)-(64|256)")) throw new IllegalArgumentException("unknown workload " + model);
        return model.startsWith("cnn");
    }

    /** The input's shape: {@code [batch, 784]}, {@code [batch, 1, 28, 28]} or {@code [batch, 3, 32, 32]} (lenet5). */
    public static int[] inputShape(String model) {
        int batch = batch(model);
        return switch (network(model)) {
            case "mlp", "mnist-mlp", "mnist-mlp-infer" -> new int[] {batch, 784};
            case "lenet5" -> new int[] {batch, 3, 32, 32};
            default -> new int[] {batch, 1, 28, 28};
        };
    }

    /** The input values, row-major in {@link #inputShape}: {@code nextFloat()} of {@code new Random(1)}. */
    public static float[] inputs(String model) {
        int size = 1;
        for (int d : inputShape(model)) size *= d;
        Random r = new Random(1);
        float[] x = new float[size];
        for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
        return x;
    }

    /** The class labels: {@code new Random(2).ints(batch, 0, 10)}. */
    public static int[] labels(String model) { return new Random(2).ints(batch(model), 0, 10).toArray(); }

    /** One engine's timed unit of work on a workload; {@link #run} returns the loss (or a sum of the logits) so the work can't be elided. */
    public interface Step extends AutoCloseable {
        double run();

        @Override
        default void close() {}
    }

    /** tapegrad's step: nn modules, a gradient tape, {@code SGD} or {@code Adam}; for the inference workload a forward pass. */
    public static Step tapegrad(String model) {
        Random r = new Random(1);
        Tensor x = Tensor.of(inputs(model), inputShape(model));
        int[] labels = labels(model);
        return switch (network(model)) {
            case "mlp" -> {
                Sequential net = new Sequential(new Linear(784, 392, r), new ReLU(), new Linear(392, 10, r));
                yield train(net, new SGD(net.parameters(), LEARNING_RATE), x, labels);
            }
            case "cnn" -> {
                Sequential net = new Sequential(new Conv2d(1, 8, 3, 1, 1, r), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(8 * 14 * 14, 10, r));
                yield train(net, new SGD(net.parameters(), LEARNING_RATE), x, labels);
            }
            case "mnist-mlp" -> adam(mnistMlp(r), x, labels);
            case "mnist-cnn" -> adam(new Sequential(
                    new Conv2d(1, 32, 3, 1, 1, r), new BatchNorm2d(32), new ReLU(), new MaxPool2d(2),
                    new Conv2d(32, 64, 3, 1, 1, r), new BatchNorm2d(64), new ReLU(), new MaxPool2d(2),
                    new Flatten(), new Dropout(0.25, r), new Linear(64 * 7 * 7, 128, r), new ReLU(), new Dropout(0.25, r), new Linear(128, 10, r)), x, labels);
            case "lenet5" -> adam(new Sequential(
                    new Conv2d(3, 6, 5, r), new ReLU(), new MaxPool2d(2), new Conv2d(6, 16, 5, r), new ReLU(), new MaxPool2d(2),
                    new Flatten(), new Linear(400, 120, r), new ReLU(), new Linear(120, 84, r), new ReLU(), new Linear(84, 10, r)), x, labels);
            default -> {
                Sequential net = mnistMlp(r);
                net.eval();
                yield () -> net.forward(x).sum().item();
            }
        };
    }

    /** mnist-mlp's network: 784-392-10, sigmoid, dropout 0.2 after the hidden layer. */
    private static Sequential mnistMlp(Random r) {
        return new Sequential(new Linear(784, 392, r), new Sigmoid(), new Dropout(0.2, r), new Linear(392, 10, r));
    }

    private static Step adam(Sequential net, Tensor x, int[] labels) { return train(net, new Adam(net.parameters(), ADAM_LEARNING_RATE), x, labels); }

    private static Step train(Sequential net, Optimizer opt, Tensor x, int[] labels) {
        return () -> {
            try (GradientTape tape = GradientTape.record()) {
                Tensor loss = Losses.crossEntropy(net.forward(x), labels);
                opt.step(loss.backward());
                return loss.item();
            }
        };
    }
}
