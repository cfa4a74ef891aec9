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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The examples' networks ({@link Workloads}: mnist-mlp's, mnist-cnn's and LeNet-5's training steps with Adam at
 * batch 64, and mnist-mlp's inference on 1,000 images) on tapegrad, two threads. Their peer is PyTorch eager
 * ({@code benchmarks/peers-python/peers.py}, merged into the table by {@code benchmarks/run-peers}); the DJL and DL4J
 * peers are not built for these networks, so the table shows "-" for them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dtapegrad.threads=2"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PeerExampleBenchmark {
    @Param({"mnist-mlp-64", "mnist-cnn-64", "lenet5-64", "mnist-mlp-infer-1000"})
    String model;

    @Param({"tapegrad"})
    String engine;

    Workloads.Step step;

    @Setup
    public void setup() { step = Workloads.tapegrad(model); }

    @Benchmark
    public double run() { return step.run(); }
}
