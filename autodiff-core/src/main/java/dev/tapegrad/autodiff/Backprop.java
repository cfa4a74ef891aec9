package dev.tapegrad.autodiff;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The reverse sweep: an iterative topological sort from the target, then one loop in reverse order.
 *
 * <p>Gradients that reach one tensor along several paths are summed. A sum the sweep made itself is a fresh
 * buffer that nothing else sees until the sweep moves past its tensor, so further terms are added into it in
 * place: a slice's gradient is added into its region of it ({@link Node.Placing}) instead of being padded
 * with zeros to the whole, and a matrix product's term is multiplied straight into it ({@link Node.Accumulating}).
 * While a tape records the sweep (higher-order gradients), every sum is a recorded {@code add} instead and
 * nothing is changed in place.
 *
 * <p>Asked for the gradients of some sources only ({@link GradientTape#gradient}, as {@code torch.autograd.grad}), the
 * sweep follows only the edges into tensors that a source depends on (itself included): a convolution asked for its
 * input's gradient does not form its weight's. This matters most inside a recording tape, where each gradient formed is
 * also recorded (a gradient penalty's {@code grad_x D(x)} would otherwise record every weight gradient of {@code D}).
 */
final class Backprop {
    private Backprop() {}

    /**
     * The gradients of {@code target} (a scalar, or any shape with a {@code seed} of its shape): with an empty {@code sources},
     * of every leaf that tracks a gradient ({@code backward}); else of the {@code sources} only (other tensors may be absent).
     */
    static Gradients run(String op, Tensor target, Tensor seed, GradientTape tape, Collection<Tensor> sources) {
        if (!target.tracksGradient())
            throw new IllegalStateException(op + ": tensor " + Shape.str(target.shape())
                    + " was not recorded on any tape (computed outside a GradientTape, or from no tensor that requires a gradient)");
        Node root = target.node;
        if (root != null && !root.live())
            throw new IllegalStateException(op + ": the GradientTape that recorded tensor " + Shape.str(target.shape()) + " is closed");
        if (root != null) root.owner.checkUsable(op);
        Tensor s = seed != null ? checkSeed(op, target, seed) : implicitSeed(op, target);
        if (tape == null) return sweep(target, s, sources);
        return tape.suspended(() -> sweep(target, s, sources));
    }

    private static Tensor implicitSeed(String op, Tensor target) {
        if (target.numel() != 1)
            throw new IllegalArgumentException(op + ": target of shape " + Shape.str(target.shape())
                    + " is not a scalar; pass a seed gradient of the same shape");
        return Tensor.full(target.dtype(), 1.0, target.shape());
    }

    private static Tensor checkSeed(String op, Tensor target, Tensor seed) {
        if (!Arrays.equals(seed.shape(), target.shape()) || seed.dtype() != target.dtype())
            throw new IllegalArgumentException(op + ": seed " + seed.dtype() + " " + Shape.str(seed.shape())
                    + " does not match target " + target.dtype() + " " + Shape.str(target.shape()));
        return seed;
    }

    private static Gradients sweep(Tensor target, Tensor seed, Collection<Tensor> sources) {
        Set<Tensor> kept = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        kept.addAll(sources);
        IdentityHashMap<Tensor, Tensor> grads = new IdentityHashMap<>();
        IdentityHashMap<Tensor, Tensor> result = new IdentityHashMap<>();
        Set<Tensor> owned = java.util.Collections.newSetFromMap(new IdentityHashMap<>());   // sums made here, still in grads
        boolean inPlace = GradientTape.owner() == null;
        grads.put(target, seed);
        List<Tensor> order = topologicalOrder(target);
        Set<Tensor> wanted = sources.isEmpty() ? null : dependedOn(order, kept);
        for (int k = order.size() - 1; k >= 0; k--) {
            Tensor t = order.get(k);
            Tensor g = grads.remove(t);
            if (g == null) continue;
            owned.remove(g);
            Node n = t.node;
            boolean interior = n != null && n.live();
            if (!interior || kept.contains(t)) result.put(t, g);
            if (!interior) continue;
            Tensor[] in = n.inputs;
            if (n.backward instanceof AllInputs a) a.wanted = wanted == null ? null : wantedInputs(in, wanted);
            for (int i = 0; i < in.length; i++) {
                Tensor x = in[i];
                if (!x.tracksGradient() || wanted != null && !wanted.contains(x)) continue;
                Tensor acc = grads.get(x);
                boolean mine = acc != null && owned.contains(acc) && acc.dtype() == g.dtype();   // owned only while inPlace
                if (mine && n.site == null && n.backward instanceof Node.Placing p) {
                    p.addInto(acc, g);
                    continue;
                }
                if (mine && n.site == null && n.backward instanceof Node.Accumulating a && a.addInto(acc, g, i)) continue;
                Tensor gi = n.backward.grad(g, i);
                if (gi == null) continue;
                if (n.site != null) Anomaly.checkBackward(n, i, g, gi);
                if (!Arrays.equals(gi.shape(), x.shape())) gi = gi.sumTo(x.shape());
                if (acc == null) {
                    grads.put(x, gi);
                    if (inPlace && (n.backward instanceof Node.Placing || n.backward instanceof Node.Accumulating)) owned.add(gi);   // a fresh tensor
                } else if (mine) {
                    Elementwise.accumulate(acc, gi);
                } else {
                    Tensor sum = acc.add(gi);
                    grads.put(x, sum);
                    if (inPlace) owned.add(sum);
                }
            }
        }
        return new Gradients(result);
    }

    /** The tensors of {@code order} (inputs before results) that are a source or have an input that is. */
    private static Set<Tensor> dependedOn(List<Tensor> order, Set<Tensor> sources) {
        Set<Tensor> on = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Tensor t : order) {
            boolean yes = sources.contains(t);
            Node n = t.node;
            if (!yes && n != null && n.live()) for (Tensor x : n.inputs) if (on.contains(x)) { yes = true; break; }
            if (yes) on.add(t);
        }
        return on;
    }

    private static boolean[] wantedInputs(Tensor[] in, Set<Tensor> wanted) {
        boolean[] w = new boolean[in.length];
        for (int i = 0; i < in.length; i++) w[i] = wanted.contains(in[i]);
        return w;
    }

    /** Tensors reachable from {@code target} through live nodes, each after all of its inputs. */
    private static List<Tensor> topologicalOrder(Tensor target) {
        List<Tensor> order = new ArrayList<>();
        Set<Tensor> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Tensor> stack = new ArrayDeque<>();
        ArrayDeque<Integer> next = new ArrayDeque<>();
        seen.add(target);
        stack.push(target);
        next.push(0);
        while (!stack.isEmpty()) {
            Tensor t = stack.peek();
            int i = next.pop();
            Node n = t.node;
            Tensor[] in = n != null && n.live() ? n.inputs : null;
            while (in != null && i < in.length && (!in[i].tracksGradient() || seen.contains(in[i]))) i++;
            if (in != null && i < in.length) {
                next.push(i + 1);
                seen.add(in[i]);
                stack.push(in[i]);
                next.push(0);
            } else {
                stack.pop();
                order.add(t);
            }
        }
        return order;
    }
}
