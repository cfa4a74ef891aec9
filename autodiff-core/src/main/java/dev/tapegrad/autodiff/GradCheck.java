package dev.tapegrad.autodiff;

import java.util.Arrays;
import java.util.Objects;
import java.util.Random;
import java.util.function.Function;

/**
 * Checks reverse-mode gradients against central finite differences in FLOAT64, like
 * {@code torch.autograd.gradcheck} with a random cotangent (JAX's {@code check_vjp}).
 *
 * <p>For {@code y = f(x_1..x_n)} and a random cotangent {@code v} of {@code y}'s shape (drawn from
 * {@code seed}), the analytic {@code d<v, y>/dx_i} from a {@link GradientTape} is compared, element by
 * element, with {@code (<v, f(x + eps e_j)> - <v, f(x - eps e_j)>) / (2 eps)}. An element passes when
 * {@code |analytic - numeric| <= atol + rtol * |numeric|}. {@link #second} applies the same check to the
 * function {@code x -> d<v, f(x)>/dx} computed under a nested tape, which exercises the backward rules'
 * own derivatives. Defaults: {@code eps = 1e-6, atol = 1e-5, rtol = 1e-3} (PyTorch's).
 *
 * <pre>{@code
 * GradCheck.first("tanh", x -> x[0].tanh(), 42, Tensor.randn(new Random(1), DType.FLOAT64, 3, 4)).assertPassed();
 * }</pre>
 */
public final class GradCheck {
    private final double eps, atol, rtol;

    private GradCheck(double eps, double atol, double rtol) {
        this.eps = eps;
        this.atol = atol;
        this.rtol = rtol;
    }

    /** A checker with the given step and tolerances. */
    public static GradCheck withTolerances(double eps, double atol, double rtol) {
        if (!(eps > 0) || !(atol >= 0) || !(rtol >= 0))
            throw new IllegalArgumentException("GradCheck: eps " + eps + " must be positive and atol " + atol + ", rtol " + rtol + " non-negative");
        return new GradCheck(eps, atol, rtol);
    }

    private static final GradCheck DEFAULT = new GradCheck(1e-6, 1e-5, 1e-3);

    /** First derivatives of {@code f} at {@code inputs} (FLOAT64), with the default tolerances. */
    public static Report first(String name, Function<Tensor[], Tensor> f, long seed, Tensor... inputs) {
        return DEFAULT.checkFirst(name, f, seed, inputs);
    }

    /** Second derivatives of {@code f} at {@code inputs} (FLOAT64), with the default tolerances. */
    public static Report second(String name, Function<Tensor[], Tensor> f, long seed, Tensor... inputs) {
        return DEFAULT.checkSecond(name, f, seed, inputs);
    }

    /** First derivatives with this checker's tolerances. */
    public Report checkFirst(String name, Function<Tensor[], Tensor> f, long seed, Tensor... inputs) {
        return check(name, 1, f, seed, inputs);
    }

    /** Second derivatives with this checker's tolerances. */
    public Report checkSecond(String name, Function<Tensor[], Tensor> f, long seed, Tensor... inputs) {
        Function<Tensor[], Tensor> fn = checked(name, f, inputs);
        Tensor v = cotangent(fn.apply(leaves(inputs)), new Random(seed ^ 0x5DEECE66DL));
        Function<Tensor[], Tensor> vjp = xs -> {
            try (GradientTape inner = GradientTape.record()) {
                Tensor y = fn.apply(xs);
                Tensor[] g = y.tracksGradient() ? inner.gradientWithSeed(y, v, xs) : new Tensor[xs.length];
                Tensor[] flat = new Tensor[xs.length];
                for (int i = 0; i < xs.length; i++) flat[i] = (g[i] == null ? Tensor.zerosLike(xs[i]) : g[i]).reshape(-1);
                return Tensor.cat(0, flat);
            }
        };
        return check(name, 2, vjp, seed, inputs);
    }

