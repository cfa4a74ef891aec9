package dev.tapegrad.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autodiff.DType;
import dev.tapegrad.autodiff.Gradients;
import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Tensor;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Gradient check of a whole module (FLOAT64): the gradient of {@code <v, f(x)>} for a random cotangent
 * {@code v} with respect to the input and to every parameter, against central differences (parameters are
 * perturbed through {@link Parameter#assign}, outside any tape).
 */
final class ModuleCheck {
    private ModuleCheck() {}

    static final double EPS = 1e-6, ATOL = 1e-5, RTOL = 1e-3;

    static void check(Module m, Tensor x, long seed, boolean inputGradient) {
        check(m, m::forward, x, seed, inputGradient);
    }

    static void check(Module m, Function<Tensor, Tensor> f, Tensor x, long seed, boolean inputGradient) {
        m.to(DType.FLOAT64);
        Tensor xin = inputGradient ? x.requiresGrad() : x;
        Tensor v;
        Gradients g;
        try (GradientTape tape = GradientTape.record()) {
            Tensor y = f.apply(xin);
            v = Tensor.randn(new Random(seed), DType.FLOAT64, y.shape());
            g = y.backward(v);
        }
        for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) {
            Parameter p = e.getValue();
            Tensor base = p.value();
            double[] analytic = g.get(p) == null ? new double[base.numel()] : g.get(p).toDoubleArray();
            double[] values = base.toDoubleArray();
            for (int j = 0; j < values.length; j++) {
                double[] plus = values.clone(), minus = values.clone();
                plus[j] += EPS;
                minus[j] -= EPS;
                p.assign(Tensor.of(plus, base.shape()));
                double lp = dot(v, f.apply(x));
                p.assign(Tensor.of(minus, base.shape()));
                double lm = dot(v, f.apply(x));
                p.assign(base);
                compare(m.getClass().getSimpleName() + " parameter " + e.getKey() + "[" + j + "] seed " + seed, analytic[j], (lp - lm) / (2 * EPS));
            }
        }
        if (!inputGradient) return;
        double[] analytic = g.get(xin).toDoubleArray(), values = x.toDoubleArray();
        for (int j = 0; j < values.length; j++) {
            double[] plus = values.clone(), minus = values.clone();
            plus[j] += EPS;
            minus[j] -= EPS;
            double lp = dot(v, f.apply(Tensor.of(plus, x.shape())));
            double lm = dot(v, f.apply(Tensor.of(minus, x.shape())));
            compare(m.getClass().getSimpleName() + " input[" + j + "] seed " + seed, analytic[j], (lp - lm) / (2 * EPS));
        }
    }

    private static void compare(String what, double analytic, double numeric) {
        assertTrue(Math.abs(analytic - numeric) <= ATOL + RTOL * Math.abs(numeric),
                () -> what + ": analytic " + analytic + ", numeric " + numeric);
    }

    private static double dot(Tensor v, Tensor y) { return v.mul(y).sum().item(); }
}
