package dev.tapegrad.benchmarks;

import dev.tapegrad.autodiff.Conv;
import dev.tapegrad.autodiff.Gradients;
import dev.tapegrad.autodiff.GradientTape;
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
 * One convolution layer of the examples (FLOAT32, with bias), forward, and forward plus backward to input, weight
 * and bias. A shape {@code "kind:N:C:O:S:k:s:p"} is {@code N} images {@code C x S x S}, {@code O} output channels, a
 * {@code k x k} kernel, stride {@code s}, padding {@code p}; {@code kind} {@code conv} is {@code conv2d} on those
 * images, {@code convT} the transposed convolution from {@code C} channels of {@code S x S} maps (output padding
 * {@code s - 1}). The defaults: LeNet-5's two convolutions, mnist-cnn's two, the {@code dcgan} discriminator's second
 * and generator's second, and a wide layer of 64 channels.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ConvBenchmark {
    @Param({"conv:64:3:6:32:5:1:0", "conv:64:6:16:14:5:1:0", "conv:64:1:32:28:3:1:1", "conv:64:32:64:14:3:1:1", "conv:64:64:128:14:4:2:1",
            "convT:64:128:64:7:4:2:1", "conv:16:64:64:32:3:1:1"})
    String shape;

    Tensor x, w, b;
    int stride, padding;
    boolean transposed;

    @Setup
    public void setup() {
        String[] s = shape.split(":");
        transposed = s[0].equals("convT");
        int n = Integer.parseInt(s[1]), c = Integer.parseInt(s[2]), o = Integer.parseInt(s[3]), size = Integer.parseInt(s[4]), k = Integer.parseInt(s[5]);
        stride = Integer.parseInt(s[6]);
        padding = Integer.parseInt(s[7]);
        Random r = new Random(1);
        x = Tensor.randn(r, n, c, size, size).requiresGrad();
        w = (transposed ? Tensor.randn(r, c, o, k, k) : Tensor.randn(r, o, c, k, k)).mul(0.1).requiresGrad();
        b = Tensor.zeros(o).requiresGrad();
    }

    private Tensor conv() {
        return transposed ? Conv.convTranspose2d(x, w, b, new int[] {stride}, new int[] {padding}, new int[] {stride - 1}, new int[] {1}, 1)
                : Conv.conv2d(x, w, b, stride, padding);
    }

    @Benchmark
    public Tensor forward() { return conv(); }

    @Benchmark
    public Gradients forwardBackward() {
        try (GradientTape tape = GradientTape.record()) {
            return conv().sum().backward();
        }
    }
}
