package dev.tapegrad.benchmarks;

import dev.tapegrad.autodiff.Attention;
import dev.tapegrad.autodiff.Gradients;
import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.Losses;
import dev.tapegrad.nn.TransformerEncoderLayer;
import dev.tapegrad.optim.SGD;
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
 * One training step of one Transformer block at nanoGPT's CPU size, FLOAT32: a pre-norm
 * {@link TransformerEncoderLayer} (d 128, 4 heads, GELU feed-forward 512, dropout 0) over a batch of 12 windows
 * of 64 positions with the causal mask; forward, mean squared error against a fixed target, backward and an SGD
 * update (learning rate 0.01). {@code benchmarks/peers-python/transformer_step.py} times the same step on PyTorch.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TransformerStepBenchmark {
    static final int BATCH = 12, CONTEXT = 64, D = 128, HEADS = 4;

    TransformerEncoderLayer block;
    SGD sgd;
    Tensor x, target, mask;

    @Setup
    public void setup() {
        Random r = new Random(1);
        block = new TransformerEncoderLayer(D, HEADS, 4 * D, 0, "gelu", 1e-5, true, true, r);
        sgd = new SGD(block.parameters(), Workloads.LEARNING_RATE);
        x = Tensor.randn(r, BATCH, CONTEXT, D);
        target = Tensor.randn(r, BATCH, CONTEXT, D);
        mask = Attention.causalMask(CONTEXT);
    }

    @Benchmark
    public double step() {
        Gradients g;
        double loss;
        try (GradientTape tape = GradientTape.record()) {
            Tensor l = Losses.mse(block.forward(x, mask, null), target);
            loss = l.item();
            g = l.backward();
        }
        sgd.step(g);
        return loss;
    }
}