    private Report check(String name, int order, Function<Tensor[], Tensor> fn, long seed, Tensor[] inputs) {
        Function<Tensor[], Tensor> f = checked(name, fn, inputs);
        Tensor[] xs = leaves(inputs);
        Tensor v;
        Tensor[] analytic;
        try (GradientTape tape = GradientTape.record()) {
            Tensor y = f.apply(xs);
            v = cotangent(y, new Random(seed));
            analytic = y.tracksGradient() ? tape.gradientWithSeed(y, v, xs) : new Tensor[xs.length];
        }
        Report worst = null;
        for (int i = 0; i < xs.length; i++) {
            double[] base = inputs[i].toDoubleArray();
            double[] a = analytic[i] == null ? new double[base.length] : analytic[i].toDoubleArray();
            for (int j = 0; j < base.length; j++) {
                double plus = dot(v, f.apply(perturbed(inputs, i, base, j, eps)));
                double minus = dot(v, f.apply(perturbed(inputs, i, base, j, -eps)));
                double numeric = (plus - minus) / (2 * eps);
                double err = Math.abs(a[j] - numeric), allowed = atol + rtol * Math.abs(numeric);
                double score = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err / allowed;
                if (worst == null || score > worst.score)
                    worst = new Report(name, order, score <= 1, i, unravel(j, inputs[i].shape), a[j], numeric, score, seed);
            }
        }
        return worst != null ? worst : new Report(name, order, true, -1, new int[0], 0, 0, 0, seed);
    }

    /** {@code f}, refusing to return null, once it and the inputs (FLOAT64, none null) are checked; messages name the check. */
    private static Function<Tensor[], Tensor> checked(String name, Function<Tensor[], Tensor> f, Tensor[] inputs) {
        Objects.requireNonNull(f, () -> "GradCheck(" + name + "): the function is null");
        Objects.requireNonNull(inputs, () -> "GradCheck(" + name + "): inputs is null");
        for (int i = 0; i < inputs.length; i++) {
            Tensor x = Objects.requireNonNull(inputs[i], "GradCheck(" + name + "): input " + i + " is null");
            if (x.dtype() != DType.FLOAT64)
                throw new IllegalArgumentException("GradCheck(" + name + "): inputs must be FLOAT64, got " + x.dtype() + " " + Shape.str(x.shape));
        }
        return xs -> Objects.requireNonNull(f.apply(xs), () -> "GradCheck(" + name + "): the function returned null");
    }

    private static Tensor[] leaves(Tensor[] inputs) {
        Tensor[] xs = new Tensor[inputs.length];
        for (int i = 0; i < xs.length; i++) xs[i] = inputs[i].requiresGrad();
        return xs;
    }

    private static Tensor cotangent(Tensor y, Random r) {
        double[] v = new double[y.numel()];
        for (int i = 0; i < v.length; i++) v[i] = r.nextGaussian();
        return Tensor.of(v, y.shape).reshape(y.shape);
    }

    private static Tensor[] perturbed(Tensor[] inputs, int which, double[] base, int j, double delta) {
        Tensor[] xs = leaves(inputs);
        double[] p = base.clone();
        p[j] += delta;
        xs[which] = Tensor.wrap(inputs[which].shape, p).requiresGrad();
        return xs;
    }

    private static double dot(Tensor v, Tensor y) {
        if (!Arrays.equals(v.shape, y.shape))
            throw new IllegalStateException("GradCheck: the function's output shape changed from " + Shape.str(v.shape) + " to " + Shape.str(y.shape));
        double s = 0;
        for (int i = 0; i < v.numel(); i++) s += v.at(i) * y.at(i);
        return s;
    }

    private static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = shape[d] == 0 ? 0 : flat % shape[d];
            flat = shape[d] == 0 ? 0 : flat / shape[d];
        }
        return idx;
    }

    /**
     * The worst element of a check: which input and element, the analytic and numeric values, and the
     * error as a multiple of the allowed one ({@code score <= 1} passes).
     */
    public record Report(String name, int order, boolean passed, int input, int[] index, double analytic, double numeric,
                         double score, long seed) {

        /** Throws {@link AssertionError} with {@link #toString()} when the check failed. */
        public Report assertPassed() {
            if (!passed) throw new AssertionError(toString());
            return this;
        }

        @Override
        public String toString() {
            return String.format("GradCheck %s (%s derivative, seed %d): %s; worst element: input %d index %s, analytic %.10g, numeric %.10g (error %.3g x allowed)",
                    name, order == 1 ? "first" : "second", seed, passed ? "passed" : "FAILED", input, Arrays.toString(index), analytic, numeric, score);
        }
    }
}
