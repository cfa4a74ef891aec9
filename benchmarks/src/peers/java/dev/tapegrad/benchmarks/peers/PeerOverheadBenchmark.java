package dev.tapegrad.benchmarks.peers;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Autograd overhead, as {@code BackwardOverheadBenchmark}: 10,000 operations on a 0-d FLOAT32 scalar (5,000
 * multiply-adds) without recording, recorded, and recorded then backpropagated; tapegrad against PyTorch
 * through DJL ({@code GradientCollector}). DL4J has no define-by-run autograd (SameDiff builds a static
 * graph first), so it has no counterpart here.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dtapegrad.threads=2", "-Dai.djl.offline=true",
        "-Dai.djl.pytorch.num_threads=2", "-Dai.djl.pytorch.num_interop_threads=1"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PeerOverheadBenchmark {
    static final int OPS = 10_000;

    @Param({"tapegrad", "pytorch"})
    String engine;

    NDManager manager;

    @Setup
    public void setup() { if (engine.equals("pytorch")) manager = NDManager.newBaseManager("PyTorch"); }

    @TearDown
    public void tearDown() { if (manager != null) manager.close(); }

    private static Tensor chain(Tensor x) {
        Tensor y = x;
        for (int i = 0; i < OPS / 2; i++) y = y.mul(0.999).add(0.001);
        return y;
    }

    private static NDArray chain(NDArray x) {
        NDArray y = x;
        for (int i = 0; i < OPS / 2; i++) y = y.mul(0.999f).add(0.001f);
        return y;
    }

    @Benchmark
    public double forwardNoTape() {
        if (engine.equals("tapegrad")) return chain(Tensor.scalar(DType.FLOAT32, 0.5f)).item();
        try (NDManager step = manager.newSubManager()) {
            return chain(step.create(0.5f)).getFloat();
        }
    }

    @Benchmark
    public double forwardRecorded() {
        if (engine.equals("tapegrad")) {
            try (GradientTape tape = GradientTape.record()) {
                return chain(Tensor.scalar(DType.FLOAT32, 0.5f).requiresGrad()).item();
            }
        }
        try (NDManager step = manager.newSubManager(); GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray x = step.create(0.5f);
            x.setRequiresGradient(true);
            return chain(x).getFloat();
        }
    }

    @Benchmark
    public double forwardAndBackward() {
        if (engine.equals("tapegrad")) {
            try (GradientTape tape = GradientTape.record()) {
                Tensor x = Tensor.scalar(DType.FLOAT32, 0.5f).requiresGrad();
                return chain(x).backward().get(x).item();
            }
        }
        try (NDManager step = manager.newSubManager(); GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray x = step.create(0.5f);
            x.setRequiresGradient(true);
            collector.backward(chain(x));
            return x.getGradient().getFloat();
        }
    }
}
