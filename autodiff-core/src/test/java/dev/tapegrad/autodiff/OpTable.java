package dev.tapegrad.autodiff;

import static dev.tapegrad.autodiff.Gen.uniform;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * One entry per public {@link Tensor} method and per public static op ({@link Conv}, {@link Pool},
 * {@link Interpolate}, {@link Normalization}, {@link RecurrentCells}), in the manner of PyTorch's OpInfo: the signature, how to
 * make FLOAT64 inputs in the op's domain, the function, and whether it is differentiable.
 * {@link PublicOpProperties} runs every entry; {@link PublicOpCoverageTest} fails when a public method has
 * neither an entry nor a reason in {@link #NOT_OPS}. A new op is tested by adding a line here.
 */
final class OpTable {
    private OpTable() {}

    /** FLOAT64 inputs for one call: from a random shape {@code s} (entries with {@link Entry#anyShape}) or fixed shapes. */
    @FunctionalInterface
    interface Inputs {
        Tensor[] make(Random r, int[] s);
    }

    /**
     * @param signature      {@code name(ParameterTypes)} as {@link PublicOpCoverageTest} spells it ({@code Conv.conv2d(...)} for statics of other classes)
     * @param anyShape       whether the inputs come from a random shape (rank 0 to 3, dimensions 0 to 4, so 0-d and zero-size included)
     * @param minRank        the least rank of that shape
     * @param differentiable whether gradients are checked (first and second order)
     */
    record Entry(String signature, boolean anyShape, int minRank, boolean differentiable, Inputs inputs, Function<Tensor[], Tensor> f) {
        @Override
        public String toString() { return signature; }
    }

    /** Public methods that are not tensor operations, each with the reason and where it is tested instead. */
    static final Map<String, String> NOT_OPS = Map.ofEntries(
            Map.entry("backward()", "graph: GradientTapeTest, BackpropExamplesTest"),
            Map.entry("backward(Tensor)", "graph: GradientTapeTest"),
            Map.entry("backward(Collection)", "graph: BackpropExamplesTest"),
            Map.entry("detach()", "graph: GradientTapeTest"),
            Map.entry("requiresGrad()", "graph: GradientTapeTest"),
            Map.entry("tracksGradient()", "graph: GradientTapeTest"),
            Map.entry("recordedOp()", "graph: GradientTapeTest"),
            Map.entry("dtype()", "accessor"), Map.entry("shape()", "accessor"), Map.entry("rank()", "accessor"),
            Map.entry("numel()", "accessor"), Map.entry("size(int)", "accessor"), Map.entry("item()", "accessor: BadInputTest"),
            Map.entry("get(int[])", "accessor: ForwardValuesTest"), Map.entry("toDoubleArray()", "accessor"), Map.entry("toFloatArray()", "accessor"),
            Map.entry("toIntArray()", "accessor: ForwardValuesTest"), Map.entry("toString()", "printing"),
            Map.entry("of(double[],int[])", "factory"), Map.entry("of(float[],int[])", "factory"), Map.entry("scalar(double)", "factory"),
            Map.entry("scalar(DType,double)", "factory"), Map.entry("zeros(int[])", "factory"), Map.entry("zeros(DType,int[])", "factory"),
            Map.entry("ones(int[])", "factory"), Map.entry("ones(DType,int[])", "factory"), Map.entry("full(double,int[])", "factory"),
            Map.entry("full(DType,double,int[])", "factory"), Map.entry("zerosLike(Tensor)", "factory"), Map.entry("onesLike(Tensor)", "factory"),
            Map.entry("arange(double)", "factory: ForwardValuesTest"), Map.entry("arange(double,double,double)", "factory: ForwardValuesTest"),
            Map.entry("arange(DType,double,double,double)", "factory: ForwardValuesTest"), Map.entry("linspace(double,double,int)", "factory: ForwardValuesTest"),
            Map.entry("linspace(DType,double,double,int)", "factory: ForwardValuesTest"), Map.entry("eye(int)", "factory"), Map.entry("eye(DType,int)", "factory"),
            Map.entry("rand(Random,int[])", "factory"), Map.entry("rand(Random,DType,int[])", "factory"), Map.entry("randn(Random,int[])", "factory"),
            Map.entry("randn(Random,DType,int[])", "factory"),
            Map.entry("Attention.causalMask(int)", "factory (constant mask): AttentionGradientProperties"),
            Map.entry("Attention.causalMask(DType,int,int)", "factory (constant mask): AttentionGradientProperties"),
            Map.entry("Conv.checkGroups(String,int,int,int)", "argument check: BadInputTest"), Map.entry("Conv.pair(String,String,int[],int)", "argument check: BadInputTest"));

    static final List<Entry> ENTRIES = new ArrayList<>();

    private static void any(String sig, double lo, double hi, Function<Tensor, Tensor> f) {
        ENTRIES.add(new Entry(sig, true, 0, true, (r, s) -> new Tensor[] {uniform(r, lo, hi, s)}, t -> f.apply(t[0])));
    }

    /** Values away from the kinks at 0 (|x| in [0.05, 2)). */
    private static void awayFromZero(String sig, Function<Tensor, Tensor> f) {
        ENTRIES.add(new Entry(sig, true, 0, true, (r, s) -> new Tensor[] {Gen.awayFromZero(r, 0.05, 2, s)}, t -> f.apply(t[0])));
    }

    /** Values at least 0.05 apart (no ties for max-like operations). */
    private static void distinct(String sig, int minRank, boolean differentiable, Function<Tensor, Tensor> f) {
        ENTRIES.add(new Entry(sig, true, minRank, differentiable, (r, s) -> new Tensor[] {spread(r, s)}, t -> f.apply(t[0])));
    }

    private static void binary(String sig, boolean differentiable, boolean denominator, java.util.function.BinaryOperator<Tensor> f) {
        ENTRIES.add(new Entry(sig, true, 0, differentiable, (r, s) -> {
            int[] sb = Gen.broadcastableTo(r, s);
            boolean swap = r.nextBoolean();
            Tensor a = uniform(r, -2, 2, swap ? sb : s);
            Tensor b = denominator ? Gen.awayFromZero(r, 0.5, 2, swap ? s : sb) : uniform(r, -2, 2, swap ? s : sb);
            return new Tensor[] {a, b};
        }, t -> f.apply(t[0], t[1])));
    }

    private static void fixed(String sig, boolean differentiable, Inputs inputs, Function<Tensor[], Tensor> f) {
        ENTRIES.add(new Entry(sig, false, 0, differentiable, inputs, f));
    }

    private static Tensor spread(Random r, int... s) {
        int n = Shape.size(s);
        int[] p = Gen.permutation(r, n);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = 0.1 * (p[i] - n / 2.0) + 0.01 * r.nextDouble();
        return Tensor.of(v, s).reshape(s);
    }

    static {
        // elementwise
        any("neg()", -3, 3, Tensor::neg);
        any("exp()", -3, 3, Tensor::exp);
        any("log()", 0.2, 3, Tensor::log);
        any("sqrt()", 0.2, 3, Tensor::sqrt);
        any("square()", -3, 3, Tensor::square);
        any("pow(double)", 0.3, 2, x -> x.pow(1.7));
        any("sin()", -4, 4, Tensor::sin);
        any("cos()", -4, 4, Tensor::cos);
        any("tanh()", -3, 3, Tensor::tanh);
        any("sigmoid()", -6, 6, Tensor::sigmoid);
        any("erf()", -3, 3, Tensor::erf);
        any("gelu()", -3, 3, Tensor::gelu);
        any("softplus()", -30, 30, Tensor::softplus);
        any("log1p()", -0.7, 3, Tensor::log1p);
        any("expm1()", -3, 3, Tensor::expm1);
        any("rsqrt()", 0.2, 3, Tensor::rsqrt);
        awayFromZero("reciprocal()", Tensor::reciprocal);
        any("silu()", -4, 4, Tensor::silu);
        awayFromZero("elu(double)", x -> x.elu(0.7));
        any("logSigmoid()", -20, 20, Tensor::logSigmoid);
        any("gelu(String)", -3, 3, x -> x.gelu("tanh"));
        fixed("pow(Tensor)", true, (r, s) -> new Tensor[] {uniform(r, 0.3, 2, 3, 4), uniform(r, -2, 2, 4)}, t -> t[0].pow(t[1]));
        awayFromZero("abs()", Tensor::abs);
        awayFromZero("relu()", Tensor::relu);
        awayFromZero("leakyRelu(double)", x -> x.leakyRelu(0.1));
        ENTRIES.add(new Entry("clamp(double,double)", true, 0, true, (r, s) -> new Tensor[] {spread(r, s).add(0.003)}, t -> t[0].clamp(-0.5, 0.5)));
        any("add(double)", -2, 2, x -> x.add(1.5));
        any("sub(double)", -2, 2, x -> x.sub(1.5));
        any("mul(double)", -2, 2, x -> x.mul(-1.5));
        any("div(double)", -2, 2, x -> x.div(-1.5));
        binary("add(Tensor)", true, false, Tensor::add);
        binary("sub(Tensor)", true, false, Tensor::sub);
        binary("mul(Tensor)", true, false, Tensor::mul);
        binary("div(Tensor)", true, true, Tensor::div);
        fixed("add(Tensor,double)", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 3, 4), uniform(r, -2, 2, 3, 4)}, t -> t[0].add(t[1], -0.7));
        ENTRIES.add(new Entry("maximum(Tensor)", true, 0, true, (r, s) -> new Tensor[] {spread(r, s), spread(r, s).add(0.031)}, t -> t[0].maximum(t[1])));
        ENTRIES.add(new Entry("minimum(Tensor)", true, 0, true, (r, s) -> new Tensor[] {spread(r, s), spread(r, s).add(0.031)}, t -> t[0].minimum(t[1])));
        fixed("where(Tensor,Tensor,Tensor)", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 4, 1), uniform(r, -2, 2, 3)},
                t -> Tensor.where(Tensor.of(new double[] {1, 0, 0, 1}, 4, 1), t[0], t[1]));
        for (String c : new String[] {"gt", "ge", "lt", "le", "eq"}) {
            java.util.function.BinaryOperator<Tensor> op = switch (c) {
                case "gt" -> Tensor::gt; case "ge" -> Tensor::ge; case "lt" -> Tensor::lt; case "le" -> Tensor::le; default -> Tensor::eq;
            };
            ENTRIES.add(new Entry(c + "(Tensor)", true, 0, false, (r, s) -> new Tensor[] {grid(r, s), grid(r, Gen.broadcastableTo(r, s))},
                    t -> op.apply(t[0], t[1])));
            ENTRIES.add(new Entry(c + "(double)", true, 0, false, (r, s) -> new Tensor[] {grid(r, s)}, t -> op.apply(t[0], t[0].like(0.5))));
        }
        ENTRIES.add(new Entry("sign()", true, 0, false, (r, s) -> new Tensor[] {uniform(r, -2, 2, s)}, t -> t[0].sign()));

        // reductions
        any("sum()", -2, 2, Tensor::sum);
        ENTRIES.add(new Entry("sum(int,boolean)", true, 1, true, (r, s) -> new Tensor[] {uniform(r, -2, 2, s)}, t -> t[0].sum(-1, false)));
        ENTRIES.add(new Entry("sum(int[],boolean)", true, 2, true, (r, s) -> new Tensor[] {uniform(r, -2, 2, s)}, t -> t[0].sum(new int[] {0, -1}, true)));
        fixed("sumTo(int[])", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 2, 3, 4)}, t -> t[0].sumTo(3, 1));
        ENTRIES.add(new Entry("mean()", true, 0, true, (r, s) -> new Tensor[] {uniform(r, -2, 2, s.length == 0 ? s : Shape.with(s, 0, Math.max(1, s[0])))}, t -> t[0].mean()));
        ENTRIES.add(new Entry("mean(int,boolean)", true, 1, true, (r, s) -> new Tensor[] {uniform(r, -2, 2, Shape.with(s, 0, Math.max(1, s[0])))}, t -> t[0].mean(0, true)));
        ENTRIES.add(new Entry("mean(int[],boolean)", true, 2, true, (r, s) -> new Tensor[] {uniform(r, -2, 2, positive(s))}, t -> t[0].mean(new int[] {0, 1}, false)));
        fixed("var()", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 3, 4)}, t -> t[0].var());
        fixed("var(int,boolean)", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 3, 4)}, t -> t[0].var(1, false));
        fixed("var(int,boolean,boolean)", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 3, 4)}, t -> t[0].var(0, true, false));
        fixed("var(int[],boolean,boolean)", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 2, 3, 4)}, t -> t[0].var(new int[] {0, 2}, false, true));
        fixed("std()", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 3, 4)}, t -> t[0].std());
        fixed("std(int,boolean)", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 3, 4)}, t -> t[0].std(1, true));
        fixed("std(int[],boolean,boolean)", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 2, 3, 4)}, t -> t[0].std(new int[] {0, 2}, false, false));
        fixed("max(int[],boolean)", true, (r, s) -> new Tensor[] {spread(r, 2, 3, 4)}, t -> t[0].max(new int[] {0, 2}, true));
        fixed("min(int[],boolean)", true, (r, s) -> new Tensor[] {spread(r, 2, 3, 4)}, t -> t[0].min(new int[] {2, 1}, false));
        ENTRIES.add(new Entry("norm()", true, 0, true, (r, s) -> new Tensor[] {Gen.awayFromZero(r, 0.3, 2, positive(s))}, t -> t[0].norm()));
        ENTRIES.add(new Entry("norm(double)", true, 0, true, (r, s) -> new Tensor[] {Gen.awayFromZero(r, 0.3, 2, positive(s))}, t -> t[0].norm(3)));
        fixed("norm(double,int,boolean)", true, (r, s) -> new Tensor[] {Gen.awayFromZero(r, 0.3, 2, 3, 4)}, t -> t[0].norm(1.5, 1, false));
        ENTRIES.add(new Entry("cumsum(int)", true, 1, true, (r, s) -> new Tensor[] {uniform(r, -2, 2, s)}, t -> t[0].cumsum(-1)));
        fixed("sort(int,boolean)", true, (r, s) -> new Tensor[] {spread(r, 3, 5)}, t -> t[0].sort(1, false).values().mul(t[0].sort(0, true).indices().add(1)));
        fixed("topk(int,int,boolean)", true, (r, s) -> new Tensor[] {spread(r, 3, 5)}, t -> t[0].topk(2, -1, true).values());
        distinct("max()", 0, true, t -> t.numel() == 0 ? t.sum() : t.max());
        distinct("min()", 0, true, t -> t.numel() == 0 ? t.sum() : t.min());
        ENTRIES.add(new Entry("max(int,boolean)", true, 1, true, (r, s) -> new Tensor[] {spread(r, Shape.with(s, 0, Math.max(1, s[0])))}, t -> t[0].max(0, false)));
        ENTRIES.add(new Entry("min(int,boolean)", true, 1, true, (r, s) -> new Tensor[] {spread(r, Shape.with(s, 0, Math.max(1, s[0])))}, t -> t[0].min(0, true)));
        ENTRIES.add(new Entry("argmax(int)", true, 1, false, (r, s) -> new Tensor[] {spread(r, Shape.with(s, 0, Math.max(1, s[0])))}, t -> t[0].argmax(0)));
        ENTRIES.add(new Entry("argmin(int)", true, 1, false, (r, s) -> new Tensor[] {spread(r, Shape.with(s, 0, Math.max(1, s[0])))}, t -> t[0].argmin(0)));
        any("logSumExp()", -3, 3, Tensor::logSumExp);
        ENTRIES.add(new Entry("logSumExp(int,boolean)", true, 1, true, (r, s) -> new Tensor[] {uniform(r, -3, 3, s)}, t -> t[0].logSumExp(-1, false)));
        ENTRIES.add(new Entry("softmax(int)", true, 1, true, (r, s) -> new Tensor[] {uniform(r, -3, 3, s)}, t -> t[0].softmax(-1)));
        ENTRIES.add(new Entry("logSoftmax(int)", true, 1, true, (r, s) -> new Tensor[] {uniform(r, -3, 3, s)}, t -> t[0].logSoftmax(0)));

        // movement
        fixed("reshape(int[])", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 2, 3, 2)}, t -> t[0].reshape(3, -1));
        any("flatten()", -2, 2, Tensor::flatten);
        fixed("flatten(int)", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 2, 3, 2)}, t -> t[0].flatten(1));
        fixed("indexSelect(int,Tensor)", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 3, 4)}, t -> t[0].indexSelect(0, Tensor.of(new double[] {2, 0, 2, 1})));
        fixed("repeat(int[])", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 2, 3)}, t -> t[0].repeat(2, 1, 2));
        fixed("flip(int[])", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 2, 3, 4)}, t -> t[0].flip(0, -1));
        fixed("roll(int,int)", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 2, 5)}, t -> t[0].roll(-3, 1));
        fixed("einsum(String,Tensor[])", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 2, 3, 4), uniform(r, -2, 2, 4, 5), uniform(r, -2, 2, 3)},
                t -> Tensor.einsum("bij,jk,i->bk", t[0], t[1], t[2]));
        fixed("flatten(int,int)", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 2, 3, 2, 2)}, t -> t[0].flatten(1, 2));
        fixed("squeeze()", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 2, 1, 3, 1)}, t -> t[0].squeeze());
        fixed("squeeze(int)", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 2, 1, 3)}, t -> t[0].squeeze(1));
        any("unsqueeze(int)", -2, 2, x -> x.unsqueeze(0));
        fixed("transpose(int,int)", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 2, 3, 4)}, t -> t[0].transpose(0, 2));
        fixed("permute(int[])", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 2, 3, 4)}, t -> t[0].permute(1, 2, 0));
        fixed("expand(int[])", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 3, 1)}, t -> t[0].expand(2, 3, 4));
        fixed("slice(int,int,int)", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 3, 5)}, t -> t[0].slice(1, 1, -1));
        fixed("pad(int[])", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 2, 3)}, t -> t[0].pad(1, 2, 0, 1));
        fixed("pad(double,int[])", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 2, 3)}, t -> t[0].pad(-3.0, 2, 1));
        fixed("cat(int,Tensor[])", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 2, 3), uniform(r, -2, 2, 2, 1)}, t -> Tensor.cat(1, t[0], t[1]));
        fixed("stack(int,Tensor[])", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 2, 3), uniform(r, -2, 2, 2, 3)}, t -> Tensor.stack(1, t[0], t[1]));
        fixed("gather(int,Tensor)", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 3, 4)}, t -> t[0].gather(1, Gen.indices(new Random(7), 4, 3, 5)));
        fixed("scatterAdd(int,Tensor,Tensor)", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 3, 4), uniform(r, -2, 2, 3, 5)},
                t -> t[0].scatterAdd(1, Gen.indices(new Random(8), 4, 3, 5), t[1]));
        fixed("indexSelect(int,int[])", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 3, 4)}, t -> t[0].indexSelect(1, 3, 0, 3));
        // Through FLOAT32 a function is constant below its rounding step, so finite differences cannot see the
        // gradient here; the CAST primitive's own property checks it (MatMulGradientProperties).
        // A fixed Random per call: the same mask for the function and its finite differences.
        fixed("dropout(double,Random)", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 4, 5)}, t -> t[0].dropout(0.3, new Random(11)));
        fixed("tril(int)", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 2, 3, 4)}, t -> t[0].tril(1));
        fixed("triu(int)", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 3, 4)}, t -> t[0].triu(-1));
        fixed("maskedFill(Tensor,double)", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 3, 4)}, t -> t[0].maskedFill(Tensor.of(new double[] {1, 0, 0, 1}), -7));
        fixed("split(int,int)", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 3, 5)}, t -> { Tensor[] p = t[0].split(2, 1); return p[0].sum().add(p[2].mul(p[1].slice(1, 0, 1)).sum()); });
        fixed("chunk(int,int)", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 5, 2)}, t -> { Tensor[] p = t[0].chunk(2, 0); return Tensor.cat(0, p[1], p[0]); });
        fixed("to(DType)", false, (r, s) -> new Tensor[] {uniform(r, -2, 2, 2, 3)}, t -> t[0].to(t[0].dtype() == DType.FLOAT64 ? DType.FLOAT32 : DType.FLOAT64).mul(2).to(t[0].dtype()));

        // linear algebra
        fixed("matmul(Tensor)", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 2, 3, 4), uniform(r, -2, 2, 4, 2)}, t -> t[0].matmul(t[1]));
        fixed("linear(Tensor,Tensor)", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 2, 3, 4), uniform(r, -2, 2, 5, 4), uniform(r, -2, 2, 5)},
                t -> t[0].linear(t[1], t[2]));
        fixed("matmulTransposed(Tensor)", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 3, 4), uniform(r, -2, 2, 2, 4)}, t -> t[0].matmulTransposed(t[1]));

        // attention
        fixed("Attention.scaledDotProduct(Tensor,Tensor,Tensor,Tensor,boolean)", true,
                (r, s) -> new Tensor[] {uniform(r, -1, 1, 2, 3, 4), uniform(r, -1, 1, 2, 5, 4), uniform(r, -1, 1, 2, 5, 3), uniform(r, -1, 1, 3, 5)},
                t -> Attention.scaledDotProduct(t[0], t[1], t[2], t[3], false));
        fixed("Attention.scaledDotProduct(Tensor,Tensor,Tensor,Tensor,boolean,double,Random)", true,
                (r, s) -> new Tensor[] {uniform(r, -1, 1, 2, 4, 4), uniform(r, -1, 1, 2, 4, 4), uniform(r, -1, 1, 2, 4, 3)},
                t -> Attention.scaledDotProduct(t[0], t[1], t[2], null, true, 0.3, new Random(5)));
        fixed("Attention.weights(Tensor,Tensor,Tensor,boolean)", true, (r, s) -> new Tensor[] {uniform(r, -1, 1, 3, 4), uniform(r, -1, 1, 3, 4)},
                t -> Attention.weights(t[0], t[1], null, true));
        fixed("Attention.maskedSoftmax(Tensor)", true, (r, s) -> new Tensor[] {uniform(r, -2, 2, 3, 4)},
                t -> Attention.maskedSoftmax(t[0].add(Tensor.of(new double[] {0, Double.NEGATIVE_INFINITY, 0, 0}).to(t[0].dtype()))));
        fixed("Attention.dropout(Tensor,double,Random)", true, (r, s) -> new Tensor[] {uniform(r, 0, 1, 3, 4)}, t -> Attention.dropout(t[0], 0.5, new Random(3)));

        // functional ops
        fixed("Conv.conv2d(Tensor,Tensor,Tensor,int,int)", true, (r, s) -> new Tensor[] {uniform(r, -1, 1, 2, 2, 4, 4), uniform(r, -1, 1, 3, 2, 3, 3), uniform(r, -1, 1, 3)},
                t -> Conv.conv2d(t[0], t[1], t[2], 1, 1));
        fixed("Conv.conv2d(Tensor,Tensor,Tensor,int[],int[],int[],int)", true,
                (r, s) -> new Tensor[] {uniform(r, -1, 1, 1, 4, 5, 4), uniform(r, -1, 1, 2, 2, 2, 3), uniform(r, -1, 1, 2)},
                t -> Conv.conv2d(t[0], t[1], t[2], new int[] {2, 1}, new int[] {1, 0}, new int[] {1, 1}, 2));
        fixed("Conv.convTranspose2d(Tensor,Tensor,Tensor,int,int)", true,
                (r, s) -> new Tensor[] {uniform(r, -1, 1, 1, 2, 3, 3), uniform(r, -1, 1, 2, 3, 3, 3), uniform(r, -1, 1, 3)},
                t -> Conv.convTranspose2d(t[0], t[1], t[2], 2, 1));
        fixed("Conv.convTranspose2d(Tensor,Tensor,Tensor,int[],int[],int[],int[],int)", true,
                (r, s) -> new Tensor[] {uniform(r, -1, 1, 1, 2, 3, 2), uniform(r, -1, 1, 2, 1, 2, 2), uniform(r, -1, 1, 2)},
                t -> Conv.convTranspose2d(t[0], t[1], t[2], new int[] {2}, new int[] {0}, new int[] {1}, new int[] {1}, 2));
        fixed("Conv.conv1d(Tensor,Tensor,Tensor,int,int,int,int)", true,
                (r, s) -> new Tensor[] {uniform(r, -1, 1, 2, 2, 6), uniform(r, -1, 1, 3, 2, 3), uniform(r, -1, 1, 3)},
                t -> Conv.conv1d(t[0], t[1], t[2], 2, 1, 1, 1));
        fixed("Conv.unfold(Tensor,int[],int[],int[],int[])", true, (r, s) -> new Tensor[] {uniform(r, -1, 1, 1, 2, 4, 3)},
                t -> Conv.unfold(t[0], new int[] {2}, new int[] {1}, new int[] {1}, new int[] {2, 1}));
        fixed("Conv.fold(Tensor,int[],int[],int[],int[],int[])", true, (r, s) -> new Tensor[] {uniform(r, -1, 1, 1, 8, 12)},
                t -> Conv.fold(t[0], new int[] {4, 3}, new int[] {2}, new int[] {1}, new int[] {1}, new int[] {2, 1}));
        fixed("Pool.maxPool2d(Tensor,int)", true, (r, s) -> new Tensor[] {spread(r, 2, 2, 4, 4)}, t -> Pool.maxPool2d(t[0], 2));
        fixed("Pool.maxPool2d(Tensor,int[],int[],int[],int[])", true, (r, s) -> new Tensor[] {spread(r, 1, 2, 5, 4)},
                t -> Pool.maxPool2d(t[0], new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 0}, new int[] {1}));
        fixed("Pool.avgPool2d(Tensor,int)", true, (r, s) -> new Tensor[] {uniform(r, -1, 1, 2, 2, 4, 4)}, t -> Pool.avgPool2d(t[0], 2));
        fixed("Pool.avgPool2d(Tensor,int[],int[],int[],boolean)", true, (r, s) -> new Tensor[] {uniform(r, -1, 1, 1, 2, 5, 4)},
                t -> Pool.avgPool2d(t[0], new int[] {3}, new int[] {2}, new int[] {1}, false));
        fixed("Pool.adaptiveAvgPool2d(Tensor,int[])", true, (r, s) -> new Tensor[] {uniform(r, -1, 1, 1, 2, 5, 4)}, t -> Pool.adaptiveAvgPool2d(t[0], 3, 2));
        fixed("Interpolate.nearest(Tensor,int,int)", true, (r, s) -> new Tensor[] {uniform(r, -1, 1, 1, 2, 3, 2)}, t -> Interpolate.nearest(t[0], 5, 4));
        fixed("Interpolate.nearest(Tensor,double)", true, (r, s) -> new Tensor[] {uniform(r, -1, 1, 1, 2, 3, 2)}, t -> Interpolate.nearest(t[0], 2));
        fixed("Interpolate.bilinear(Tensor,int,int,boolean)", true, (r, s) -> new Tensor[] {uniform(r, -1, 1, 1, 2, 3, 2)}, t -> Interpolate.bilinear(t[0], 5, 3, true));
        fixed("Interpolate.bilinear(Tensor,double,boolean)", true, (r, s) -> new Tensor[] {uniform(r, -1, 1, 1, 2, 3, 2)}, t -> Interpolate.bilinear(t[0], 2, false));
        fixed("Normalization.batchStatistics(Tensor)", true, (r, s) -> new Tensor[] {uniform(r, -1, 1, 3, 2, 2)},
                t -> { Tensor[] m = Normalization.batchStatistics(t[0]); return m[0].add(m[1].mul(2)); });
        fixed("Normalization.normalize(Tensor,Tensor,Tensor,Tensor,Tensor,double)", true,
                (r, s) -> new Tensor[] {uniform(r, -1, 1, 3, 2, 2), uniform(r, -1, 1, 2), uniform(r, 0.5, 1.5, 2), uniform(r, -1, 1, 2), uniform(r, -1, 1, 2)},
                t -> Normalization.normalize(t[0], t[1], t[2], t[3], t[4], 1e-5));
        fixed("Normalization.batchNorm(Tensor,Tensor,Tensor,double)", true,
                (r, s) -> new Tensor[] {uniform(r, -1, 1, 4, 2, 2), uniform(r, -1, 1, 2), uniform(r, -1, 1, 2)},
                t -> Normalization.batchNorm(t[0], t[1], t[2], 1e-5));
        // the statistics it also returns are constants; FastPathsTest compares them with batchStatistics'
        fixed("Normalization.batchNormWithStatistics(Tensor,Tensor,Tensor,double)", true,
                (r, s) -> new Tensor[] {uniform(r, -1, 1, 3, 2, 2, 2), uniform(r, 0.5, 1.5, 1, 2, 1, 1), uniform(r, -1, 1, 2)},
                t -> Normalization.batchNormWithStatistics(t[0], t[1], t[2], 1e-5)[0]);
        fixed("Normalization.layerNorm(Tensor,int[],Tensor,Tensor,double)", true,
                (r, s) -> new Tensor[] {uniform(r, -1, 1, 2, 3, 4), uniform(r, -1, 1, 3, 4), uniform(r, -1, 1, 3, 4)},
                t -> Normalization.layerNorm(t[0], new int[] {3, 4}, t[1], t[2], 1e-5));
        fixed("RecurrentCells.lstm(Tensor,Tensor,Tensor)", true,
                (r, s) -> new Tensor[] {uniform(r, -2, 2, 2, 12), uniform(r, -2, 2, 2, 12), uniform(r, -1, 1, 2, 3)},
                t -> RecurrentCells.lstm(t[0], t[1], t[2]));
        fixed("RecurrentCells.lstmSequence(Tensor,Tensor,Tensor,Tensor,boolean)", true,
                (r, s) -> new Tensor[] {uniform(r, -2, 2, 3, 2, 8), uniform(r, -1, 1, 8, 2), uniform(r, -1, 1, 2, 2), uniform(r, -1, 1, 2, 2)},
                t -> RecurrentCells.lstmSequence(t[0], t[1], t[2], t[3], true));
    }

    /** Multiples of 0.5 in [-1, 1], exact in both dtypes (so comparisons agree between them and ties occur). */
    private static Tensor grid(Random r, int... s) { return Gen.indices(r, 5, s).sub(2).mul(0.5); }

    private static int[] positive(int[] s) {
        int[] p = s.clone();
        for (int i = 0; i < p.length; i++) p[i] = Math.max(1, p[i]);
        return p;
    }
}
