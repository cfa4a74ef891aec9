package dev.tapegrad.nn;

import dev.tapegrad.autodiff.DType;
import dev.tapegrad.autodiff.GradCheck;
import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Tensor;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Gradient check of a whole module (FLOAT64) with {@link GradCheck}, first and second derivatives, with
 * respect to the input (unless it is integral data) and every parameter: the parameters' values are
 * GradCheck's inputs, read by the module through {@link Parameter#substituted}.
 */
final class ModuleCheck {
    private ModuleCheck() {}

    static void check(Module m, Tensor x, long seed, boolean inputGradient) {
        check(m, m::forward, x, seed, inputGradient);
    }

    static void check(Module m, Function<Tensor, Tensor> f, Tensor x, long seed, boolean inputGradient) {
        m.to(DType.FLOAT64);
        List<Parameter> ps = m.parameters();
        int first = inputGradient ? 1 : 0;
        Tensor[] inputs = new Tensor[first + ps.size()];
        if (inputGradient) inputs[0] = x;
        for (int i = 0; i < ps.size(); i++) inputs[first + i] = ps.get(i).value().detach();
        Function<Tensor[], Tensor> fn = t -> {
            Map<Parameter, Tensor> values = new IdentityHashMap<>();
            for (int i = 0; i < ps.size(); i++) values.put(ps.get(i), t[first + i]);
            return Parameter.substituted(values, () -> f.apply(inputGradient ? t[0] : x));
        };
        String name = m.getClass().getSimpleName() + " " + m.namedParameters().keySet();
        GradCheck.first(name, fn, seed, inputs).assertPassed();
        GradCheck.second(name, fn, seed, inputs).assertPassed();
    }
}
