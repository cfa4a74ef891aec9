package dev.tapegrad.nn;

import dev.tapegrad.autodiff.DType;
import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Shape;
import dev.tapegrad.autodiff.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * Base of every layer and model, as {@code torch.nn.Module}: it owns {@link Parameter}s, {@link Buffer}s
 * and child modules, registered explicitly and in order by the subclass's constructor ({@link #param},
 * {@link #buffer}, {@link #child}), and computes {@link #forward}. Names are dotted paths
 * ({@code 0.weight}, {@code encoder.fc.bias}); a parameter registered twice (tied weights) is listed once,
 * under its first name. A layer that draws random numbers in {@code forward} (dropout) registers its
 * generator too ({@link #random}), so that training checkpoints can save and restore it: see {@link #namedRandoms}.
 */
public abstract class Module {
    private final Map<String, Parameter> params = new LinkedHashMap<>();
    private final Map<String, Buffer> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final Map<String, Random> randoms = new LinkedHashMap<>();
    private boolean training = true;

    /** The module's output for {@code x}. */
    public abstract Tensor forward(Tensor x);

    // ---- registration

    /** Registers a trainable parameter named {@code name} holding {@code init}. */
    protected final Parameter param(String name, Tensor init) {
        checkName(name);
        Parameter p = new Parameter(name, init);
        params.put(name, p);
        return p;
    }

    /** Registers an existing parameter (for tied weights). */
    protected final Parameter param(String name, Parameter p) {
        checkName(name);
        params.put(name, Objects.requireNonNull(p, () -> getClass().getSimpleName() + ": parameter '" + name + "' is null"));
        return p;
    }

    /** Registers a non-trainable state tensor. */
    protected final Buffer buffer(String name, Tensor init) {
        checkName(name);
        Buffer b = new Buffer(name, init, false);
        buffers.put(name, b);
        return b;
    }

    /** Registers a counter: a 0-d integral buffer starting at 0, written as I64 (see {@link Buffer#integral()}). */
    protected final Buffer counter(String name) {
        checkName(name);
        Buffer b = new Buffer(name, Tensor.scalar(0), true);
        buffers.put(name, b);
        return b;
    }

    /** The dotted names of the counters among the buffers (to write them as I64). */
    public final java.util.Set<String> integralBuffers() {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        namedBuffers().forEach((k, b) -> { if (b.integral()) out.add(k); });
        return out;
    }

    /**
     * Registers the generator {@code r} that {@code forward} draws from (dropout masks), so that
     * {@link #namedRandoms} lists it; a null generator registers nothing (a layer that never draws). It is
     * not a parameter nor a buffer, and not in the state dict (training checkpoints hold it).
     */
    protected final Random random(String name, Random r) {
        checkName(name);
        if (r != null) randoms.put(name, r);
        return r;
    }

    /** Registers a child module. */
    protected final <M extends Module> M child(String name, M m) {
        checkName(name);
        children.put(name, Objects.requireNonNull(m, () -> getClass().getSimpleName() + ": child '" + name + "' is null"));
        return m;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains("."))
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name + "' must be non-empty and contain no '.'");
        if (params.containsKey(name) || buffers.containsKey(name) || children.containsKey(name) || randoms.containsKey(name))
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name + "' is already registered");
    }

    // ---- traversal

    /** The child modules in registration order. */
    public final Map<String, Module> children() { return Collections.unmodifiableMap(children); }

    /** Every parameter of this module and its descendants, each once, in registration order. */
    public final List<Parameter> parameters() { return new ArrayList<>(namedParameters().values()); }

    /**
     * Every parameter with its dotted name, each once (tied parameters under their first name). As in
     * PyTorch, a module's own parameters come before its children's, depth first.
     */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        collect("", out, seen);
        return out;
    }

    private void collect(String prefix, Map<String, Parameter> out, Set<Parameter> seen) {
        for (Map.Entry<String, Parameter> e : params.entrySet()) if (seen.add(e.getValue())) out.put(prefix + e.getKey(), e.getValue());
        for (Map.Entry<String, Module> e : children.entrySet()) e.getValue().collect(prefix + e.getKey() + ".", out, seen);
    }

    /** Every buffer with its dotted name. */
    public final Map<String, Buffer> namedBuffers() {
        Map<String, Buffer> out = new LinkedHashMap<>();
        collectBuffers("", out);
        return out;
    }

    private void collectBuffers(String prefix, Map<String, Buffer> out) {
        for (Map.Entry<String, Buffer> e : buffers.entrySet()) out.put(prefix + e.getKey(), e.getValue());
        for (Map.Entry<String, Module> e : children.entrySet()) e.getValue().collectBuffers(prefix + e.getKey() + ".", out);
    }

    /**
     * Every random generator that this module and its descendants draw from in {@code forward}, by dotted name
     * ({@code layers.0.dropout.random}), each instance once, under its first name (layers built from one shared
     * {@code Random} list it once, as tied parameters are): saving and restoring each listed instance once
     * restores them all. Own generators come before the children's, depth first.
     */
    public final Map<String, Random> namedRandoms() {
        Map<String, Random> out = new LinkedHashMap<>();
        collectRandoms("", out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private void collectRandoms(String prefix, Map<String, Random> out, Set<Random> seen) {
        for (Map.Entry<String, Random> e : randoms.entrySet()) if (seen.add(e.getValue())) out.put(prefix + e.getKey(), e.getValue());
        for (Map.Entry<String, Module> e : children.entrySet()) e.getValue().collectRandoms(prefix + e.getKey() + ".", out, seen);
    }

    /** Number of trainable scalars. */
    public final long parameterCount() { return parameters().stream().mapToLong(p -> Shape.size(p.shape())).sum(); }

    // ---- modes

    /** Training mode (the default): dropout drops, batch norm uses and updates batch statistics. */
    public final Module train() { return setTraining(true); }

    /** Evaluation mode: dropout is the identity, batch norm uses its running statistics. */
    public final Module eval() { return setTraining(false); }

    public final boolean isTraining() { return training; }

    private Module setTraining(boolean t) {
        training = t;
        for (Module m : children.values()) m.setTraining(t);
        return this;
    }

    /** Converts every parameter and buffer to {@code dtype} in place; returns this module. */
    public final Module to(DType dtype) {
        for (Parameter p : parameters()) p.to(dtype);
        for (Buffer b : namedBuffers().values()) b.to(dtype);
        return this;
    }

    // ---- state

    /** Parameter values and buffers by dotted name, in registration order (PyTorch's {@code state_dict}). */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        namedParameters().forEach((k, p) -> out.put(k, p.value().detach()));
        namedBuffers().forEach((k, b) -> out.put(k, b.value()));
        return out;
    }

    /**
     * Loads {@code state} strictly: missing keys, unexpected keys and shape mismatches are all reported
     * together in one {@link IllegalArgumentException}, and nothing is changed then. Values are converted
     * to each parameter's dtype. A counter must hold a count (an integer from 0; PyTorch's is an int64); a missing
     * one (older files lack batch norm's {@code num_batches_tracked}) is set to 0, as PyTorch does.
     */
    public final void loadStateDict(Map<String, Tensor> state) {
        String op = getClass().getSimpleName() + ".loadStateDict";
        Objects.requireNonNull(state, () -> op + ": state is null");
        Map<String, Parameter> ps = namedParameters();
        Map<String, Buffer> bs = namedBuffers();
        List<String> problems = new ArrayList<>();
        for (String k : ps.keySet()) if (!state.containsKey(k)) problems.add("missing key '" + k + "'");
        for (Map.Entry<String, Buffer> e : bs.entrySet()) if (!state.containsKey(e.getKey()) && !e.getValue().integral()) problems.add("missing key '" + e.getKey() + "'");
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            String k = e.getKey();
            Tensor v = Objects.requireNonNull(e.getValue(), () -> op + ": '" + k + "' is null");
            int[] want = ps.containsKey(k) ? ps.get(k).shape() : bs.containsKey(k) ? bs.get(k).value().shape() : null;
            String refused = bs.containsKey(k) ? bs.get(k).refusal(v) : null;
            if (want == null) problems.add("unexpected key '" + k + "'");
            else if (!Arrays.equals(want, v.shape()))
                problems.add("shape mismatch for '" + k + "': model has " + Shape.str(want) + ", state has " + Shape.str(v.shape()));
            else if (refused != null) problems.add("counter '" + k + "' " + refused);
        }
        if (!problems.isEmpty()) throw new IllegalArgumentException(op + ": " + String.join("; ", problems));
        ps.forEach((k, p) -> p.assign(state.get(k).to(p.dtype()).detach()));
        bs.forEach((k, b) -> b.set(state.getOrDefault(k, Tensor.scalar(0))));
    }

    // ---- summary

    /**
     * A Keras-style table of the layers, their output shapes and parameter counts for an input of shape
     * {@code [batch, inputShape...]} (batch 1, printed as -1). Runs one forward pass in eval mode on zeros
     * of the first parameter's dtype (FLOAT32 when there is none), then restores the mode.
     */
    public final String summary(int... inputShape) {
        Shape.checked(getClass().getSimpleName() + ".summary", inputShape);
        int[] shape = new int[inputShape.length + 1];
        shape[0] = 1;
        System.arraycopy(inputShape, 0, shape, 1, inputShape.length);
        List<Parameter> ps = parameters();
        DType dtype = ps.isEmpty() ? DType.FLOAT32 : ps.get(0).dtype();
        boolean wasTraining = training;
        eval();
        List<String[]> rows = new ArrayList<>();
        try (var pause = dev.tapegrad.autodiff.GradientTape.pause()) {
            summarize("", Tensor.zeros(dtype, shape), rows);
        } finally {
            setTraining(wasTraining);
        }
        StringBuilder b = new StringBuilder();
        String fmt = "%-28s %-22s %12s%n";
        b.append(String.format(fmt, "Layer (type)", "Output shape", "Params"));
        b.append("=".repeat(64)).append('\n');
        for (String[] r : rows) b.append(String.format(fmt, r[0], r[1], r[2]));
        b.append("=".repeat(64)).append('\n');
        b.append(String.format("Total params: %,d%n", parameterCount()));
        return b.toString();
    }

    /** Appends this module's rows for input {@code x} and returns its output; containers list their children. */
    Tensor summarize(String name, Tensor x, List<String[]> rows) {
        Tensor y = forward(x);
        rows.add(new String[] {(name.isEmpty() ? "" : name + " ") + "(" + getClass().getSimpleName() + ")", batchShape(y),
                String.format("%,d", parameterCount())});
        return y;
    }

    static String batchShape(Tensor y) {
        int[] s = y.shape();
        if (s.length > 0) s[0] = -1;
        return Shape.str(s);
    }

    @Override
    public String toString() { return getClass().getSimpleName() + children.keySet(); }
}
