package dev.tapegrad.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autodiff.DType;
import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Gradients;
import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The first five steps of every optimizer and option combination against a plain-double reference written
 * from the equations in its Javadoc, on {@code loss = sum(a (p - c)^2)}, whose gradient is {@code 2a(p - c)}.
 */
class OptimizerReferenceTest {

    static final double[] P0 = {0.5, -1.5, 2.0, 0.1}, A = {1, 3, 0.5, 2}, C = {1, -1, 0.5, 0};

    /** One element's update: value, gradient, the element's state map and the step t (from 1). */
    interface Reference {
        double step(double p, double g, Map<String, Double> s, long t);
    }

    record Case(String name, Function<List<Parameter>, Optimizer> make, Reference ref) {
        @Override
        public String toString() { return name; }
    }

    static double get(Map<String, Double> s, String k, double init) { return s.getOrDefault(k, init); }

    static Reference sgd(double lr, double mu, double tau, double wd, boolean nesterov) {
        return (p, g, s, t) -> {
            g += wd * p;
            if (mu != 0) {
                double b = t == 1 ? g : mu * s.get("b") + (1 - tau) * g;
                s.put("b", b);
                g = nesterov ? g + mu * b : b;
            }
            return p - lr * g;
        };
    }

    static Reference adagrad(double lr, double decay, double wd, double init, double eps) {
        return (p, g, s, t) -> {
            g += wd * p;
            double lrT = lr / (1 + (t - 1) * decay), sum = get(s, "sum", init) + g * g;
            s.put("sum", sum);
            return p - lrT * g / (Math.sqrt(sum) + eps);
        };
    }

    static Reference adadelta(double lr, double rho, double eps, double wd) {
        return (p, g, s, t) -> {
            g += wd * p;
            double v = rho * get(s, "v", 0) + (1 - rho) * g * g;
            double u = get(s, "u", 0);
            double d = Math.sqrt(u + eps) / Math.sqrt(v + eps) * g;
            s.put("v", v);
            s.put("u", rho * u + (1 - rho) * d * d);
            return p - lr * d;
        };
    }

    static Reference rmsprop(double lr, double alpha, double eps, double wd, double mu, boolean centered) {
        return (p, g, s, t) -> {
            g += wd * p;
            double v = alpha * get(s, "v", 0) + (1 - alpha) * g * g, vt = v;
            s.put("v", v);
            if (centered) {
                double a = alpha * get(s, "a", 0) + (1 - alpha) * g;
                s.put("a", a);
                vt = v - a * a;
            }
            double step = g / (Math.sqrt(vt) + eps);
            if (mu > 0) {
                step = mu * get(s, "b", 0) + step;
                s.put("b", step);
            }
            return p - lr * step;
        };
    }

    static Reference adam(double lr, double b1, double b2, double eps, double wd, boolean amsgrad, boolean decoupled) {
        return (p, g, s, t) -> {
            if (decoupled) p -= lr * wd * p;
            else g += wd * p;
            double m = b1 * get(s, "m", 0) + (1 - b1) * g, v = b2 * get(s, "v", 0) + (1 - b2) * g * g;
            s.put("m", m);
            s.put("v", v);
            if (amsgrad) {
                v = Math.max(get(s, "vmax", 0), v);
                s.put("vmax", v);
            }
            return p - lr * (m / (1 - Math.pow(b1, t))) / (Math.sqrt(v / (1 - Math.pow(b2, t))) + eps);
        };
    }

    static Reference nadam(double lr, double b1, double b2, double eps, double wd, double psi) {
        return (p, g, s, t) -> {
            g += wd * p;
            double mu = b1 * (1 - 0.5 * Math.pow(0.96, t * psi)), muNext = b1 * (1 - 0.5 * Math.pow(0.96, (t + 1) * psi));
            double prod = get(s, "prod", 1) * mu;
            s.put("prod", prod);
            double m = b1 * get(s, "m", 0) + (1 - b1) * g, v = b2 * get(s, "v", 0) + (1 - b2) * g * g;
            s.put("m", m);
            s.put("v", v);
            double d = Math.sqrt(v / (1 - Math.pow(b2, t))) + eps;
            return p - lr * (1 - mu) / (1 - prod) * g / d - lr * muNext / (1 - prod * muNext) * m / d;
        };
    }

