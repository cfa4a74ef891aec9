package dev.tapegrad.autodiff;

import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Calls every public method of {@link Tensor} and of the functional-op classes (found by reflection, so a
 * new method is fuzzed without being listed) with generated arguments: random shapes including 0-d and
 * zero-size, both dtypes, negative, zero and huge integers, NaN and infinities, nulls, inputs that track
 * gradients, inside a tape and then backward. A call may return, or throw {@link IllegalArgumentException}
 * or {@link IllegalStateException} with a message, or a {@link NullPointerException} whose message names
 * the argument ({@link FuzzArgs#problem}; the build keeps parameter names with {@code -parameters});
 * anything else (an index error, an arithmetic error, a message-less exception, a null deeper inside, an
 * error) fails, with the call that caused it.
 */
class FuzzTest {
    static final int CALLS = 120_000;

    private static final List<Method> METHODS = methods();

    private static List<Method> methods() {
        List<Method> out = new ArrayList<>();
        List<Class<?>> classes = new ArrayList<>(List.of(Tensor.class, Shape.class));
        classes.addAll(PublicOpCoverageTest.OP_CLASSES);
        for (Class<?> c : classes)
            for (Method m : c.getDeclaredMethods())
                if (Modifier.isPublic(m.getModifiers()) && !m.getName().equals("backward") && !(m.getName().equals("toString")))
                    out.add(m);
        out.sort(Comparator.comparing(Method::toString));
        return out;
    }

    @Test
    void publicMethodsFailOnlyWithClearExceptions() {
        Random r = new Random(20261201);
        TreeMap<String, String> failures = new TreeMap<>();
        long start = System.nanoTime();
        int call = 0;
        for (; call < CALLS && failures.size() < 20; call++) {
            Method m = METHODS.get(r.nextInt(METHODS.size()));
            boolean tape = r.nextInt(3) == 0;
            Object[] args = new Object[m.getParameterCount()];
            Object receiver = Modifier.isStatic(m.getModifiers()) ? null : tensor(r, false);
            for (int i = 0; i < args.length; i++) args[i] = FuzzArgs.of(m.getParameterTypes()[i], r);
            try (GradientTape t = tape ? GradientTape.record() : null) {
                if (receiver != null && tape) receiver = ((Tensor) receiver).requiresGrad();
                Object out = m.invoke(receiver, args);
                if (tape && out instanceof Tensor y && y.tracksGradient()) y.backward(Tensor.onesLike(y));
            } catch (InvocationTargetException e) {
                Throwable c = e.getCause();
                String problem = FuzzArgs.problem(c, m);
                if (problem != null) failures.putIfAbsent(m.getName() + " " + c.getClass().getSimpleName(), describe(m, receiver, args) + ": " + problem);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            } catch (RuntimeException e) {
                // from backward: the same rules apply
                String problem = FuzzArgs.problem(e, m);
                if (problem != null) failures.putIfAbsent(m.getName() + " backward " + e.getClass().getSimpleName(), describe(m, receiver, args) + ": " + problem);
            }
        }
        System.out.printf("FuzzTest: %,d calls of %d methods in %.1f s%n", call, METHODS.size(), (System.nanoTime() - start) / 1e9);
        if (!failures.isEmpty()) fail(failures.size() + " kinds of unclear failure:\n" + String.join("\n", failures.values()));
    }

    private static Tensor tensor(Random r, boolean nullable) { return FuzzArgs.tensor(r, nullable); }

    private static String describe(Method m, Object receiver, Object[] args) {
        return FuzzArgs.call(m, args) + (receiver == null ? "" : " on " + FuzzArgs.str(receiver));
    }
}
