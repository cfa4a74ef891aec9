package dev.tapegrad.optim;

import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Gradients;
import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Shape;
import dev.tapegrad.autodiff.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Updates {@link Parameter}s from a backward pass's {@link Gradients}: {@code optimizer.step(grads)}.
 * Each parameter has its own state (moment estimates, step count {@code t}, starting at 1 on its first
 * update); a parameter with no gradient in {@code grads} is skipped and its state does not advance, as in
 * PyTorch. Updates run outside any recording (inside {@link GradientTape#pause()}), so {@code step} may be
 * called inside or after a tape. {@link #stateDict()} and {@link #loadStateDict} save and restore the
 * learning rate and every state tensor, so training resumes exactly.
 */
public abstract class Optimizer {
    /** The state of one parameter: its step count and named tensors. */
    protected static final class Slot {
        long step;
        final Map<String, Tensor> tensors = new LinkedHashMap<>();

        /** The state tensor {@code name}, initialised to {@code init} on first use. */
        public Tensor get(String name, Tensor init) { return tensors.computeIfAbsent(name, k -> init); }

        /** The state tensor {@code name}, zeros shaped like {@code like} on first use (allocated only then). */
        public Tensor zerosIfAbsent(String name, Tensor like) { return tensors.computeIfAbsent(name, k -> Tensor.zerosLike(like)); }

        public void put(String name, Tensor t) { tensors.put(name, t); }

        /** How many updates this parameter has had, counting the current one. */
        public long step() { return step; }
    }

    private final List<Parameter> params;
    private final List<Slot> slots = new ArrayList<>();
    private double lr;

    protected Optimizer(String name, List<Parameter> params, double lr) {
        java.util.Objects.requireNonNull(params, () -> name + ": params is null");
        if (params.isEmpty()) throw new IllegalArgumentException(name + ": no parameters to optimize");
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < params.size(); i++)
            if (params.get(i) == null) throw new NullPointerException(name + ": parameter " + i + " of " + params.size() + " is null");
        for (Parameter p : params)
            if (!seen.add(p)) throw new IllegalArgumentException(name + ": parameter " + p + " is listed twice");
        this.params = List.copyOf(params);
        for (int i = 0; i < params.size(); i++) slots.add(new Slot());
        this.lr = check(name, "lr", lr, lr >= 0);
    }

    /**
     * Throws unless {@code ok} and {@code value} is finite (PyTorch takes an infinite rate, which only makes NaN
     * weights); returns {@code value}. For constructor validation.
     */
    protected static double check(String name, String what, double value, boolean ok) {
        if (!ok || !Double.isFinite(value)) throw new IllegalArgumentException(name + ": invalid " + what + " " + value);
        return value;
    }

    public final List<Parameter> parameters() { return params; }

    public final double lr() { return lr; }

    /** Sets the learning rate (schedules use this). */
    public final void setLr(double lr) { this.lr = check(getClass().getSimpleName(), "lr", lr, lr >= 0); }

    /**
     * One update of every parameter that has a gradient in {@code grads}. A gradient whose shape is not its
     * parameter's is refused before any parameter changes (it would broadcast into a wrong update).
     */
    public final void step(Gradients grads) {
        String name = getClass().getSimpleName();
        java.util.Objects.requireNonNull(grads, () -> name + ".step: grads is null");
        for (int i = 0; i < params.size(); i++) {
            Tensor g = grads.get(params.get(i));
            if (g != null && !java.util.Arrays.equals(g.shape(), params.get(i).shape()))
                throw new IllegalArgumentException(name + ".step: the gradient of parameter " + i + " (" + params.get(i) + ") has shape "
                        + Shape.str(g.shape()) + ", not the parameter's");
        }
        try (GradientTape.Pause pause = GradientTape.pause()) {
            for (int i = 0; i < params.size(); i++) {
                Parameter p = params.get(i);
                Tensor g = grads.get(p);
                if (g == null) continue;
                Slot s = slots.get(i);
                s.step++;
                p.assign(update(p.value().detach(), g.detach().to(p.dtype()), s));
            }
        }
    }

    /** The parameter's new value from its value {@code p}, gradient {@code g} and state. */
    protected abstract Tensor update(Tensor p, Tensor g, Slot s);

    /** {@code lr}, and per parameter index {@code i}: {@code i.step} and each state tensor {@code i.<name>}. */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("lr", Tensor.scalar(lr));
        for (int i = 0; i < slots.size(); i++) {
            Slot s = slots.get(i);
            out.put(i + ".step", Tensor.scalar(s.step));
            for (Map.Entry<String, Tensor> e : s.tensors.entrySet()) out.put(i + "." + e.getKey(), e.getValue());
        }
        return out;
    }

    /**
     * The names of the state tensors (PyTorch's: {@code exp_avg}, ...) that {@link #update} gives a parameter, for
     * {@link #loadStateDict}; null (the default, for an optimizer of one's own that does not name them) lets it take any
     * name and check only the shapes.
     */
    protected List<String> stateNames() { return null; }

    /** Those of {@link #stateNames()} that are 0-d; the others have their parameter's shape. */
    protected List<String> scalarStateNames() { return List.of(); }

    /**
     * Restores a {@link #stateDict()} of an optimizer of the same kind and settings over parameters of the same
     * shapes, strictly: {@code lr} and every {@code i.step} (a 0-d integer from 0) must be there; a parameter with
     * steps must have each of this optimizer's state tensors, in its shape (or 0-d, see {@link #scalarStateNames}),
     * and one without none; any other key is refused. All problems are reported together in one
     * {@link IllegalArgumentException} naming the optimizer and the keys, and nothing is changed then. State tensors
     * are converted to their parameter's dtype, as PyTorch's {@code load_state_dict} casts them.
     */
    public final void loadStateDict(Map<String, Tensor> state) {
        String op = getClass().getSimpleName() + ".loadStateDict";
        java.util.Objects.requireNonNull(state, () -> op + ": state is null");
        List<String> names = stateNames(), scalars = scalarStateNames();
        List<String> problems = new ArrayList<>();
        List<Slot> loaded = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) loaded.add(new Slot());
        double lr = Double.NaN;
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            String k = java.util.Objects.requireNonNull(e.getKey(), () -> op + ": a key is null");
            Tensor v = java.util.Objects.requireNonNull(e.getValue(), () -> op + ": '" + k + "' is null");
            int dot = k.indexOf('.'), i = dot > 0 && k.substring(0, dot).matches("-?(0|[1-9][0-9]{0,8})") ? Integer.parseInt(k.substring(0, dot)) : Integer.MIN_VALUE;
            String field = k.substring(dot + 1);
            if (k.equals("lr")) lr = number(k, v, x -> x >= 0 && Double.isFinite(x), "learning rate (finite, >= 0)", problems);
            else if (i == Integer.MIN_VALUE || !(field.equals("step") || names == null || names.contains(field))) problems.add("unexpected key '" + k + "'");
            else if (i < 0 || i >= params.size()) problems.add("key '" + k + "' names parameter " + i + " of " + params.size());
            else if (field.equals("step")) {
                double t = number(k, v, x -> x >= 0 && x == Math.rint(x) && x <= 0x1p53, "step count (an integer >= 0)", problems);
                loaded.get(i).step = Double.isNaN(t) ? -1 : (long) t;   // -1: refused already
            } else {
                int[] want = scalars.contains(field) ? new int[0] : params.get(i).shape();
                if (!java.util.Arrays.equals(v.shape(), want))
                    problems.add("'" + k + "' has shape " + Shape.str(v.shape()) + " but parameter " + i + "'s needs " + Shape.str(want));
                else loaded.get(i).tensors.put(field, scalars.contains(field) ? v : v.to(params.get(i).dtype()));
            }
        }
        if (!state.containsKey("lr")) problems.add("missing key 'lr'");
        for (int i = 0; i < params.size(); i++) {
            Slot s = loaded.get(i);
            if (!state.containsKey(i + ".step")) problems.add("missing key '" + i + ".step'");
            else if (s.step > 0) {
                if (names != null) for (String n : names)
                    if (!s.tensors.containsKey(n)) problems.add("missing key '" + i + "." + n + "' (parameter " + i + " has taken " + s.step + (s.step == 1 ? " step)" : " steps)"));
            } else if (s.step == 0) for (String n : s.tensors.keySet()) problems.add("unexpected key '" + i + "." + n + "' (parameter " + i + " has taken no step)");
        }
        if (!problems.isEmpty()) throw new IllegalArgumentException(op + ": " + String.join("; ", problems));
        setLr(lr);
        for (int i = 0; i < slots.size(); i++) slots.set(i, loaded.get(i));
    }

    /** The value of the 0-d {@code v} under {@code key} when {@code ok}; else NaN, and the problem noted ({@code what} it should be). */
    static double number(String key, Tensor v, java.util.function.DoublePredicate ok, String what, List<String> problems) {
        if (v.rank() != 0) problems.add("'" + key + "' is " + Shape.str(v.shape()) + ", not a 0-d " + what);
        else if (ok.test(v.item())) return v.item();
        else problems.add("'" + key + "' is " + v.item() + ", not a " + what);
        return Double.NaN;
    }
}
