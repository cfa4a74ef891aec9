package dev.tapegrad.autodiff;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Marks a property that gradient-checks the named primitives; {@link OpCoverageTest} requires one per {@link Op}. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface GradientProperty {
    Op[] value();
}
