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
 */
final class Backprop {
    private Backprop() {}

    static Gradients run(String op, Tensor target, Tensor seed, GradientTape tape, Collection<Tensor> keep) {
        if (!target.tracksGradient())
            throw new IllegalStateException(op + ": tensor " + Shape.str(target.shape())
                    + " was not recorded on any tape (computed outside a GradientTape, or from no tensor that requires a gradient)");
        Node root = target.node;
        if (root != null && !root.live())
            throw new IllegalStateException(op + ": the GradientTape that recorded tensor " + Shape.str(target.shape()) + " is closed");
        if (root != null) root.owner.checkUsable(op);
        Tensor s = seed != null ? checkSeed(op, target, seed) : implicitSeed(op, target);
        if (tape == null) return sweep(target, s, keep);
        return tape.suspended(() -> sweep(target, s, keep));
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

    private static Gradients sweep(Tensor target, Tensor seed, Collection<Tensor> keep) {
        Set<Tensor> kept = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        kept.addAll(keep);
        IdentityHashMap<Tensor, Tensor> grads = new IdentityHashMap<>();
        IdentityHashMap<Tensor, Tensor> result = new IdentityHashMap<>();
        Set<Tensor> owned = java.util.Collections.newSetFromMap(new IdentityHashMap<>());   // sums made here, still in grads
        boolean inPlace = GradientTape.owner() == null;
        grads.put(target, seed);
        List<Tensor> order = topologicalOrder(target);
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
            for (int i = 0; i < in.length; i++) {
                Tensor x = in[i];
                if (!x.tracksGradient()) continue;
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
