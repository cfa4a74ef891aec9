package dev.tapegrad.benchmarks;

import dev.tapegrad.autodiff.DType;
import dev.tapegrad.autodiff.Tensor;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.CommonOps_MT_DDRM;
import org.ejml.dense.row.CommonOps_MT_FDRM;
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
 * {@code n x n} matrix product: tapegrad's {@code matmul} (Vector API kernel, rows split across cores)
 * against EJML's {@code CommonOps_*DRM.mult} (one thread) and {@code CommonOps_MT_*DRM.mult} (concurrent).
 * GFLOP/s = {@code 2 n^3 / time}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MatMulBenchmark {
    @Param({"64", "128", "256", "512", "1024"})
    int n;

    @Param({"FLOAT32", "FLOAT64"})
    DType dtype;

    Tensor a, b;
    FMatrixRMaj fa, fb, fc;
    DMatrixRMaj da, db, dc;

    @Setup
    public void setup() {
        a = Tensor.randn(new Random(1), dtype, n, n);
        b = Tensor.randn(new Random(2), dtype, n, n);
        fa = new FMatrixRMaj(n, n, true, a.toFloatArray());
        fb = new FMatrixRMaj(n, n, true, b.toFloatArray());
        fc = new FMatrixRMaj(n, n);
        da = new DMatrixRMaj(n, n, true, a.toDoubleArray());
        db = new DMatrixRMaj(n, n, true, b.toDoubleArray());
        dc = new DMatrixRMaj(n, n);
    }

    @Benchmark
    public Tensor tapegrad() { return a.matmul(b); }

    @Benchmark
    public Object ejml() {
        if (dtype == DType.FLOAT32) { CommonOps_FDRM.mult(fa, fb, fc); return fc; }
        CommonOps_DDRM.mult(da, db, dc);
        return dc;
    }

    @Benchmark
    public Object ejmlConcurrent() {
        if (dtype == DType.FLOAT32) { CommonOps_MT_FDRM.mult(fa, fb, fc); return fc; }
        CommonOps_MT_DDRM.mult(da, db, dc);
        return dc;
    }
}
