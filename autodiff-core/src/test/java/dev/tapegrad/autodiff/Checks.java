package dev.tapegrad.autodiff;

import java.util.function.Function;

/** Runs the first- and second-derivative checks of one function. */
final class Checks {
    private Checks() {}

    static void firstAndSecond(String name, long seed, Function<Tensor[], Tensor> f, Tensor... inputs) {
        GradCheck.first(name, f, seed, inputs).assertPassed();
        GradCheck.second(name, f, seed, inputs).assertPassed();
    }
}
