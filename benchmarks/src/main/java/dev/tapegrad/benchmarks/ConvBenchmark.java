package dev.tapegrad.benchmarks;

import dev.tapegrad.autodiff.Conv;
import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Gradients;
import dev.tapegrad.autodiff.Tensor;
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
 * {@code conv2d} (3x3, padding 1, FLOAT32) forward, and forward plus backward to input, weight and bias, for
 * two representative shapes: {@code mnist} = batch 64, 1 -> 8 channels, 28x28; {@code wide} = batch 16,
 * 64 -> 64 channels, 32x32.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ConvBenchmark {
    @Param({"mnist", "wide"})
    String shape;

    Tensor x, w, b;

    @Setup
    public void setup() {
        Random r = new Random(1);
        boolean mnist = shape.equals("mnist");
        int n = mnist ? 64 : 16, c = mnist ? 1 : 64, o = mnist ? 8 : 64, s = mnist ? 28 : 32;
        x = Tensor.randn(r, n, c, s, s).requiresGrad();
        w = Tensor.randn(r, o, c, 3, 3).mul(0.1).requiresGrad();
        b = Tensor.zeros(o).requiresGrad();
    }

    @Benchmark
    public Tensor forward() { return Conv.conv2d(x, w, b, 1, 1); }

    @Benchmark
    public Gradients forwardBackward() {
        try (GradientTape tape = GradientTape.record()) {
            return Conv.conv2d(x, w, b, 1, 1).sum().backward();
        }
    }
}