    static Stream<Arguments> cases() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("SGD", ps -> new SGD(ps, 0.1), sgd(0.1, 0, 0, 0, false)));
        c.add(new Case("SGD momentum", ps -> new SGD(ps, 0.1, 0.9), sgd(0.1, 0.9, 0, 0, false)));
        c.add(new Case("SGD momentum dampening wd", ps -> new SGD(ps, 0.05, 0.8, 0.3, 0.01, false), sgd(0.05, 0.8, 0.3, 0.01, false)));
        c.add(new Case("SGD Nesterov wd", ps -> new SGD(ps, 0.05, 0.9, 0, 0.1, true), sgd(0.05, 0.9, 0, 0.1, true)));
        c.add(new Case("Adagrad", ps -> new Adagrad(ps, 0.1), adagrad(0.1, 0, 0, 0, 1e-10)));
        c.add(new Case("Adagrad decay wd init", ps -> new Adagrad(ps, 0.1, 0.05, 0.01, 0.2, 1e-8), adagrad(0.1, 0.05, 0.01, 0.2, 1e-8)));
        c.add(new Case("Adadelta", Adadelta::new, adadelta(1.0, 0.9, 1e-6, 0)));
        c.add(new Case("Adadelta lr wd", ps -> new Adadelta(ps, 0.5, 0.95, 1e-5, 0.1), adadelta(0.5, 0.95, 1e-5, 0.1)));
        c.add(new Case("RMSprop", ps -> new RMSprop(ps, 0.01), rmsprop(0.01, 0.99, 1e-8, 0, 0, false)));
        c.add(new Case("RMSprop centered momentum wd", ps -> new RMSprop(ps, 0.01, 0.9, 1e-6, 0.1, 0.5, true), rmsprop(0.01, 0.9, 1e-6, 0.1, 0.5, true)));
        c.add(new Case("RMSprop momentum", ps -> new RMSprop(ps, 0.02, 0.99, 1e-8, 0, 0.9, false), rmsprop(0.02, 0.99, 1e-8, 0, 0.9, false)));
        c.add(new Case("Adam", ps -> new Adam(ps, 0.1), adam(0.1, 0.9, 0.999, 1e-8, 0, false, false)));
        c.add(new Case("Adam AMSGrad wd", ps -> new Adam(ps, 0.1, 0.8, 0.99, 1e-6, 0.1, true), adam(0.1, 0.8, 0.99, 1e-6, 0.1, true, false)));
        c.add(new Case("AdamW", ps -> new AdamW(ps, 0.1), adam(0.1, 0.9, 0.999, 1e-8, 0.01, false, true)));
        c.add(new Case("AdamW AMSGrad", ps -> new AdamW(ps, 0.1, 0.9, 0.99, 1e-8, 0.5, true), adam(0.1, 0.9, 0.99, 1e-8, 0.5, true, true)));
        c.add(new Case("Nadam", ps -> new Nadam(ps, 0.1), nadam(0.1, 0.9, 0.999, 1e-8, 0, 4e-3)));
        c.add(new Case("Nadam wd", ps -> new Nadam(ps, 0.05, 0.8, 0.99, 1e-6, 0.1, 0.01), nadam(0.05, 0.8, 0.99, 1e-6, 0.1, 0.01)));
        return c.stream().map(Arguments::of);
    }

    static Gradients grads(Parameter p) {
        try (GradientTape tape = GradientTape.record()) {
            Tensor d = p.value().sub(Tensor.of(C));
            return d.mul(d).mul(Tensor.of(A)).sum().backward();
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void firstFiveStepsMatchTheReference(Case c) {
        Parameter p = new Parameter("p", Tensor.of(P0));
        Optimizer opt = c.make().apply(List.of(p));
        double[] ref = P0.clone();
        List<Map<String, Double>> state = new ArrayList<>();
        for (int i = 0; i < ref.length; i++) state.add(new HashMap<>());
        for (int t = 1; t <= 5; t++) {
            opt.step(grads(p));
            for (int i = 0; i < ref.length; i++) ref[i] = c.ref().step(ref[i], 2 * A[i] * (ref[i] - C[i]), state.get(i), t);
            assertArrayEquals(ref, p.value().toDoubleArray(), 1e-12, c.name() + " step " + t);
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void convergesOnAQuadraticBowl(Case c) {
        Parameter p = new Parameter("p", Tensor.of(P0));
        Optimizer opt = c.make().apply(List.of(p));
        double start = loss(p);
        for (int t = 0; t < 3000; t++) opt.step(grads(p));
        double end = loss(p);
        // weight decay moves the optimum away from C; the loss still falls far below its start
        assertTrue(end < start * 0.05, c.name() + ": loss " + start + " -> " + end);
    }

    static double loss(Parameter p) {
        double s = 0;
        double[] v = p.value().toDoubleArray();
        for (int i = 0; i < v.length; i++) s += A[i] * (v[i] - C[i]) * (v[i] - C[i]);
        return s;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void savedStateResumesExactly(Case c) {
        Parameter a = new Parameter("a", Tensor.of(P0)), b = new Parameter("b", Tensor.of(P0));
        Optimizer oa = c.make().apply(List.of(a)), ob = c.make().apply(List.of(b));
        for (int t = 0; t < 3; t++) oa.step(grads(a));
        b.assign(a.value());
        ob.loadStateDict(oa.stateDict());
        for (int t = 0; t < 3; t++) {
            oa.step(grads(a));
            ob.step(grads(b));
        }
        assertArrayEquals(a.value().toDoubleArray(), b.value().toDoubleArray(), 0, c.name());
    }

    /** Every case's state loads into an optimizer of its own settings, and every state tensor is needed and checked. */
    @ParameterizedTest
    @MethodSource("cases")
    void aStateWithATensorMissingOrMisshapenIsRefused(Case c) {
        Parameter a = new Parameter("a", Tensor.of(P0));
        Optimizer o = c.make().apply(List.of(a));
        o.step(grads(a));
        Map<String, Tensor> good = o.stateDict();
        for (String k : good.keySet()) {
            if (!k.startsWith("0.") || k.equals("0.step")) continue;
            Map<String, Tensor> missing = new java.util.LinkedHashMap<>(good);
            missing.remove(k);
            refuses(o, missing, "missing key '" + k + "' (parameter 0 has taken 1 step)");
            boolean scalar = good.get(k).rank() == 0;
            refuses(o, with(good, k, scalar ? Tensor.zeros(1) : Tensor.scalar(1)), "'" + k + "' has shape " + (scalar ? "[1]" : "[]"));
        }
        o.loadStateDict(good);
    }

    @org.junit.jupiter.api.Test
    void loadStateDictIsStrictAndChangesNothingWhenItRefuses() {
        Parameter p = new Parameter("p", Tensor.of(P0));
        List<Parameter> ps = List.of(p);
        SGD sgd = new SGD(ps, 0.1, 0.9);
        sgd.step(grads(p));
        Adam adam = new Adam(ps, 0.01);
        adam.step(grads(p));
        Map<String, Tensor> good = adam.stateDict();
        // were all accepted: another optimizer's state, an unknown key, a step without its moments (a wrong next step), steps of 2.5 (-> 2), NaN (-> 0), -1
        refuses(adam, sgd.stateDict(), "Adam.loadStateDict: ", "unexpected key '0.momentum_buffer'", "missing key '0.exp_avg'");
        refuses(adam, with(good, "0.bogus", Tensor.zeros(4)), "unexpected key '0.bogus'");
        refuses(adam, Map.of("lr", Tensor.scalar(0.1), "0.step", Tensor.scalar(1000)), "missing key '0.exp_avg' (parameter 0 has taken 1000 steps); missing key '0.exp_avg_sq'");
        for (double step : new double[] {2.5, Double.NaN, -1, Double.POSITIVE_INFINITY})
            refuses(adam, with(good, "0.step", Tensor.scalar(step)), "'0.step' is " + step + ", not a step count (an integer >= 0)");
        refuses(adam, with(good, "lr", Tensor.zeros(2)), "'lr' is [2], not a 0-d learning rate");   // was "item: ..."
        refuses(adam, with(good, "lr", Tensor.scalar(-1)), "'lr' is -1.0, not a learning rate");
        refuses(adam, with(good, "0.step", Tensor.zeros(1)), "'0.step' is [1], not a 0-d step count");
        refuses(adam, with(good, "00.step", Tensor.scalar(1)), "unexpected key '00.step'");
        refuses(adam, with(good, "1.step", Tensor.scalar(1)), "key '1.step' names parameter 1 of 1");
        refuses(adam, with(good, "0.step", Tensor.scalar(0)), "unexpected key '0.exp_avg' (parameter 0 has taken no step)");
        Map<String, Tensor> noStep = new java.util.LinkedHashMap<>(good);
        noStep.remove("0.step");
        noStep.remove("lr");
        refuses(adam, noStep, "missing key 'lr'; missing key '0.step'");
        assertEquals("Adam.loadStateDict: state is null", assertThrows(NullPointerException.class, () -> adam.loadStateDict(null)).getMessage());
        assertEquals("Adam.loadStateDict: '0.exp_avg' is null", assertThrows(NullPointerException.class, () -> adam.loadStateDict(with(good, "0.exp_avg", null))).getMessage());
        assertEquals(0.01, adam.lr());
        adam.stateDict().forEach((k, v) -> assertArrayEquals(good.get(k).toDoubleArray(), v.toDoubleArray(), k));
        adam.loadStateDict(good);
    }

    /** {@code m} with {@code k} set to {@code v}. */
    static Map<String, Tensor> with(Map<String, Tensor> m, String k, Tensor v) {
        Map<String, Tensor> out = new java.util.LinkedHashMap<>(m);
        out.put(k, v);
        return out;
    }

    static void refuses(Optimizer o, Map<String, Tensor> state, String... mustMention) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> o.loadStateDict(state));
        for (String m : mustMention) assertTrue(e.getMessage().contains(m), () -> "'" + e.getMessage() + "' lacks '" + m + "'");
    }

    @org.junit.jupiter.api.Test
    void constructorsValidateTheirArguments() {
        List<Parameter> ps = List.of(new Parameter(Tensor.zeros(DType.FLOAT64, 2)));
        assertThrows(IllegalArgumentException.class, () -> new SGD(ps, -0.1));
        assertThrows(IllegalArgumentException.class, () -> new SGD(ps, 0.1, 0, 0, 0, true));
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(), 0.1));
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(ps.get(0), ps.get(0)), 0.1));
        assertThrows(IllegalArgumentException.class, () -> new Adam(ps, 0.1, 1.0, 0.999, 1e-8, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new Adam(ps, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new Adadelta(ps, 1, 1.5, 1e-6, 0));
        assertThrows(IllegalArgumentException.class, () -> new RMSprop(ps, 0.01, -1, 1e-8, 0, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new Nadam(ps, 0.1, 0.9, 0.999, 1e-8, -1, 4e-3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Adagrad(ps, 0.1, -1, 0, 0, 1e-10));
        assertTrue(e.getMessage().contains("Adagrad") && e.getMessage().contains("lr decay"), e.getMessage());
        // were accepted: an infinite rate (NaN weights from the first step), dampening outside [0, 1], alpha above 1 (NaN once v turns negative)
        Map<String, org.junit.jupiter.api.function.Executable> invalid = new java.util.LinkedHashMap<>();
        invalid.put("SGD: invalid lr Infinity", () -> new SGD(ps, Double.POSITIVE_INFINITY));
        invalid.put("SGD: invalid dampening -0.5", () -> new SGD(ps, 0.1, 0.9, -0.5, 0, false));
        invalid.put("SGD: invalid dampening 1.5", () -> new SGD(ps, 0.1, 0.9, 1.5, 0, false));
        invalid.put("RMSprop: invalid alpha 2.0", () -> new RMSprop(ps, 0.01, 2, 1e-8, 0, 0, false));
        invalid.put("Adam: invalid eps Infinity", () -> new Adam(ps, 0.1, 0.9, 0.999, Double.POSITIVE_INFINITY, 0, false));
        invalid.put("Nadam: invalid lr Infinity", () -> new Nadam(ps).setLr(Double.POSITIVE_INFINITY));
        invalid.forEach((message, call) -> assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage()));
    }

    @org.junit.jupiter.api.Test
    void parametersWithoutGradientsAreSkippedAndStepInsideATapeWorks() {
        Parameter used = new Parameter("used", Tensor.of(new double[] {1})), unused = new Parameter("unused", Tensor.of(new double[] {5}));
        SGD opt = new SGD(List.of(used, unused), 0.5);
        try (GradientTape tape = GradientTape.record()) {
            opt.step(used.value().square().sum().backward());
        }
        assertEquals(0, used.value().item(), 0);
        assertEquals(5, unused.value().item(), 0);
        assertEquals(0, opt.stateDict().get("1.step").item(), 0);
    }
}
