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
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step (forward, cross entropy, backward, SGD update) of two small networks, FLOAT32:
 * {@code cnn} = conv 1 -> 8 (3x3, padding 1), ReLU, max pool 2, dense 1568 -> 10 on 28x28 images, batch 64
 * (the convolution issue's step); {@code mlp} = 784-392-10 with a ReLU, batch 64 or 256.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CnnStepBenchmark {
    @Param({"cnn-64", "mlp-64", "mlp-256"})
    String model;

    Sequential net;
    SGD opt;
    Tensor x;
    int[] labels;

    @Setup
    public void setup() {
        Random r = new Random(1);
        int batch = model.endsWith("256") ? 256 : 64;
        if (model.startsWith("cnn")) {
            net = new Sequential(new Conv2d(1, 8, 3, 1, 1, r), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(8 * 14 * 14, 10, r));
            x = Tensor.rand(r, batch, 1, 28, 28);
        } else {
            net = new Sequential(new Linear(784, 392, r), new ReLU(), new Linear(392, 10, r));
            x = Tensor.rand(r, batch, 784);
        }
        opt = new SGD(net.parameters(), 0.01);
        labels = r.ints(batch, 0, 10).toArray();
    }

    @Benchmark
    public double step() {
        Tensor loss;
        try (GradientTape tape = GradientTape.record()) {
            loss = Losses.crossEntropy(net.forward(x), labels);
            opt.step(loss.backward());
        }
        return loss.item();
    }
}
