package dev.tapegrad.benchmarks.peers;

import dev.tapegrad.benchmarks.Workloads;
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
 * One training step of each {@link Workloads workload} on tapegrad, PyTorch (DJL) and DL4J, in one run with
 * the same thread count (2: {@code benchmarks/run-peers} sets the peers' native thread limits).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dtapegrad.threads=2", "-Dai.djl.offline=true",
        "-Dai.djl.pytorch.num_threads=2", "-Dai.djl.pytorch.num_interop_threads=1"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PeerStepBenchmark {
    @Param({"cnn-64", "mlp-64", "mlp-256"})
    String model;

    @Param({"tapegrad", "pytorch", "dl4j"})
    String engine;

    Workloads.Step step;

    @Setup
    public void setup() {
        step = switch (engine) {
            case "tapegrad" -> Workloads.tapegrad(model);
            case "pytorch" -> PyTorchPeer.step(model);
            case "dl4j" -> Dl4jPeer.step(model);
            default -> throw new IllegalArgumentException("unknown engine " + engine);
        };
    }

    @Benchmark
    public double step() { return step.run(); }

    @TearDown
    public void tearDown() throws Exception { step.close(); }
}
