package dev.tapegrad.benchmarks;

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
 * Elementwise operations and a reduction on FLOAT32 tensors of {@code rows x 1024}, with a plain
 * {@code float[]} loop as the floor a hand-written kernel could reach.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ElementwiseBenchmark {
    @Param({"64", "1024"})
    int rows;

    Tensor x, y, row;
    float[] xa, ya;

    @Setup
    public void setup() {
        x = Tensor.randn(new Random(1), rows, 1024);
        y = Tensor.randn(new Random(2), rows, 1024);
        row = Tensor.randn(new Random(3), 1024);
        xa = x.toFloatArray();
        ya = y.toFloatArray();
    }

    @Benchmark public Tensor add() { return x.add(y); }
    @Benchmark public Tensor addBroadcastRow() { return x.add(row); }
    @Benchmark public Tensor mulScalar() { return x.mul(0.5); }
    @Benchmark public Tensor exp() { return x.exp(); }
    @Benchmark public Tensor relu() { return x.relu(); }
    @Benchmark public Tensor tanh() { return x.tanh(); }
    @Benchmark public Tensor erf() { return x.erf(); }
    @Benchmark public Tensor sumAll() { return x.sum(); }
    @Benchmark public Tensor sumRows() { return x.sum(1, false); }
    @Benchmark public Tensor softmaxRows() { return x.softmax(1); }

    @Benchmark
    public float[] plainLoopAdd() {
        float[] out = new float[xa.length];
        for (int i = 0; i < out.length; i++) out[i] = xa[i] + ya[i];
        return out;
    }
}
