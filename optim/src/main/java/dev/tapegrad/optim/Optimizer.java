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

    /** Throws unless {@code ok}; returns {@code value}. For constructor validation. */
    protected static double check(String name, String what, double value, boolean ok) {
        if (!ok || Double.isNaN(value)) throw new IllegalArgumentException(name + ": invalid " + what + " " + value);
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

    /** Restores a {@link #stateDict()} of an optimizer of the same kind over parameters of the same shapes. */
    public final void loadStateDict(Map<String, Tensor> state) {
        String name = getClass().getSimpleName();
        if (!state.containsKey("lr")) throw new IllegalArgumentException(name + ".loadStateDict: missing key 'lr'");
        List<Slot> loaded = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) loaded.add(new Slot());
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            String k = e.getKey();
            if (k.equals("lr")) continue;
            int dot = k.indexOf('.');
            int i;
            try {
                i = Integer.parseInt(k.substring(0, Math.max(dot, 0)));
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException(name + ".loadStateDict: unexpected key '" + k + "'");
            }
            if (i < 0 || i >= params.size())
                throw new IllegalArgumentException(name + ".loadStateDict: key '" + k + "' names parameter " + i + " of " + params.size());
            String field = k.substring(dot + 1);
            if (field.equals("step")) {
                loaded.get(i).step = (long) e.getValue().item();
            } else {
                Tensor v = e.getValue();
                if (v.rank() != 0 && !java.util.Arrays.equals(v.shape(), params.get(i).shape()))
                    throw new IllegalArgumentException(name + ".loadStateDict: '" + k + "' has shape " + Shape.str(v.shape())
                            + " but parameter " + i + " has " + Shape.str(params.get(i).shape()));
                loaded.get(i).tensors.put(field, v.rank() == 0 ? v : v.to(params.get(i).dtype()));
            }
        }
        setLr(state.get("lr").item());
        for (int i = 0; i < slots.size(); i++) slots.set(i, loaded.get(i));
    }
}
