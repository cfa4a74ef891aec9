package dev.tapegrad.benchmarks;

import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.LSTM;
import dev.tapegrad.nn.Losses;
import dev.tapegrad.optim.SGD;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One LSTM training step, FLOAT32: a 2-layer {@code LSTM(256, 256)} on a sequence of 64 steps, batch 32
 * ({@code x} {@code [64, 32, 256]} standard normal), mean squared error of the output sequence against a
 * standard normal target, backward through time, SGD with learning rate 0.01.
 * {@code benchmarks/peers-python/lstm_step.py} times the same step on PyTorch eager.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LstmStepBenchmark {
    static final int STEPS = 64, BATCH = 32, SIZE = 256, LAYERS = 2;

    LSTM lstm;
    SGD opt;
    Tensor x, target;

    @Setup
    public void setup() {
        Random r = new Random(1);
        lstm = new LSTM(SIZE, SIZE, LAYERS, true, false, 0, false, r);
        opt = new SGD(lstm.parameters(), 0.01);
        x = Tensor.randn(r, STEPS, BATCH, SIZE);
        target = Tensor.randn(r, STEPS, BATCH, SIZE);
    }

    @Benchmark
    public double step() {
        try (GradientTape tape = GradientTape.record()) {
            Tensor loss = Losses.mse(lstm.forward(x), target);
            opt.step(loss.backward());
            return loss.item();
        }
    }
}
