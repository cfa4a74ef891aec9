package dev.tapegrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Fails when a public method of {@link Tensor} or of a functional-op class has no {@link OpTable} entry nor a reason in {@code NOT_OPS}. */
class PublicOpCoverageTest {

    static final List<Class<?>> OP_CLASSES = List.of(Conv.class, Pool.class, Interpolate.class, Normalization.class, Attention.class, RecurrentCells.class);

    @Test
    void everyPublicMethodIsInTheOpTable() {
        Set<String> listed = new HashSet<>(OpTable.NOT_OPS.keySet());
        Set<String> duplicates = new TreeSet<>();
        for (OpTable.Entry e : OpTable.ENTRIES) if (!listed.add(e.signature())) duplicates.add(e.signature());
        Set<String> missing = new TreeSet<>(), all = new HashSet<>();
        List<Method> methods = new ArrayList<>(List.of(Tensor.class.getDeclaredMethods()));
        for (Class<?> c : OP_CLASSES) methods.addAll(List.of(c.getDeclaredMethods()));
        for (Method m : methods) {
            if (!Modifier.isPublic(m.getModifiers())) continue;
            String sig = signature(m);
            all.add(sig);
            if (!listed.contains(sig)) missing.add(sig);
        }
        Set<String> stale = new TreeSet<>(listed);
        stale.removeAll(all);
        assertTrue(missing.isEmpty(), () -> "public methods without an OpTable entry: " + missing);
        assertTrue(stale.isEmpty(), () -> "OpTable entries that name no public method: " + stale);
        assertTrue(duplicates.isEmpty(), () -> "signatures listed twice: " + duplicates);
    }

    private static String signature(Method m) {
        StringBuilder b = new StringBuilder(m.getDeclaringClass() == Tensor.class ? "" : m.getDeclaringClass().getSimpleName() + ".");
        b.append(m.getName()).append('(');
        Class<?>[] p = m.getParameterTypes();
        for (int i = 0; i < p.length; i++) b.append(i == 0 ? "" : ",").append(p[i].getSimpleName());
        return b.append(')').toString();
    }
}
