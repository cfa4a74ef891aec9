package dev.tapegrad.benchmarks;

import dev.tapegrad.autodiff.DType;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.autodiff.kernel.Gemm;
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
 * The matrix-product kernel alone, on one thread: {@code C = A B} for {@code n x n} operands into a preallocated
 * {@code C} (no tensor, no allocation), GFLOP/s = {@code 2 n^3 / time}, to compare with the one-core FMA peak
 * ({@code benchmarks/peers-c/fma_peak.c}). The register tile follows the vector width ({@code Gemm.MR}: 8 rows
 * with AVX-512, 4 with AVX2); run with {@code -jvmArgsAppend "--add-modules jdk.incubator.vector -Dtapegrad.threads=1
 * -XX:UseAVX=2"} on an AVX-512 machine to see the AVX2 kernel, and with {@code -Dtapegrad.gemmRows=6} there to see
 * the spill the 4-row tile avoids (about half the rate). A fall to that rate on either kind of machine means an
 * accumulator spilled again.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dtapegrad.threads=1"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GemmBenchmark {
    @Param({"256", "512", "1024"})
    int n;

    @Param({"FLOAT32", "FLOAT64"})
    DType dtype;

    float[] af, bf, cf;
    double[] ad, bd, cd;

    @Setup
    public void setup() {
        Tensor a = Tensor.randn(new Random(1), DType.FLOAT64, n, n), b = Tensor.randn(new Random(2), DType.FLOAT64, n, n);
        af = a.toFloatArray();
        bf = b.toFloatArray();
        cf = new float[n * n];
        ad = a.toDoubleArray();
        bd = b.toDoubleArray();
        cd = new double[n * n];
    }

    @Benchmark
    public Object product() {
        if (dtype == DType.FLOAT32) {
            Gemm.multiply(false, false, af, 0, bf, 0, cf, 0, n, n, n, false);
            return cf;
        }
        Gemm.multiply(false, false, ad, 0, bd, 0, cd, 0, n, n, n, false);
        return cd;
    }
}
