package dev.tapegrad.benchmarks;

import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.Conv2d;
import dev.tapegrad.nn.Flatten;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.Losses;
import dev.tapegrad.nn.MaxPool2d;
import dev.tapegrad.nn.ReLU;
import dev.tapegrad.nn.Sequential;
import dev.tapegrad.optim.SGD;
import java.util.Random;

/**
 * The training-step workloads every engine runs, FLOAT32, SGD with learning rate 0.01, softmax cross entropy:
 * {@code mlp-64}/{@code mlp-256} = 784-392-10 with a ReLU, batch 64 or 256; {@code cnn-64} = conv 1 -> 8
 * (3x3, padding 1), ReLU, max pool 2, dense 1568 -> 10 on 28x28 images, batch 64. Inputs are uniform in
 * [0, 1) and labels uniform in 0..9, both from {@code new Random(1)}, so every engine sees the same data.
 */
public final class Workloads {
    private Workloads() {}

    public static final double LEARNING_RATE = 0.01;

    /** The batch size a workload name implies. */
    public static int batch(String model) { return model.endsWith("256") ? 256 : 64; }

    public static boolean isCnn(String model) {
        if (!model.matches("(cnn|mlp)-(64|256)")) throw new IllegalArgumentException("unknown workload " + model);
        return model.startsWith("cnn");
    }

    /** The input values, row-major: {@code [batch, 784]} or {@code [batch, 1, 28, 28]}. */
    public static float[] inputs(String model) {
        Random r = new Random(1);
        float[] x = new float[batch(model) * 784];
        for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
        return x;
    }

    public static int[] labels(String model) { return new Random(2).ints(batch(model), 0, 10).toArray(); }

    /** One engine's training step on a workload; {@link #run} returns the loss so the work can't be elided. */
    public interface Step extends AutoCloseable {
        double run();

        @Override
        default void close() {}
    }

    /** tapegrad's step: nn modules, a gradient tape, {@code SGD}. */
    public static Step tapegrad(String model) {
        Random r = new Random(1);
        int batch = batch(model);
        Sequential net = isCnn(model)
                ? new Sequential(new Conv2d(1, 8, 3, 1, 1, r), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(8 * 14 * 14, 10, r))
                : new Sequential(new Linear(784, 392, r), new ReLU(), new Linear(392, 10, r));
        Tensor x = isCnn(model) ? Tensor.of(inputs(model), batch, 1, 28, 28) : Tensor.of(inputs(model), batch, 784);
        int[] labels = labels(model);
        SGD opt = new SGD(net.parameters(), LEARNING_RATE);
        return () -> {
            try (GradientTape tape = GradientTape.record()) {
                Tensor loss = Losses.crossEntropy(net.forward(x), labels);
                opt.step(loss.backward());
                return loss.item();
            }
        };
    }
}
