package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Shape;
import dev.tapegrad.autodiff.Tensor;
import java.util.Random;

/**
 * {@code y = x W^T + b}: input {@code [..., in]}, output {@code [..., out]}; {@code weight} is
 * {@code [out, in]}, {@code bias} {@code [out]}. Initialised as PyTorch's {@code nn.Linear}: both uniform in
 * {@code [-1/sqrt(in), 1/sqrt(in)]} (Kaiming uniform with {@code a = sqrt(5)}), FLOAT32.
 */
public final class Linear extends Module {
    public final Parameter weight;
    public final Parameter bias;
    private final int in;

    public Linear(int in, int out, Random random) { this(in, out, true, random); }

    public Linear(int in, int out, boolean bias, Random random) {
        if (in <= 0 || out <= 0) throw new IllegalArgumentException("Linear: in " + in + " and out " + out + " must be positive");
        Checks.fits("Linear", new long[] {out, in}, new long[] {bias ? out : 0});
        this.in = in;
        double bound = 1 / Math.sqrt(in);
        weight = param("weight", Init.uniform(random, -bound, bound, out, in));
        this.bias = bias ? param("bias", Init.uniform(random, -bound, bound, out)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        Checks.input("Linear", "x", x, weight.dtype());
        if (x.rank() == 0 || x.size(-1) != in)
            throw new IllegalArgumentException("Linear: expected input [..., " + in + "], got " + Shape.str(x.shape()));
        return x.linear(weight.value(), bias == null ? null : bias.value());
    }
}
