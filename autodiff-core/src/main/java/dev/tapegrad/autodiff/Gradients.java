package dev.tapegrad.autodiff;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import dev.tapegrad.autodiff.kernel.NormKernelsF32;
import dev.tapegrad.autodiff.kernel.NormKernelsF64;

/**
 * The result of a backward pass: the gradient of the target with respect to each leaf that tracks a
 * gradient (and each tensor asked for by {@link GradientTape#gradient}), keyed by identity. A tensor the
 * target does not depend on has no entry: {@link #get} returns {@code null}, as in TensorFlow.
 */
public final class Gradients {
    private final Map<Tensor, Tensor> grads;

    Gradients(IdentityHashMap<Tensor, Tensor> grads) { this.grads = grads; }

    /** The gradient with respect to {@code t} (same shape and dtype), or {@code null}. */
    public Tensor get(Tensor t) { return grads.get(t); }

    /** The gradient with respect to the parameter's current value, or {@code null}. */
    public Tensor get(Parameter p) { return grads.get(p.value()); }

    /** Whether there is a gradient for {@code t}. */
    public boolean contains(Tensor t) { return grads.containsKey(t); }

    /** The tensors that have a gradient (an identity-based set). */
    public Set<Tensor> keys() { return Collections.unmodifiableSet(grads.keySet()); }

    /** A new {@code Gradients} with {@code fn} applied to every gradient (same keys); for clipping and scaling. */
    public Gradients map(java.util.function.UnaryOperator<Tensor> fn) {
        IdentityHashMap<Tensor, Tensor> out = new IdentityHashMap<>();
        java.util.Objects.requireNonNull(fn, "Gradients.map: fn is null");
        for (Map.Entry<Tensor, Tensor> e : grads.entrySet())
            out.put(e.getKey(), java.util.Objects.requireNonNull(fn.apply(e.getValue()), "Gradients.map: fn returned null"));
        return new Gradients(out);
    }

    /**
     * The Euclidean norm of all gradients taken together, {@code sqrt(sum_i sum(g_i^2))}. The per-tensor sums are
     * added in ascending order, so the result does not depend on the order of the identity-keyed map (which
     * changes from run to run) and clipping by it keeps runs bit-identical.
     */
    public double globalNorm() {
        double[] parts = grads.values().stream().mapToDouble(Gradients::sumOfSquares).sorted().toArray();
        double s = 0;
        for (double p : parts) s += p;
        return Math.sqrt(s);
    }

    /** Values per block of {@link #sumOfSquares}. */
    private static final int BLOCK = 1024;

    /**
     * {@code sum(g^2)}: batch norm's channel sums ({@code NormKernels.sums}, {@code sum (a - 0)(a - 0)}) over one channel of
     * {@code BLOCK}-value blocks, each block summed in vector lanes and the blocks in double, then the last
     * {@code n mod BLOCK} values in order: an order set by the size alone.
     */
    private static double sumOfSquares(Tensor g) {
        int n = g.numel(), blocks = n / BLOCK;
        double[] zero = {0}, s = new double[1], q = new double[1];
        if (blocks > 0) {
            if (g.f != null) NormKernelsF32.sums(g.f, zero, g.f, zero, blocks, 1, BLOCK, s, q);
            else NormKernelsF64.sums(g.d, zero, g.d, zero, blocks, 1, BLOCK, s, q);
        }
        double sum = q[0];
        for (int i = blocks * BLOCK; i < n; i++) {
            double v = g.f != null ? g.f[i] : g.d[i];
            sum += v * v;
        }
        return sum;
    }

    /** Number of tensors with a gradient. */
    public int size() { return grads.size(); }
}
