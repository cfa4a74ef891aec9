package dev.tapegrad.benchmarks;

import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.autodiff.kernel.Gemm;
import dev.tapegrad.autodiff.kernel.Parallel;
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
 * The FLOAT32 products of one Transformer block step ({@link TransformerStepBenchmark}: 768 rows of width 128,
 * feed-forward 512, 48 attention products of 64 x 32) on the thread pool, as {@code matmul} runs them: a shape
 * {@code "TT:m:k:n:count"} is {@code count} products {@code op(A) op(B)} ({@code T} transposes an operand), split
 * across the threads by product when {@code count > 1}. GFLOP/s = {@code 2 m k n count / time}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GemmShapesBenchmark {
    @Param({"NT:768:128:384:1", "NN:768:384:128:1", "TN:384:768:128:1", "NT:768:512:128:1", "NN:768:128:512:1", "TN:128:768:512:1",
            "NT:64:32:64:48", "NN:64:64:32:48", "TN:64:64:32:48"})
    String shape;

    boolean ta, tb;
    int m, k, n, count;
    float[] a, b, c;

    @Setup
    public void setup() {
        String[] s = shape.split(":");
        ta = s[0].charAt(0) == 'T';
        tb = s[0].charAt(1) == 'T';
        m = Integer.parseInt(s[1]);
        k = Integer.parseInt(s[2]);
        n = Integer.parseInt(s[3]);
        count = Integer.parseInt(s[4]);
        Random r = new Random(1);
        a = Tensor.randn(r, count * m, k).toFloatArray();
        b = Tensor.randn(r, count * k, n).toFloatArray();
        c = new float[count * m * n];
    }

    @Benchmark
    public Object product() {
        if (count == 1) Gemm.multiply(ta, tb, a, 0, b, 0, c, 0, m, k, n, false);
        else Parallel.range(count, 1, (long) m * k * n * count, (t0, t1) -> {
            for (int t = t0; t < t1; t++) Gemm.multiply(ta, tb, a, t * m * k, b, t * k * n, c, t * m * n, m, k, n, false);
        });
        return c;
    }
}
