package dev.tapegrad.benchmarks;

import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Normalization;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.BatchNorm2d;
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
 * Training-mode batch norm on a FLOAT32 {@code [64, 32, 14, 14]} input (the size of mnist-cnn's first block after
 * pooling): the functional op's forward alone (no tape), its forward and backward with a random cotangent
 * (gradients of the input, weight and bias), and the same through {@link BatchNorm2d} (which also updates the
 * running statistics).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class BatchNormBenchmark {
    Tensor x, weight, bias, seed;
    BatchNorm2d layer;

    @Setup
    public void setup() {
        Random r = new Random(1);
        x = Tensor.randn(r, 64, 32, 14, 14).requiresGrad();
        weight = Tensor.rand(r, 32).add(0.5).requiresGrad();
        bias = Tensor.randn(r, 32).requiresGrad();
        seed = Tensor.randn(r, 64, 32, 14, 14);
        layer = new BatchNorm2d(32);
    }

    @Benchmark
    public Tensor forward() { return Normalization.batchNorm(x, weight, bias, 1e-5); }

    @Benchmark
    public Tensor[] forwardBackward() {
        try (GradientTape tape = GradientTape.record()) {
            return tape.gradientWithSeed(Normalization.batchNorm(x, weight, bias, 1e-5), seed, x, weight, bias);
        }
    }

    @Benchmark
    public Tensor[] layerForwardBackward() {
        try (GradientTape tape = GradientTape.record()) {
            return tape.gradientWithSeed(layer.forward(x), seed, x, layer.weight.value());
        }
    }
}
