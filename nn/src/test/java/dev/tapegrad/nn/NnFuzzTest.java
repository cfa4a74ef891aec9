package dev.tapegrad.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.tapegrad.autodiff.DType;
import dev.tapegrad.autodiff.FuzzArgs;
import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Gradients;
import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.optim.LrSchedule;
import dev.tapegrad.optim.Optimizer;
import dev.tapegrad.optim.ReduceLrOnPlateau;
import dev.tapegrad.optim.SGD;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fuzz rules of core's {@code FuzzTest} for nn and optim, on what reflection finds in {@code dev.tapegrad.nn}
 * and {@code dev.tapegrad.optim} (so a new public class or method is fuzzed without being listed): every public
 * constructor of a layer, then one of the layer's public methods (mostly a {@code forward}) in training or eval
 * mode, inside a tape or not, with backward from the sum of each output; every public static method ({@link Losses},
 * {@link Init}, {@code Clipping}, {@code LrSchedule}); every public constructor in optim, then two steps of the
 * optimizer with generated gradients (or a step of the schedule or plateau rule).
 *
 * <p>Arguments: ints mostly 0..8, sometimes negative or {@code Integer.MAX_VALUE}, so that legal calls stay cheap
 * while illegal ones are exercised (no legal size is huge); doubles with NaN, infinities and negatives; strings
 * from a small set of valid and invalid options; nulls. Inputs of a layer are shaped from its constructor's ints
 * often enough that forward passes run: the last axis, axis 1 or the trailing axes take one of them, and index
 * tensors take integral values below one; the losses' logits, labels and targets share one shape most of the time.
 *
 * <p>Acceptable failures are those of {@link FuzzArgs#problem}, made stricter: a null argument of a {@code forward}
 * or a loss is named by our own message ({@code "Linear.forward: x is null"}), not the JDK's, and an exception from
 * a layer or a loss names it (the layer's class, one of its sub-layers', or the loss).
 */
class NnFuzzTest {
    static final int CALLS = 60_000;
    /** A single call slower than this counts as a hang. */
    static final long SLOW_NANOS = 10_000_000_000L;

    private static final Set<String> PACKAGES = Set.of("dev.tapegrad.nn", "dev.tapegrad.optim");
    private static final List<Executable> TARGETS = targets();
    private static final int[] INTS = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    private static final int[] ODD_INTS = {-1, -2, Integer.MIN_VALUE, Integer.MAX_VALUE};
    private static final String[] STRINGS = {"tanh", "relu", "gelu", "sum", "mean", "none", "", "RELU", null};

    /** Public constructors of public concrete classes (records and enums aside) and public static methods of public types. */
    private static List<Executable> targets() {
        List<Executable> out = new ArrayList<>();
        for (JavaClass jc : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(PACKAGES)) {
            Class<?> c = jc.reflect();
            if (!PACKAGES.contains(c.getPackageName()) || !Modifier.isPublic(c.getModifiers()) || c.isRecord() || c.isEnum()) continue;
            if (!Modifier.isAbstract(c.getModifiers()) && !c.isInterface()) out.addAll(List.of(c.getConstructors()));
            for (Method m : c.getDeclaredMethods())
                if (Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers()) && !m.isSynthetic()) out.add(m);
        }
        out.sort(Comparator.comparing(Executable::toString));
        return out;
    }

    /** Counts of what ran, for the report and the check that forward passes do run. */
    private int calls, madeLayers, forwards, forwardsReturned, losses, lossesReturned, steps;
    private long slowest;
    private String slowestCall = "";
    private final TreeMap<String, String> failures = new TreeMap<>();

    @Test
    @Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void layersLossesAndOptimizersFailOnlyWithClearExceptions() {
        assertTrue(TARGETS.size() > 80, "too few fuzz targets found: " + TARGETS);
        Random r = new Random(20261202);
        long start = System.nanoTime();
        for (int i = 0; i < CALLS && failures.size() < 30; i++) fuzz(TARGETS.get(r.nextInt(TARGETS.size())), r);
        System.out.printf("NnFuzzTest: %,d calls (%,d layers made, %,d layer calls of which %,d returned, %,d loss calls of which %,d returned,"
                + " %,d optimizer steps) of %d targets in %.1f s; slowest %.2f s: %s%n", calls, madeLayers, forwards, forwardsReturned, losses,
                lossesReturned, steps, TARGETS.size(), (System.nanoTime() - start) / 1e9, slowest / 1e9, slowestCall);
        if (!failures.isEmpty()) fail(failures.size() + " kinds of unclear failure:\n" + String.join("\n", failures.values()));
        assertTrue(forwardsReturned > forwards / 10 && lossesReturned > losses / 10, "too few forward passes or losses ran: the generator only tests the first checks");
    }

    private void fuzz(Executable e, Random r) {
        Context ctx = new Context(r);
        Object[] args = new Object[e.getParameterCount()];
        for (int i = 0; i < args.length; i++) args[i] = ctx.arg(e.getParameters()[i]);
        boolean tape = r.nextInt(3) == 0;
        Object made = call(e, null, args, tape, names(e));
        if (made == NOTHING) return;
        if (made instanceof Module m) exercise(m, ctx, args, r);
        else if (made instanceof Optimizer o) step(o, ctx);
        else if (made instanceof ReduceLrOnPlateau p) call(method(ReduceLrOnPlateau.class, "step", double.class), p, new Object[] {ctx.dbl()}, false, Set.of());
        else if (made instanceof LrSchedule s) call(method(LrSchedule.class, "lr", long.class, double.class), s, new Object[] {(long) ctx.anInt(), ctx.dbl()}, false, Set.of());
    }

    /** One public method of the layer (mostly a forward), on inputs shaped from the constructor's arguments. */
    private void exercise(Module m, Context ctx, Object[] ctorArgs, Random r) {
        madeLayers++;
        List<Method> methods = new ArrayList<>(), forwardMethods = new ArrayList<>();
        for (Method k : m.getClass().getMethods())
            if (!Modifier.isStatic(k.getModifiers()) && k.getDeclaringClass() != Object.class && (k.getDeclaringClass() != Module.class || k.getName().equals("summary")))
                (k.getName().equals("forward") ? forwardMethods : methods).add(k);
        forwardMethods.sort(Comparator.comparing(Method::toString));
        methods.sort(Comparator.comparing(Method::toString));
        Method k = r.nextInt(6) != 0 || methods.isEmpty() ? forwardMethods.get(r.nextInt(forwardMethods.size())) : methods.get(r.nextInt(methods.size()));
        ctx.shapeFrom(ctorArgs);
        if (r.nextInt(3) == 0) m.to(DType.FLOAT64);
        List<Parameter> ps = m.parameters();
        if (!ps.isEmpty() && r.nextInt(4) != 0) ctx.dtype = ps.get(0).dtype();
        if (r.nextBoolean()) m.eval();
        Object[] args = new Object[k.getParameterCount()];
        for (int i = 0; i < args.length; i++) args[i] = ctx.input(k.getParameters()[i]);
        forwards++;
        if (call(k, m, args, r.nextBoolean(), names(m)) != NOTHING) forwardsReturned++;
    }

    /** Two steps with gradients of generated values (now and then of a wrong shape or dtype, or missing). */
    private void step(Optimizer o, Context ctx) {
        Method step = method(Optimizer.class, "step", Gradients.class);
        for (int i = 0; i < 2; i++) {
            steps++;
            if (call(step, o, new Object[] {ctx.gradients(o.parameters())}, false, names(o)) == NOTHING) return;
        }
    }

    private static final Object NOTHING = new Object();

    /**
     * Calls {@code e} (inside a tape when {@code tape}, then backward from the sum of each output that tracks a
     * gradient); returns its result, or {@link #NOTHING} when it threw (recording the throw if it is not acceptable).
     */
    private Object call(Executable e, Object receiver, Object[] args, boolean tape, Set<String> names) {
        calls++;
        boolean layer = receiver instanceof Module, loss = e.getDeclaringClass() == Losses.class;
        if (loss) losses++;
        long t0 = System.nanoTime();
        try (GradientTape t = tape ? GradientTape.record() : null) {
            Object out = e instanceof Constructor<?> k ? k.newInstance(args) : ((Method) e).invoke(receiver, args);
            if (out == null && (layer || loss)) record(e, receiver, args, "returned null");
            if (tape) for (Tensor y : tensors(out)) if (y.tracksGradient()) y.sum().backward();
            if (loss) lossesReturned++;
            return out;
        } catch (InvocationTargetException ex) {
            judge(e, receiver, args, ex.getCause(), names, layer || loss);
        } catch (ReflectiveOperationException ex) {
            throw new IllegalStateException(ex);
        } catch (Throwable ex) {   // from backward
            judge(e, receiver, args, ex, names, layer || loss);
        } finally {
            long dt = System.nanoTime() - t0;
            if (dt > slowest) {
                slowest = dt;
                slowestCall = describe(e, receiver, args);
            }
            if (dt > SLOW_NANOS) record(e, receiver, args, "took " + dt / 1e9 + " s");
        }
        return NOTHING;
    }

    /**
     * Records {@code ex} unless it is acceptable: {@link FuzzArgs#problem}'s rule and, for the calls of a layer or
     * a loss ({@code strict}), a null named by our own message rather than the JDK's; and always a message naming
     * one of {@code names} (the layer and its sub-layers, the loss, the optimizer).
     */
    private void judge(Executable e, Object receiver, Object[] args, Throwable ex, Set<String> names, boolean strict) {
        String problem = FuzzArgs.problem(ex, e);
        String msg = String.valueOf(ex.getMessage()), lower = msg.toLowerCase();
        if (problem == null && strict && ex instanceof NullPointerException && msg.startsWith("Cannot "))
            problem = "a null argument named by the JDK's message, not ours (Objects.requireNonNull(x, \"Layer.forward: x is null\")): " + msg;
        if (problem == null && !(ex instanceof NullPointerException) && !names.isEmpty() && names.stream().noneMatch(n -> lower.contains(n.toLowerCase())))
            problem = "the message does not name " + names + ": " + ex;
        if (problem != null) {
            String owner = receiver == null ? e.getDeclaringClass().getSimpleName() : receiver.getClass().getSimpleName();
            failures.putIfAbsent(owner + "." + e.getName() + " " + ex.getClass().getSimpleName() + " " + problem.lines().findFirst().orElse(""),
                    describe(e, receiver, args) + ": " + problem);
        }
    }

    private void record(Executable e, Object receiver, Object[] args, String what) {
        failures.putIfAbsent(describe(e, receiver, args) + what, describe(e, receiver, args) + " " + what);
    }

    private static String describe(Executable e, Object receiver, Object[] args) {
        return (receiver == null ? "" : receiver.getClass().getSimpleName() + " ") + FuzzArgs.call(e, args);
    }

    /**
     * What an exception from {@code e} must name: the loss; the optimizer; for a layer's constructor the layer or
     * one it builds (any layer of the package: {@code "Dropout: p 2.0 must be in [0, 1)"} for a positional
     * encoding's dropout); none for the rest ({@link Init}, schedules, clipping).
     */
    private static Set<String> names(Executable e) {
        Class<?> c = e.getDeclaringClass();
        if (c == Losses.class) return Set.of(e.getName());
        if (Optimizer.class.isAssignableFrom(c)) return Set.of(c.getSimpleName());
        return Module.class.isAssignableFrom(c) ? LAYERS : Set.of();
    }

    private static final Set<String> LAYERS = layerNames();

    private static Set<String> layerNames() {
        Set<String> out = new java.util.TreeSet<>();
        for (Executable e : TARGETS) if (Module.class.isAssignableFrom(e.getDeclaringClass())) out.add(e.getDeclaringClass().getSimpleName());
        return out;
    }

    private static Set<String> names(Optimizer o) { return Set.of(o.getClass().getSimpleName()); }

    /** The layer's class and those of its sub-layers (a container may pass on a sub-layer's message). */
    private static Set<String> names(Module m) {
        Set<String> out = new java.util.HashSet<>();
        List<Module> todo = new ArrayList<>(List.of(m));
        while (!todo.isEmpty()) {
            Module x = todo.remove(todo.size() - 1);
            out.add(x.getClass().getSimpleName());
            todo.addAll(x.children().values());
        }
        return out;
    }

    /** The tensors in a result: itself, or a record's tensor components (an attention output, a recurrent state). */
    private static List<Tensor> tensors(Object out) {
        List<Tensor> ts = new ArrayList<>();
        if (out instanceof Tensor t) ts.add(t);
        else if (out != null && out.getClass().isRecord())
            for (RecordComponent rc : out.getClass().getRecordComponents()) {
                try {
                    ts.addAll(tensors(rc.getAccessor().invoke(out)));
                } catch (ReflectiveOperationException ex) {
                    throw new IllegalStateException(ex);
                }
            }
        return ts;
    }

    private static Method method(Class<?> c, String name, Class<?>... types) {
        try {
            return c.getMethod(name, types);
        } catch (NoSuchMethodException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The generator for one call: a shape that the call's tensors share most of the time, and the values of each type. */
    private static final class Context {
        final Random r;
        int[] shape;
        int[] sizes = {};
        int[] suffix;
        /** The dtype of most tensors of the shared shape. */
        DType dtype;

        Context(Random r) {
            this.r = r;
            dtype = r.nextBoolean() ? DType.FLOAT32 : DType.FLOAT64;
            shape = new int[r.nextInt(3) == 0 ? r.nextInt(5) : 2];
            for (int i = 0; i < shape.length; i++) shape[i] = r.nextInt(10) == 0 ? 0 : 1 + r.nextInt(4);
        }

        int anInt() { return r.nextInt(8) == 0 ? ODD_INTS[r.nextInt(ODD_INTS.length)] : INTS[r.nextInt(INTS.length)]; }

        double dbl() { return (double) FuzzArgs.of(double.class, r); }

        int[] ints() {
            if (r.nextInt(12) == 0) return null;
            int[] v = new int[r.nextInt(5)];
            for (int i = 0; i < v.length; i++) v[i] = anInt();
            return v;
        }

        /** The tensor of most calls: the shared shape, else any shape. */
        Tensor tensor() {
            if (r.nextInt(15) == 0) return null;
            return r.nextInt(3) == 0 ? FuzzArgs.tensor(r, FuzzArgs.randomShape(r)) : FuzzArgs.tensor(r, r.nextInt(8) == 0 ? null : dtype, shape);
        }

        /** Class labels for the shared shape {@code [N, C]}: N of them, mostly in {@code [0, C)}. */
        int[] labels() {
            if (r.nextInt(12) == 0) return null;
            int n = shape.length == 0 || r.nextInt(8) == 0 ? r.nextInt(4) : shape[0], c = shape.length < 2 ? 3 : shape[shape.length - 1];
            int[] v = new int[n];
            for (int i = 0; i < n; i++) v[i] = r.nextInt(10) == 0 ? (r.nextBoolean() ? -1 : c) : r.nextInt(Math.max(c, 1));
            return v;
        }

        Object arg(java.lang.reflect.Parameter p) {
            Class<?> type = p.getType();
            String name = p.getName();
            if (type == int.class) return anInt();
            if (type == long.class) return (long) anInt();
            if (type == int[].class) return name.equals("labels") ? labels() : ints();
            if (type == Tensor.class) {
                if (!name.equals("labels")) return tensor();
                int[] v = labels();
                return v == null ? null : Tensor.of(java.util.Arrays.stream(v).asDoubleStream().toArray(), v.length).to(r.nextBoolean() ? DType.FLOAT32 : DType.FLOAT64);
            }
            if (type == double[].class && name.equals("classWeights") && shape.length > 0 && r.nextBoolean()) {
                double[] w = new double[shape[shape.length - 1]];
                for (int i = 0; i < w.length; i++) w[i] = r.nextInt(6) == 0 ? dbl() : r.nextDouble();
                return w;
            }
            if (type == String.class) return STRINGS[r.nextInt(STRINGS.length)];
            if (type.isEnum()) return r.nextInt(10) == 0 ? null : type.getEnumConstants()[r.nextInt(type.getEnumConstants().length)];
            if (r.nextInt(12) == 0 && !type.isPrimitive()) return null;
            if (type == List.class) return parameters();
            if (type == Gradients.class) return gradients(parameters());
            if (type == Optimizer.class) return new SGD(List.of(new Parameter(Tensor.zeros(2))), 0.1);
            if (type == LrSchedule.class) return LrSchedule.constant();
            if (type == Supplier.class) return layers((Class<?>) ((ParameterizedType) p.getParameterizedType()).getActualTypeArguments()[0]);
            if (type == LayerNorm.class) return new LayerNorm(1 + r.nextInt(4));
            if (type == UnaryOperator.class) return critic();
            if (type == Module[].class) {
                Module[] ms = new Module[r.nextInt(4)];
                for (int i = 0; i < ms.length; i++) ms[i] = r.nextInt(10) == 0 ? null : r.nextBoolean() ? new Tanh() : new Linear(1 + r.nextInt(4), 1 + r.nextInt(4), r);
                return ms;
            }
            return FuzzArgs.of(type, r);
        }

        /** A function of a tensor for {@code Losses.gradientPenalty}: one score per row, or a scalar, the input itself, a constant. */
        UnaryOperator<Tensor> critic() {
            return switch (r.nextInt(4)) {
                case 0 -> t -> t.reshape(t.size(0), -1).square().sum(1, false);
                case 1 -> Tensor::sum;
                case 2 -> t -> t;
                default -> t -> Tensor.zeros(t.size(0));
            };
        }

        /** Now and then a parameter listed twice. */
        List<Parameter> parameters() {
            List<Parameter> ps = new ArrayList<>();
            for (int i = r.nextInt(4); i > 0; i--) ps.add((Parameter) FuzzArgs.of(Parameter.class, r));
            if (!ps.isEmpty() && r.nextInt(10) == 0) ps.add(ps.get(0));
            return ps;
        }

        /**
         * Gradients of {@code sum_i (p_i c_i)} for generated {@code c_i} (NaN and infinities included) over most of
         * {@code ps}: so each gradient is its {@code c_i}; one time in 8 replaced by arbitrary tensors.
         */
        Gradients gradients(List<Parameter> ps) {
            Gradients g;
            try (GradientTape t = GradientTape.record()) {
                Tensor loss = new Parameter(Tensor.ones(2)).value().sum();
                for (Parameter p : ps)
                    if (p != null && r.nextInt(4) != 0) loss = loss.add(p.value().mul(FuzzArgs.tensor(r, p.shape()).to(p.dtype())).sum().to(DType.FLOAT32));
                g = loss.backward();
            }
            if (r.nextInt(8) != 0) return g;
            long seed = r.nextLong();   // map visits the gradients in identity-hash order: each replacement depends on its gradient's shape alone
            return g.map(x -> FuzzArgs.tensor(new Random(seed + java.util.Arrays.hashCode(x.shape())), false));
        }

        /** A factory of small layers of the kind a stack wants (so of the right class: a wrong one would be our type error). */
        Supplier<?> layers(Class<?> kind) {
            int dModel = 2 * (1 + r.nextInt(2)), heads = 1 + r.nextInt(2), ff = 1 + r.nextInt(8);
            long seed = r.nextLong();
            Random init = new Random(seed);
            boolean batchFirst = r.nextBoolean(), normFirst = r.nextBoolean(), shared = r.nextInt(8) == 0;
            Supplier<Module> make = () -> kind == TransformerDecoderLayer.class
                    ? new TransformerDecoderLayer(dModel, heads, ff, 0.25, "gelu", 1e-5, batchFirst, normFirst, init)
                    : new TransformerEncoderLayer(dModel, heads, ff, 0.25, "relu", 1e-5, batchFirst, normFirst, init);
            Module one = make.get();
            return shared ? () -> one : make;
        }

        /** Picks the sizes that a layer's inputs take from its constructor's arguments (positive ints up to 16, int arrays). */
        void shapeFrom(Object[] ctorArgs) {
            List<Integer> s = new ArrayList<>();
            suffix = null;
            for (Object a : ctorArgs) {
                if (a instanceof Integer i && i > 0 && i <= 16) s.add(i);
                if (a instanceof int[] v && v.length > 0 && java.util.Arrays.stream(v).allMatch(i -> i > 0 && i <= 8)) suffix = v;
            }
            sizes = s.stream().mapToInt(Integer::intValue).toArray();
            shape = inputShape();
        }

        /** Random rank (mostly 2 to 4); the last axis, axis 1 or the trailing axes from the layer's sizes. */
        int[] inputShape() {
            int rank = r.nextInt(8) == 0 ? r.nextInt(2) : 2 + r.nextInt(3);
            int[] s = new int[rank];
            for (int i = 0; i < rank; i++) s[i] = r.nextInt(12) == 0 ? 0 : 1 + r.nextInt(4);
            if (sizes.length > 0 && rank > 0 && r.nextInt(3) != 0) s[rank - 1] = sizes[r.nextInt(sizes.length)];
            if (sizes.length > 0 && rank > 1 && r.nextInt(3) == 0) s[1] = sizes[r.nextInt(sizes.length)];
            if (suffix != null && r.nextBoolean()) {
                int[] t = java.util.Arrays.copyOf(s, Math.min(rank, 2) + suffix.length);
                System.arraycopy(suffix, 0, t, t.length - suffix.length, suffix.length);
                s = t;
            }
            return s;
        }

        /** An argument of a layer's method: the inputs shaped as {@link #inputShape}, masks and states often null. */
        Object input(java.lang.reflect.Parameter p) {
            Class<?> type = p.getType();
            String name = p.getName();
            if (type == Tensor.class) {
                if (name.endsWith("Mask") && r.nextBoolean()) return null;
                if (r.nextInt(15) == 0) return null;
                if (r.nextInt(5) == 0 && sizes.length > 0) {   // indices for an embedding
                    int[] s = r.nextBoolean() ? shape : FuzzArgs.randomShape(r);
                    double[] v = new double[dev.tapegrad.autodiff.Shape.size(s)];
                    int bound = sizes[r.nextInt(sizes.length)];
                    for (int i = 0; i < v.length; i++) v[i] = r.nextInt(bound + 1);
                    return Tensor.of(v, s);
                }
                return FuzzArgs.tensor(r, r.nextInt(8) == 0 ? null : dtype, r.nextInt(4) == 0 ? inputShape() : shape);
            }
            if (type == RecurrentState.class) {
                if (r.nextBoolean()) return null;
                int[] s = {pick(), pick(), pick()};
                return new RecurrentState(FuzzArgs.tensor(r, s), r.nextBoolean() ? null : FuzzArgs.tensor(r, s));
            }
            if (type == int[].class && name.equals("lengths")) {
                if (r.nextBoolean()) return null;
                int[] v = new int[shape.length > 1 && r.nextInt(4) != 0 ? shape[1] : r.nextInt(4)];
                for (int i = 0; i < v.length; i++) v[i] = r.nextInt(6) - 1;
                return v;
            }
            if (type == int[].class) return r.nextBoolean() && sizes.length > 0 ? new int[] {pick()} : ints();
            if (type == int.class) return r.nextInt(6) - 1;
            return arg(p);
        }

        private int pick() { return sizes.length > 0 && r.nextBoolean() ? sizes[r.nextInt(sizes.length)] : 1 + r.nextInt(3); }
    }
}
