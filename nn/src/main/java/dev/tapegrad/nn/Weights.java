package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Tensor;

/**
 * The values a layer computes with, per parameter: {@link #CURRENT} (each parameter's own value) in normal
 * use, or explicit tensors in gradient checks, which pass the parameter values as inputs of the checked
 * function (a parameter cannot be reassigned while a tape records).
 */
@FunctionalInterface
interface Weights {
    Tensor value(Parameter p);

    /** Each parameter's current value. */
    Weights CURRENT = Parameter::value;
}
