package dev.tapegrad.benchmarks.peers;

import dev.tapegrad.autodiff.DType;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** {@code n x n} matrix product on tapegrad, PyTorch (DJL) and ND4J, 2 threads each; GFLOP/s = {@code 2 n^3 / time}. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dtapegrad.threads=2", "-Dai.djl.offline=true",
        "-Dai.djl.pytorch.num_threads=2", "-Dai.djl.pytorch.num_interop_threads=1"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PeerMatMulBenchmark {
    @Param({"64", "128", "256", "512", "1024"})
    int n;

    @Param({"FLOAT32", "FLOAT64"})
    DType dtype;

    @Param({"tapegrad", "pytorch", "dl4j"})
    String engine;

    MatMul product;

    @Setup
    public void setup() {
        boolean float32 = dtype == DType.FLOAT32;
        product = switch (engine) {
            case "tapegrad" -> {
                Tensor a = Tensor.randn(new Random(1), dtype, n, n), b = Tensor.randn(new Random(2), dtype, n, n);
                yield () -> a.matmul(b);
            }
            case "pytorch" -> PyTorchPeer.matmul(n, float32);
            case "dl4j" -> Dl4jPeer.matmul(n, float32);
            default -> throw new IllegalArgumentException("unknown engine " + engine);
        };
    }

    @Benchmark
    public Object product() { return product.run(); }

    @TearDown
    public void tearDown() throws Exception { product.close(); }
}
