package dev.tapegrad.benchmarks;

import dev.tapegrad.autodiff.DType;
import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine's fixed cost per operation, micrograd-style: 10,000 recorded operations on 0-d scalars
 * (5,000 multiply-adds), forward only without a tape, forward with a tape, and forward plus backward,
 * the last also with anomaly detection on (each node then records its creation site and every result is
 * checked for NaN). Divide by 10,000 for the cost of one operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class BackwardOverheadBenchmark {
    static final int OPS = 10_000;

    final Tensor x = Tensor.scalar(DType.FLOAT32, 0.5f).requiresGrad();

    private Tensor chain() {
        Tensor y = x;
        for (int i = 0; i < OPS / 2; i++) y = y.mul(0.999).add(0.001);
        return y;
    }

    @Benchmark
    public Tensor forwardNoTape() { return chain(); }

    @Benchmark
    public Tensor forwardRecorded() {
        try (GradientTape tape = GradientTape.record()) {
            return chain();
        }
    }

    @Benchmark
    public Tensor forwardAndBackward() {
        try (GradientTape tape = GradientTape.record()) {
            return chain().backward().get(x);
        }
    }

    @Benchmark
    public Tensor forwardAndBackwardDetectingAnomalies() {
        try (GradientTape tape = GradientTape.record().detectAnomaly()) {
            return chain().backward().get(x);
        }
    }
}
