package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Tensor;
import java.util.Random;

/**
 * In training mode zeroes each element with probability {@code p} and scales the rest by {@code 1/(1-p)}
 * (inverted dropout, as {@code torch.nn.Dropout}); in eval mode the identity. The masks come from the
 * {@link Random} given here, so a seed fixes them; it is registered as {@code random} when {@code p > 0} ({@link Module#namedRandoms}).
 */
public final class Dropout extends Module {
    private final double p;
    private final Random random;

    public Dropout(double p, Random random) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("Dropout: p " + p + " must be in [0, 1)");
        this.p = p;
        Random r = java.util.Objects.requireNonNull(random, "Dropout: random is null");
        this.random = p > 0 ? random("random", r) : r;
    }

    @Override
    public Tensor forward(Tensor x) {
        Checks.input("Dropout", "x", x);
        if (!isTraining() || p == 0) return x;
        return x.dropout(p, random);
    }
}
