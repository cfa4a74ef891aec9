package dev.tapegrad.benchmarks;

import dev.tapegrad.autodiff.Attention;
import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Normalization;
import dev.tapegrad.autodiff.Tensor;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Transformer block's fused primitives against the composites they replace, forward and backward for a fixed
 * cotangent, FLOAT32, at {@link TransformerStepBenchmark}'s sizes: causal attention over {@code [12, 4, 64, 32]}
 * ({@code ATTENTION} against {@code Attention.weights(...).matmul(v)}) and layer norm over {@code [12, 64, 128]} with
 * weight and bias ({@code LAYER_NORM} with its affine against the standardisation followed by {@code mul} and {@code add}), and
 * the feed-forward's GELU over {@code [12, 64, 512]} ({@code GELU} against {@code x (erf(x / sqrt 2) + 1) / 2}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FusedOpsBenchmark {
    Tensor q, k, v, g, mask, x, w, b, gx, h, gh;

    @Setup
    public void setup() {
        Random r = new Random(1);
        q = Tensor.randn(r, 12, 4, 64, 32).requiresGrad();
        k = Tensor.randn(r, 12, 4, 64, 32).requiresGrad();
        v = Tensor.randn(r, 12, 4, 64, 32).requiresGrad();
        g = Tensor.randn(r, 12, 4, 64, 32);
        mask = Attention.causalMask(64);
        x = Tensor.randn(r, 12, 64, 128).requiresGrad();
        w = Tensor.randn(r, 128).requiresGrad();
        b = Tensor.randn(r, 128).requiresGrad();
        gx = Tensor.randn(r, 12, 64, 128);
        h = Tensor.randn(r, 12, 64, 512).requiresGrad();
        gh = Tensor.randn(r, 12, 64, 512);
    }

    @Benchmark
    public Tensor[] attentionFused() {
        try (GradientTape tape = GradientTape.record()) {
            return tape.gradientWithSeed(Attention.scaledDotProduct(q, k, v, mask, false), g, q, k, v);
        }
    }

    @Benchmark
    public Tensor[] attentionComposite() {
        try (GradientTape tape = GradientTape.record()) {
            return tape.gradientWithSeed(Attention.weights(q, k, mask, false).matmul(v), g, q, k, v);
        }
    }

    @Benchmark
    public Tensor[] layerNormFused() {
        try (GradientTape tape = GradientTape.record()) {
            return tape.gradientWithSeed(Normalization.layerNorm(x, new int[] {128}, w, b, 1e-5), gx, x, w, b);
        }
    }

    @Benchmark
    public Tensor[] layerNormComposite() {
        try (GradientTape tape = GradientTape.record()) {
            return tape.gradientWithSeed(Normalization.layerNorm(x, new int[] {128}, null, null, 1e-5).mul(w).add(b), gx, x, w, b);
        }
    }

    @Benchmark
    public Tensor[] geluFused() {
        try (GradientTape tape = GradientTape.record()) {
            return tape.gradientWithSeed(h.gelu(), gh, h);
        }
    }

    @Benchmark
    public Tensor[] geluComposite() {
        try (GradientTape tape = GradientTape.record()) {
            return tape.gradientWithSeed(h.mul(h.mul(1 / Math.sqrt(2)).erf().add(1)).mul(0.5), gh, h);
        }
    }
}
