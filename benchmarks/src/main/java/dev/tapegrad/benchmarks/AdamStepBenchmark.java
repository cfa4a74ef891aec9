package dev.tapegrad.benchmarks;

import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Gradients;
import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.Sequential;
import dev.tapegrad.nn.Sigmoid;
import dev.tapegrad.optim.Adam;
import java.util.ArrayList;
import java.util.List;
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
 * Adam's update (lr 1e-3, PyTorch's defaults) over the parameters of the mnist-mlp network 784-392-10, FLOAT32:
 * 311,650 values in four tensors. {@code Gradients} are keyed by the parameters' current values, which each update
 * replaces, so every invocation first takes fresh gradients (fixed random values {@code c_i}, as the gradient of
 * {@code sum_i sum(p_i c_i)}); {@link #gradients} times that part alone, and the update costs {@link #step} minus
 * {@link #gradients}, in time and in {@code -prof gc} allocation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AdamStepBenchmark {
    List<Parameter> params;
    final List<Tensor> directions = new ArrayList<>();
    Adam adam;

    @Setup
    public void setup() {
        Random r = new Random(1);
        params = new Sequential(new Linear(784, 392, r), new Sigmoid(), new Linear(392, 10, r)).parameters();
        for (Parameter p : params) directions.add(Tensor.randn(r, p.shape()).mul(1e-2));
        adam = new Adam(params, Workloads.ADAM_LEARNING_RATE);
    }

    @Benchmark
    public Gradients gradients() {
        try (GradientTape tape = GradientTape.record()) {
            Tensor loss = Tensor.zeros();
            for (int i = 0; i < params.size(); i++) loss = loss.add(params.get(i).value().mul(directions.get(i)).sum());
            return loss.backward();
        }
    }

    @Benchmark
    public Tensor step() {
        adam.step(gradients());
        return params.get(0).value();
    }
}
