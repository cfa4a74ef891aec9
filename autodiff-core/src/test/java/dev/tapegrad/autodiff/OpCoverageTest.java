package dev.tapegrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Fails the build when a primitive has no gradient property. */
class OpCoverageTest {

    @Test
    void everyPrimitiveHasAGradientProperty() {
        Set<Op> covered = EnumSet.noneOf(Op.class);
        for (Class<?> c : List.of(ElementwiseGradientProperties.class, ReduceGradientProperties.class,
                MovementGradientProperties.class, MatMulGradientProperties.class, UnfoldGradientProperties.class,
                RecurrentGradientProperties.class, AttentionGradientProperties.class)) {
            for (Method m : c.getDeclaredMethods()) {
                GradientProperty p = m.getAnnotation(GradientProperty.class);
                if (p == null) continue;
                assertTrue(m.isAnnotationPresent(Property.class), m + " is marked @GradientProperty but is not a jqwik @Property");
                covered.addAll(List.of(p.value()));
            }
        }
        Set<Op> missing = EnumSet.complementOf(EnumSet.copyOf(covered));
        assertTrue(missing.isEmpty(), () -> "primitives without a gradient property: " + missing);
    }
}
