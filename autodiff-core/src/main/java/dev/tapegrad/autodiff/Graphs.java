package dev.tapegrad.autodiff;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Inspection of a recorded graph: the operations that produced a tensor on a live tape, as text ({@link
 * #describe}) or as Graphviz DOT ({@link #dot}; render with {@code dot -Tpng}). Each node shows its
 * primitive, shape and dtype, and the line of code that created it when {@link GradientTape#detectAnomaly()}
 * was on; leaves show whether they want a gradient.
 */
public final class Graphs {
    private Graphs() {}

    /**
     * One line per tensor reachable from {@code t} through live nodes, the target first: {@code %id = OP(%a,
     * %b) [shape] dtype  @ site}, leaves as {@code %id = leaf [shape] dtype (requiresGrad)}.
     */
    public static String describe(Tensor t) {
        StringBuilder b = new StringBuilder();
        Map<Tensor, Integer> ids = walk(t);
        ids.forEach((x, id) -> {
            b.append('%').append(id).append(" = ");
            Node n = liveNode(x);
            if (n == null) b.append("leaf");
            else {
                b.append(n.op).append('(');
                for (int i = 0; i < n.inputs.length; i++) b.append(i == 0 ? "" : ", ").append(ids.containsKey(n.inputs[i]) ? "%" + ids.get(n.inputs[i]) : "const");
                b.append(')');
            }
            b.append(' ').append(Shape.str(x.shape)).append(' ').append(x.dtype());
            if (n == null && x.requiresGrad) b.append(" (requiresGrad)");
            if (n != null && n.site != null) b.append("  @ ").append(n.site);
            b.append('\n');
        });
        return b.toString();
    }

    /** The same graph as a Graphviz {@code digraph}: an edge from each input to the operation that used it. */
    public static String dot(Tensor t) {
        StringBuilder b = new StringBuilder("digraph tapegrad {\n  rankdir=BT;\n  node [shape=box, fontname=\"monospace\"];\n");
        Map<Tensor, Integer> ids = walk(t);
        ids.forEach((x, id) -> {
            Node n = liveNode(x);
            String label = (n == null ? (x.requiresGrad ? "leaf (requiresGrad)" : "leaf") : n.op.toString()) + "\\n" + Shape.str(x.shape) + " " + x.dtype()
                    + (n != null && n.site != null ? "\\n" + n.site.replace("\"", "'") : "");
            b.append("  n").append(id).append(" [label=\"").append(label).append('"').append(n == null ? ", style=rounded" : "").append("];\n");
            if (n != null) for (Tensor in : n.inputs) if (ids.containsKey(in)) b.append("  n").append(ids.get(in)).append(" -> n").append(id).append(";\n");
        });
        return b.append("}\n").toString();
    }

    /**
     * Every tensor reachable from {@code t} through live nodes (inputs that track a gradient), numbered
     * breadth first in insertion order ({@code Tensor} keeps identity equality, so equal values stay apart).
     */
    private static Map<Tensor, Integer> walk(Tensor t) {
        java.util.Objects.requireNonNull(t, "Graphs: tensor is null");
        Map<Tensor, Integer> ids = new LinkedHashMap<>();
        ArrayDeque<Tensor> queue = new ArrayDeque<>();
        queue.add(t);
        ids.put(t, 0);
        while (!queue.isEmpty()) {
            Node n = liveNode(queue.poll());
            if (n == null) continue;
            for (Tensor in : n.inputs)
                if (in.tracksGradient() && !ids.containsKey(in)) {
                    ids.put(in, ids.size());
                    queue.add(in);
                }
        }
        return ids;
    }

    private static Node liveNode(Tensor x) { return x.node != null && x.node.live() ? x.node : null; }
}
