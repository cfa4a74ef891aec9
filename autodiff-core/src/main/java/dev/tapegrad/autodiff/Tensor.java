package dev.tapegrad.autodiff;

import dev.tapegrad.autodiff.kernel.DropoutKernelsF32;
import dev.tapegrad.autodiff.kernel.DropoutKernelsF64;
import dev.tapegrad.autodiff.kernel.Layout;
import dev.tapegrad.autodiff.kernel.Settings;
import java.util.Arrays;
import java.util.Objects;
import java.util.Random;

/**
 * An immutable n-dimensional array of {@link DType#FLOAT32} or {@link DType#FLOAT64} values, row-major,
 * of any rank (0-d scalars and zero-size dimensions included), whose operations are recorded for
 * reverse-mode differentiation while a {@link GradientTape} records on the current thread.
 *
 * <p>Semantics follow PyTorch: NumPy broadcasting for binary operations, negative axes count from the
 * end, reductions take {@code (axis, keepDim)} or reduce everything, {@code matmul} of a matrix and a
 * vector is a vector. Values outside a function's domain follow IEEE arithmetic ({@code log(-1)} is NaN).
 * Misuse (mismatched shapes, mixed dtypes, bad axes) throws {@link IllegalArgumentException} or {@link
 * IllegalStateException} with a message naming the operation and the shapes.
 *
 * <pre>{@code
 * Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
 * Tensor w = Tensor.randn(new Random(0), DType.FLOAT64, 3, 4).requiresGrad();
 * try (GradientTape tape = GradientTape.record()) {
 *     Tensor loss = x.matmul(w).tanh().sum();
 *     Tensor dw = loss.backward().get(w);
 * }
 * }</pre>
 */
public final class Tensor {
    final int[] shape;
    final float[] f;
    final double[] d;
    final boolean requiresGrad;
    Node node;

    Tensor(int[] shape, float[] f, double[] d, boolean requiresGrad) {
        this.shape = shape;
        this.f = f;
        this.d = d;
        this.requiresGrad = requiresGrad;
    }

    static Tensor wrap(int[] shape, float[] f) { return new Tensor(shape, f, null, false); }

    static Tensor wrap(int[] shape, double[] d) { return new Tensor(shape, null, d, false); }

    static Tensor wrap(int[] shape, float[] f, double[] d) { return new Tensor(shape, f, d, false); }

    /** A new shape over the same (never mutated) storage. */
    static Tensor wrapShared(int[] shape, Tensor x) { return new Tensor(shape, x.f, x.d, false); }

    static Tensor alloc(DType t, int[] shape) {
        int n = Shape.size(shape);
        return t == DType.FLOAT32 ? wrap(shape, new float[n]) : wrap(shape, new double[n]);
    }

    /** Records {@code out} as the result of primitive {@code op} when a tape records and an input tracks. */
    static Tensor record(Op op, Tensor out, Node.Backward backward, Tensor... inputs) {
        GradientTape owner = GradientTape.owner();
        if (owner == null) return out;
        for (Tensor in : inputs) {
            if (in.tracksGradient()) {
                String site = null;
                if (owner.detectsAnomalies()) {
                    site = Anomaly.site();
                    Anomaly.checkForward(op, out, inputs, site);
                }
                Node n = new Node(op, owner, inputs, backward, site);
                out.node = n;
                owner.add(n, sharesStorage(out, inputs) ? 0 : (long) out.numel() * (out.f != null ? 4 : 8));
                return out;
            }
        }
        return out;
    }

    /** Whether {@code out} is a view of an input's storage (a reshape), which costs no memory of its own. */
    private static boolean sharesStorage(Tensor out, Tensor[] inputs) {
        for (Tensor in : inputs) if (in.f == out.f && in.d == out.d) return true;
        return false;
    }

    // ---------------------------------------------------------------- factories

    /** A FLOAT64 tensor holding a copy of {@code data}; the shape defaults to {@code [data.length]}. */
    public static Tensor of(double[] data, int... shape) {
        Objects.requireNonNull(data, "of: data is null");
        return wrap(dataShape("of", data.length, shape), data.clone());
    }

    /** A FLOAT32 tensor holding a copy of {@code data}; the shape defaults to {@code [data.length]}. */
    public static Tensor of(float[] data, int... shape) {
        Objects.requireNonNull(data, "of: data is null");
        return wrap(dataShape("of", data.length, shape), data.clone());
    }

    private static int[] dataShape(String op, int length, int[] shape) {
        Objects.requireNonNull(shape, () -> op + ": shape is null");
        if (shape.length == 0) return new int[] {length};
        int[] s = Shape.checked(op, shape);
        if (Shape.size(s) != length)
            throw new IllegalArgumentException(op + ": " + length + " values do not fill shape " + Shape.str(s));
        return s;
    }

    /** A 0-d FLOAT64 scalar. */
    public static Tensor scalar(double value) { return wrap(new int[0], new double[] {value}); }

    /** A 0-d scalar of the given dtype. */
    public static Tensor scalar(DType dtype, double value) { return full(dtype, value, new int[0]); }

    public static Tensor zeros(int... shape) { return zeros(DType.FLOAT32, shape); }

    public static Tensor zeros(DType dtype, int... shape) { return alloc(DType.required("zeros", dtype), Shape.checked("zeros", shape)); }

    public static Tensor ones(int... shape) { return full(DType.FLOAT32, 1, shape); }

    public static Tensor ones(DType dtype, int... shape) { return full(dtype, 1, shape); }

    public static Tensor full(double value, int... shape) { return full(DType.FLOAT32, value, shape); }

    public static Tensor full(DType dtype, double value, int... shape) {
        Tensor t = alloc(DType.required("full", dtype), Shape.checked("full", shape));
        if (t.f != null) Arrays.fill(t.f, (float) value); else Arrays.fill(t.d, value);
        return t;
    }

    public static Tensor zerosLike(Tensor t) { return zeros(t.dtype(), t.shape); }

    public static Tensor onesLike(Tensor t) { return ones(t.dtype(), t.shape); }

    /** {@code [0, 1, ..., end-1]} as FLOAT32, like {@code torch.arange(end)}. */
    public static Tensor arange(double end) { return arange(0, end, 1); }

    /** Values {@code start, start+step, ...} below {@code end} (above it for a negative step), FLOAT32. */
    public static Tensor arange(double start, double end, double step) { return arange(DType.FLOAT32, start, end, step); }

    public static Tensor arange(DType dtype, double start, double end, double step) {
        if (step == 0 || !Double.isFinite(step) || !Double.isFinite(start) || !Double.isFinite(end))
            throw new IllegalArgumentException("arange: start " + start + ", end " + end + ", step " + step + " must be finite with a nonzero step");
        DType.required("arange", dtype);
        double count = Math.max(0, Math.ceil((end - start) / step));
        if (count > Settings.MAX_ELEMENTS)
            throw new IllegalArgumentException("arange: start " + start + ", end " + end + ", step " + step + " give " + count
                    + " values, more than the " + Settings.MAX_ELEMENTS + " one tensor may hold");
        int n = (int) count;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = start + i * step;
        return of(v).to(dtype);
    }

    /** {@code steps} evenly spaced values from {@code start} to {@code end} inclusive, FLOAT32. */
    public static Tensor linspace(double start, double end, int steps) { return linspace(DType.FLOAT32, start, end, steps); }

    public static Tensor linspace(DType dtype, double start, double end, int steps) {
        DType.required("linspace", dtype);
        if (steps < 0) throw new IllegalArgumentException("linspace: steps " + steps + " is negative");
        Shape.checked("linspace", steps);
        double[] v = new double[steps];
        for (int i = 0; i < steps; i++) v[i] = steps == 1 ? start : start + (end - start) * i / (steps - 1);
        return of(v).to(dtype);
    }

    /** The {@code n x n} identity, FLOAT32. */
    public static Tensor eye(int n) { return eye(DType.FLOAT32, n); }

    public static Tensor eye(DType dtype, int n) {
        DType.required("eye", dtype);
        double[] v = new double[Shape.size(Shape.checked("eye", n, n))];
        for (int i = 0; i < n; i++) v[i * n + i] = 1;
        return of(v, n, n).to(dtype);
    }

    /** Uniform values in {@code [0, 1)} from {@code random}, FLOAT32. */
    public static Tensor rand(Random random, int... shape) { return rand(random, DType.FLOAT32, shape); }

    public static Tensor rand(Random random, DType dtype, int... shape) {
        Objects.requireNonNull(random, "rand: random is null");
        DType.required("rand", dtype);
        double[] v = new double[Shape.size(Shape.checked("rand", shape))];
        for (int i = 0; i < v.length; i++) v[i] = random.nextDouble();
        return wrap(shape.clone(), v).to(dtype);
    }

    /** Standard normal values from {@code random}, FLOAT32. */
    public static Tensor randn(Random random, int... shape) { return randn(random, DType.FLOAT32, shape); }

    public static Tensor randn(Random random, DType dtype, int... shape) {
        Objects.requireNonNull(random, "randn: random is null");
        DType.required("randn", dtype);
        double[] v = new double[Shape.size(Shape.checked("randn", shape))];
        for (int i = 0; i < v.length; i++) v[i] = random.nextGaussian();
        return wrap(shape.clone(), v).to(dtype);
    }

    /** Concatenation along {@code axis}; all other dimensions must agree. */
    public static Tensor cat(int axis, Tensor... tensors) { return Movement.cat("cat", axis, tensors); }

    /** Stacks equally shaped tensors along a new axis {@code axis}. */
    public static Tensor stack(int axis, Tensor... tensors) {
        Objects.requireNonNull(tensors, "stack: tensors is null");
        if (tensors.length == 0) throw new IllegalArgumentException("stack: no tensors");
        for (int i = 0; i < tensors.length; i++) if (tensors[i] == null) throw new NullPointerException("stack: tensor " + i + " is null");
        int a = Shape.axis("stack", axis, tensors[0].rank() + 1);
        Tensor[] u = new Tensor[tensors.length];
        for (int i = 0; i < u.length; i++) {
            if (!Arrays.equals(tensors[i].shape, tensors[0].shape))
                throw new IllegalArgumentException("stack: tensor " + i + " has shape " + Shape.str(tensors[i].shape)
                        + " but tensor 0 has " + Shape.str(tensors[0].shape));
            u[i] = tensors[i].unsqueeze(a);
        }
        return Movement.cat("stack", a, u);
    }

    /** {@code a} where {@code cond} is nonzero, else {@code b}; all three broadcast. Not differentiable in {@code cond}. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) { return Elementwise.where(cond, a, b); }

    // ---------------------------------------------------------------- accessors

    /** A copy of the shape. */
    public int[] shape() { return shape.clone(); }

    /** The size of one axis (negative counts from the end). */
    public int size(int axis) { return shape[Shape.axis("size", axis, shape.length)]; }

    public int rank() { return shape.length; }

    /** Number of elements. */
    public int numel() { return f != null ? f.length : d.length; }

    public DType dtype() { return f != null ? DType.FLOAT32 : DType.FLOAT64; }

    /** The value of a one-element tensor. */
    public double item() {
        if (numel() != 1)
            throw new IllegalStateException("item: tensor of shape " + Shape.str(shape) + " has " + numel() + " elements, not 1");
        return at(0);
    }

    /** The element at {@code index} (one index per axis, negative counts from the end). */
    public double get(int... index) {
        if (index.length != shape.length)
            throw new IllegalArgumentException("get: " + index.length + " indices for a tensor of shape " + Shape.str(shape));
        int off = 0;
        for (int i = 0; i < index.length; i++) {
            int j = index[i] < 0 ? index[i] + shape[i] : index[i];
            if (j < 0 || j >= shape[i])
                throw new IllegalArgumentException("get: index " + Arrays.toString(index) + " is out of range for shape " + Shape.str(shape));
            off = off * shape[i] + j;
        }
        return at(off);
    }

    double at(int i) { return f != null ? f[i] : d[i]; }

    /** A copy of the values, row-major, as doubles. */
    public double[] toDoubleArray() {
        if (d != null) return d.clone();
        double[] v = new double[f.length];
        for (int i = 0; i < v.length; i++) v[i] = f[i];
        return v;
    }

    /** A copy of the values, row-major, as floats (FLOAT64 values are rounded). */
    public float[] toFloatArray() {
        if (f != null) return f.clone();
        float[] v = new float[d.length];
        for (int i = 0; i < v.length; i++) v[i] = (float) d[i];
        return v;
    }

    /**
     * The values as {@code int}s, row-major (for labels and indices held in a float tensor); throws when a
     * value is not an integer in the {@code int} range, naming its position.
     */
    public int[] toIntArray() { return toIntArray("toIntArray"); }

    int[] toIntArray(String op) {
        int[] v = new int[numel()];
        for (int i = 0; i < v.length; i++) {
            double x = at(i);
            if (x != Math.rint(x) || Math.abs(x) > Integer.MAX_VALUE)
                throw new IllegalArgumentException(op + ": tensor " + Shape.str(shape) + " holds the non-integral value " + x + " at position " + i);
            v[i] = (int) x;
        }
        return v;
    }

    /** Whether this tensor takes part in differentiation: a leaf from {@link #requiresGrad()} or a recorded result. */
    public boolean tracksGradient() { return requiresGrad || (node != null && node.live()); }

    /** The primitive that produced this tensor on a live tape, or {@code null} for a leaf. */
    public Op recordedOp() { return node != null && node.live() ? node.op : null; }

    // ---------------------------------------------------------------- graph

    /** A leaf sharing these values that wants a gradient (like PyTorch's {@code requires_grad_()}, without mutation). */
    public Tensor requiresGrad() { return new Tensor(shape, f, d, true); }

    /** A leaf sharing these values with no gradient history. */
    public Tensor detach() { return new Tensor(shape, f, d, false); }

    /** Backpropagates from this one-element tensor; see {@link GradientTape} for nesting. */
    public Gradients backward() { return backward((Tensor) null); }

    /**
     * Backpropagates from this one-element tensor to {@code inputs} only (PyTorch's {@code backward(inputs=...)}): the
     * sweep follows only the edges towards them, so a GAN's generator update through the discriminator does not form the
     * discriminator's weight gradients. The result holds the gradient of each input the target depends on, and nothing else.
     */
    public Gradients backward(java.util.Collection<Parameter> inputs) {
        java.util.Objects.requireNonNull(inputs, "backward: inputs is null");
        if (inputs.isEmpty()) throw new IllegalArgumentException("backward: inputs is empty (call backward() for every leaf's gradient)");
        java.util.List<Tensor> values = new java.util.ArrayList<>(inputs.size());
        for (Parameter p : inputs) values.add(java.util.Objects.requireNonNull(p, "backward: inputs holds null").value());
        return Backprop.run("backward", this, null, GradientTape.innermost(), values);
    }

    /** Backpropagates from this tensor with cotangent {@code seed} (same shape and dtype). */
    public Gradients backward(Tensor seed) {
        return Backprop.run("backward", this, seed, GradientTape.innermost(), java.util.List.of());
    }

    /** This tensor converted to {@code dtype} (itself when it already has it); differentiable. */
    public Tensor to(DType dtype) { return DType.required("to", dtype) == dtype() ? this : Cast.apply(this, dtype); }

    // ---------------------------------------------------------------- elementwise

    public Tensor add(Tensor o) { return Elementwise.add(this, o); }

    /**
     * {@code this + alpha * o} ({@code torch.add(input, other, alpha=...)}). When nothing is recorded and the
     * shapes are equal it is one fused loop with no temporary, which is what optimizer updates use.
     */
    public Tensor add(Tensor o, double alpha) { return Elementwise.addScaled(this, o, alpha); }

    public Tensor sub(Tensor o) { return Elementwise.sub(this, o); }
    public Tensor mul(Tensor o) { return Elementwise.mul(this, o); }
    public Tensor div(Tensor o) { return Elementwise.div(this, o); }
    public Tensor add(double v) { return add(like(v)); }
    public Tensor sub(double v) { return sub(like(v)); }
    public Tensor mul(double v) { return mul(like(v)); }
    public Tensor div(double v) { return div(like(v)); }

    /** A 0-d constant of this tensor's dtype. */
    Tensor like(double v) { return full(dtype(), v); }

    /**
     * Dropout in training mode, as PyTorch's {@code F.dropout(x, p)}: {@code x * m / (1 - p)} with each element
     * of the mask {@code m} kept (1) with probability {@code 1 - p} and dropped (0) otherwise; computed as
     * {@code x * (m scale)} with {@code scale = 1 / (1 - p)} rounded to the dtype, as PyTorch scales. The
     * gradient is {@code g m scale}. The mask costs one {@code random.nextLong()}, which seeds a counter-based
     * generator ({@link dev.tapegrad.autodiff.kernel.DropoutKernelsF32}): it depends on that draw and the shape
     * alone, not on the thread count, and is the same for both dtypes. {@code p = 0} returns this tensor.
     *
     * @param p the probability of dropping an element, in [0, 1)
     */
    public Tensor dropout(double p, Random random) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("dropout: probability " + p + " must be in [0, 1)");
        if (p == 0) return this;
        Objects.requireNonNull(random, "dropout: random is null");
        long seed = random.nextLong();
        Tensor mask;
        if (f != null) {
            float[] m = new float[f.length];
            DropoutKernelsF32.mask(seed, p, (float) (1 / (1 - p)), m);
            mask = wrap(shape.clone(), m);
        } else {
            double[] m = new double[d.length];
            DropoutKernelsF64.mask(seed, p, 1 / (1 - p), m);
            mask = wrap(shape.clone(), m);
        }
        return mul(mask);
    }

    public Tensor neg() { return Elementwise.neg(this); }
    /** {@code x^p} for a constant exponent. */
    public Tensor pow(double p) { return Elementwise.pow(this, p); }
    public Tensor square() { return pow(2); }
    public Tensor exp() { return Elementwise.exp(this); }
    public Tensor log() { return Elementwise.log(this); }
    public Tensor sqrt() { return pow(0.5); }
    /** {@code |x|}; its gradient at 0 is 0, as in PyTorch. */
    public Tensor abs() { return Elementwise.abs(this); }
    public Tensor sin() { return Elementwise.sin(this); }
    public Tensor cos() { return Elementwise.cos(this); }
    public Tensor tanh() { return Elementwise.tanh(this); }
    public Tensor sigmoid() { return Elementwise.sigmoid(this); }
    /** {@code max(x, 0)}; its gradient at 0 is 0, as in PyTorch. */
    public Tensor relu() { return Elementwise.relu(this); }
    /**
     * {@code x} where {@code x > 0}, else {@code slope * x} (any finite slope; NaN stays NaN): the primitive
     * {@link Op#LEAKY_RELU}, one pass each way; its gradient at 0 is {@code slope}, as in PyTorch.
     */
    public Tensor leakyRelu(double slope) { return Elementwise.leakyRelu(this, slope); }
    /** The Gauss error function. */
    public Tensor erf() { return Elementwise.erf(this); }
    /** Exact GELU, {@code x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2))}: the primitive {@link Op#GELU}, with the derivative {@code Phi(x) + x phi(x)} in one pass. */
    public Tensor gelu() { return Elementwise.gelu(this); }
    /** {@code log(1 + exp(x))}, computed stably. */
    public Tensor softplus() { return Elementwise.softplus(this); }
    /** {@code log(1 + x)}, accurate for small {@code x}. */
    public Tensor log1p() { return Elementwise.log1p(this); }
    /** {@code exp(x) - 1}, accurate for small {@code x}. */
    public Tensor expm1() { return Elementwise.expm1(this); }
    /** {@code 1 / sqrt(x)}. */
    public Tensor rsqrt() { return pow(-0.5); }
    /** {@code 1 / x}. */
    public Tensor reciprocal() { return pow(-1); }
    /** SiLU (swish), {@code x sigmoid(x)}. */
    public Tensor silu() { return mul(sigmoid()); }
    /** ELU, {@code x} where {@code x > 0}, else {@code alpha (exp(x) - 1)} ({@code F.elu}). */
    public Tensor elu(double alpha) { return where(gt(0), this, expm1().mul(alpha)); }
    /** {@code log(sigmoid(x)) = -softplus(-x)}, computed stably. */
    public Tensor logSigmoid() { return neg().softplus().neg(); }
    /**
     * GELU as {@code F.gelu(x, approximate=...)}: {@code "none"} is the exact {@link #gelu()}, {@code "tanh"}
     * the approximation {@code 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))}.
     */
    public Tensor gelu(String approximate) {
        return switch (Objects.requireNonNull(approximate, "gelu: approximate is null")) {
            case "none" -> gelu();
            case "tanh" -> mul(add(pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI)).tanh().add(1)).mul(0.5);
            default -> throw new IllegalArgumentException("gelu: approximate '" + approximate + "' is not \"none\" or \"tanh\"");
        };
    }

    /**
     * {@code x^o} elementwise with a tensor exponent (broadcasting), differentiable in both: {@code exp(o
     * log|x|)}, negated where {@code x < 0} and {@code o} is an odd integer, NaN where {@code x < 0} and
     * {@code o} is not an integer, and 1 where {@code o = 0} (as {@code torch.pow}).
     */
    public Tensor pow(Tensor o) {
        DType.requireSame("pow", this, o);
        int[] shape = Shape.broadcast("pow", this.shape, o.shape);
        double[] x = detach().expand(shape).toDoubleArray(), e = o.detach().expand(shape).toDoubleArray(), sign = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            boolean integral = e[i] == Math.rint(e[i]);
            sign[i] = x[i] >= 0 || Double.isNaN(x[i]) ? 1 : !integral ? Double.NaN : Math.abs(e[i] % 2) == 1 ? -1 : 1;
        }
        Tensor magnitude = o.mul(abs().log()).exp().mul(Tensor.of(sign, shape).reshape(shape).to(dtype()));
        return where(o.eq(0), like(1), magnitude);
    }
    /** Elementwise maximum; at ties the gradient is split evenly, as in PyTorch. */
    public Tensor maximum(Tensor o) { return Elementwise.maximum(this, o); }
    /** Elementwise minimum; at ties the gradient is split evenly. */
    public Tensor minimum(Tensor o) { return neg().maximum(o.neg()).neg(); }
    /**
     * Values limited to {@code [lo, hi]}; the gradient is 1 inside, boundaries included, as in PyTorch. A NaN bound is
     * refused (PyTorch makes every value NaN).
     */
    public Tensor clamp(double lo, double hi) {
        if (Double.isNaN(lo) || Double.isNaN(hi)) throw new IllegalArgumentException("clamp: bounds lo " + lo + " and hi " + hi + " must not be NaN");
        if (lo > hi) throw new IllegalArgumentException("clamp: lo " + lo + " is greater than hi " + hi);
        return where(lt(lo), like(lo), where(gt(hi), like(hi), this));
    }

    /** 1 where {@code this > o}, else 0; never recorded. */
    public Tensor gt(Tensor o) { return Elementwise.compare("gt", this, o, (a, b) -> a > b); }
    public Tensor ge(Tensor o) { return Elementwise.compare("ge", this, o, (a, b) -> a >= b); }
    public Tensor lt(Tensor o) { return Elementwise.compare("lt", this, o, (a, b) -> a < b); }
    public Tensor le(Tensor o) { return Elementwise.compare("le", this, o, (a, b) -> a <= b); }
    public Tensor eq(Tensor o) { return Elementwise.compare("eq", this, o, (a, b) -> a == b); }
    public Tensor gt(double v) { return gt(like(v)); }
    public Tensor ge(double v) { return ge(like(v)); }
    public Tensor lt(double v) { return lt(like(v)); }
    public Tensor le(double v) { return le(like(v)); }
    public Tensor eq(double v) { return eq(like(v)); }
    /** -1, 0 or 1 by the sign of each element (NaN stays NaN); never recorded. */
    public Tensor sign() { return Elementwise.sign(this); }

    // ---------------------------------------------------------------- reductions

    /** Sum of all elements, a 0-d tensor. */
    public Tensor sum() { return Reductions.sum(this, allAxes(), false); }
    public Tensor sum(int axis, boolean keepDim) { return Reductions.sum(this, new int[] {axis}, keepDim); }
    /** Sum over several axes. */
    public Tensor sum(int[] axes, boolean keepDim) { return Reductions.sum(this, axes, keepDim); }

    /** Sums this tensor down to {@code target}, a shape it was broadcast from (the adjoint of {@link #expand}). */
    public Tensor sumTo(int... target) { return Reductions.sumTo(this, target); }

    public Tensor mean() { return sum().div(numel()); }
    public Tensor mean(int axis, boolean keepDim) { return mean("mean", new int[] {axis}, keepDim); }
    /** Mean over several axes. */
    public Tensor mean(int[] axes, boolean keepDim) { return mean("mean", axes, keepDim); }

    /** The mean over {@code axes}, refusals naming {@code op} (mean, or var and std, which take one). */
    private Tensor mean(String op, int[] axes, boolean keepDim) {
        boolean[] reduce = Shape.axisSet(op, axes, rank());
        long n = 1;
        for (int i = 0; i < rank(); i++) if (reduce[i]) n *= shape[i];
        return sum(axes, keepDim).div(n);
    }

    /** Maximum of all elements; the gradient goes to the first arg-max. */
    public Tensor max() { return reshape(-1).max(0, false); }
    /** Maximum over {@code axis}; the gradient goes to the arg-max (the first one at ties). */
    public Tensor max(int axis, boolean keepDim) { return Reductions.max("max", this, axis, keepDim); }
    public Tensor min() { return Reductions.max("min", neg().reshape(-1), 0, false).neg(); }
    public Tensor min(int axis, boolean keepDim) { return Reductions.max("min", neg(), axis, keepDim).neg(); }
    /** Maximum over several axes (the reduced axes moved last and merged, then one max); the gradient goes to the first arg-max. */
    public Tensor max(int[] axes, boolean keepDim) { return max("max", axes, keepDim); }
    /** Minimum over several axes. */
    public Tensor min(int[] axes, boolean keepDim) { return neg().max("min", axes, keepDim).neg(); }

    private Tensor max(String op, int[] axes, boolean keepDim) {
        boolean[] reduce = Shape.axisSet(op, axes, rank());
        int[] order = new int[rank()], kept = shape.clone(), rest = new int[rank() - axes.length + 1];
        int j = 0;
        for (int i = 0; i < rank(); i++) if (!reduce[i]) { order[j] = i; rest[j++] = shape[i]; }
        int merged = 1;
        for (int i = 0; i < rank(); i++) if (reduce[i]) { order[j++] = i; merged *= shape[i]; kept[i] = 1; }
        rest[rest.length - 1] = merged;
        Tensor m = Reductions.max(op, permute(order).reshape(rest), -1, false);
        return keepDim ? m.reshape(kept) : m;
    }

    /** The Euclidean norm of all elements, {@code sqrt(sum(x^2))} (its gradient at the zero tensor is NaN, 0/0). */
    public Tensor norm() { return square().sum().sqrt(); }
    /** The p-norm of all elements, {@code (sum |x|^p)^(1/p)}, {@code p > 0}; {@code p = infinity} is {@code max |x|}. */
    public Tensor norm(double p) { return reshape(-1).norm(p, 0, false); }
    /** The p-norm over {@code axis} ({@code torch.linalg.vector_norm(x, p, dim)}). */
    public Tensor norm(double p, int axis, boolean keepDim) {
        if (!(p > 0)) throw new IllegalArgumentException("norm: p " + p + " must be positive");
        Shape.axis("norm", axis, rank());
        if (p == Double.POSITIVE_INFINITY) return abs().max(axis, keepDim);
        if (p == 2) return square().sum(axis, keepDim).sqrt();
        return abs().pow(p).sum(axis, keepDim).pow(1 / p);
    }

    /** Cumulative sums along {@code axis} ({@code torch.cumsum}), as log2(n) shifted additions (a Hillis-Steele scan). */
    public Tensor cumsum(int axis) {
        int a = Shape.axis("cumsum", axis, rank()), n = shape[a];
        Tensor y = this;
        for (int k = 1; k < n; k *= 2) {
            int[] pads = new int[2 * (rank() - a)];
            pads[2 * (rank() - 1 - a)] = k;
            y = y.add(y.slice(a, 0, n - k).pad(pads));
        }
        return y;
    }

    /** The values along {@code axis} in ascending (or descending) order, with their positions; stable, NaN largest ({@code torch.sort}). */
    public ValuesAndIndices sort(int axis, boolean descending) { return Sorting.sorted("sort", this, axis, rank() == 0 ? 0 : shape[Shape.axis("sort", axis, rank())], descending); }
    /** The {@code k} largest (or smallest) values along {@code axis}, in sorted order, with their positions ({@code torch.topk}). */
    public ValuesAndIndices topk(int k, int axis, boolean largest) { return Sorting.sorted("topk", this, axis, k, largest); }

    /** Index of the maximum over {@code axis} (the first at ties), in this tensor's dtype; never recorded. */
    public Tensor argmax(int axis) { return Reductions.argmax("argmax", this, axis, false); }
    public Tensor argmin(int axis) { return Reductions.argmax("argmin", neg(), axis, false); }

    /** Unbiased standard deviation of all elements, {@code sqrt(var())}. */
    public Tensor std() { return var().sqrt(); }
    /** Unbiased standard deviation over {@code axis}. */
    public Tensor std(int axis, boolean keepDim) { return variance("std", new int[] {axis}, keepDim, true).sqrt(); }
    /** Standard deviation over several axes, unbiased or not as {@link #var(int[], boolean, boolean)}. */
    public Tensor std(int[] axes, boolean keepDim, boolean unbiased) { return variance("std", axes, keepDim, unbiased).sqrt(); }
    /** Unbiased variance of all elements (divides by n - 1, as PyTorch's default). */
    public Tensor var() { return reshape(-1).var(0, false); }
    public Tensor var(int axis, boolean keepDim) { return var(axis, keepDim, true); }
    /** Variance over {@code axis}, dividing by {@code n - 1} when {@code unbiased}, else by {@code n}. */
    public Tensor var(int axis, boolean keepDim, boolean unbiased) { return var(new int[] {axis}, keepDim, unbiased); }
    /**
     * Variance over several axes, {@code sum((x - mean)^2) / max(0, n - 1)} when {@code unbiased}, else {@code / n}, {@code n}
     * the count reduced: as in PyTorch, the unbiased variance of one element or none, and the biased one of none, is NaN (0/0).
     */
    public Tensor var(int[] axes, boolean keepDim, boolean unbiased) { return variance("var", axes, keepDim, unbiased); }

    private Tensor variance(String op, int[] axes, boolean keepDim, boolean unbiased) { return centeredVar(sub(mean(op, axes, true)), axes, keepDim, unbiased); }

    /** The variance of {@code c}, already centred on its mean over {@code axes}: the one definition every variance uses. */
    static Tensor centeredVar(Tensor c, int[] axes, boolean keepDim, boolean unbiased) {
        long n = 1;
        for (int a : axes) n *= c.size(a);
        return c.mul(c).sum(axes, keepDim).div(unbiased ? Math.max(0, n - 1) : n);
    }

    /** {@code log(sum(exp(x)))} over all elements, computed stably. */
    public Tensor logSumExp() { return reshape(-1).logSumExp(0, false); }
    public Tensor logSumExp(int axis, boolean keepDim) {
        Tensor r = shiftedByMax("logSumExp", axis).exp().sum(axis, true).log().add(axisMax("logSumExp", axis));
        return keepDim ? r : r.squeeze(axis);
    }

    /**
     * {@code exp(x_i) / sum_j exp(x_j)} over {@code axis}, computed from {@code x - max(x)} like PyTorch: the
     * primitive {@link Op#SOFTMAX} over the last axis (another axis is moved there and back).
     */
    public Tensor softmax(int axis) {
        if (numel() == 0) return emptyAlong("softmax", axis);
        int a = Shape.axis("softmax", axis, rank());
        return a == rank() - 1 ? Softmax.lastAxis(this, false) : transpose(a, -1).softmax(-1).transpose(a, -1);
    }

    /** {@code x_i - log(sum_j exp(x_j))} over {@code axis}, computed from {@code x - max(x)}. */
    public Tensor logSoftmax(int axis) {
        if (numel() == 0) return emptyAlong("logSoftmax", axis);
        Tensor z = shiftedByMax("logSoftmax", axis);
        return z.sub(z.exp().sum(axis, true).log());
    }

    /**
     * The maximum over {@code axis} (kept) as a constant, 0 where it is infinite or the axis is empty.
     * Results are invariant to this shift, so holding it constant leaves their gradients exact.
     */
    private Tensor axisMax(String op, int axis) {
        axis = Shape.axis(op, axis, rank());
        if (size(axis) == 0) return zeros(dtype(), Shape.with(shape, axis, 1));
        Tensor m = max(axis, true).detach();
        return where(m.abs().lt(Double.POSITIVE_INFINITY), m, zerosLike(m));
    }

    private Tensor shiftedByMax(String op, int axis) { return sub(axisMax(op, axis)); }

    /** The (empty) result of a normalisation over {@code axis} of an empty tensor, recorded: nothing to normalise, no {@code [..., 1]} sums to allocate. */
    private Tensor emptyAlong(String op, int axis) {
        Shape.axis(op, axis, rank());
        return mul(0.0);
    }

    private int[] allAxes() {
        int[] a = new int[shape.length];
        for (int i = 0; i < a.length; i++) a[i] = i;
        return a;
    }

    // ---------------------------------------------------------------- movement

    /** Same values in a new shape; one dimension may be {@code -1}. */
    public Tensor reshape(int... newShape) { return Movement.reshape(this, newShape); }
    /** A 1-d view of all elements. */
    public Tensor flatten() { return reshape(-1); }
    /** Merges axes {@code start} to the last into one ({@code torch.flatten(x, start_dim)}). */
    public Tensor flatten(int start) { return flatten(start, -1); }
    /** Merges axes {@code start..end} (inclusive) into one. */
    public Tensor flatten(int start, int end) {
        if (shape.length == 0) return reshape(1);
        int s = Shape.axis("flatten", start, shape.length), e = Shape.axis("flatten", end, shape.length);
        if (s > e) throw new IllegalArgumentException("flatten: start axis " + start + " comes after end axis " + end);
        int[] ns = new int[shape.length - (e - s)];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i <= s || i > e) ns[j++] = shape[i]; else ns[j - 1] *= shape[i];
        }
        return reshape(ns);
    }
    /** Removes every axis of size 1. */
    public Tensor squeeze() { return reshape(Arrays.stream(shape).filter(x -> x != 1).toArray()); }
    /** Removes {@code axis} when its size is 1 (otherwise returns this tensor unchanged, as PyTorch does). */
    public Tensor squeeze(int axis) {
        int a = Shape.axis("squeeze", axis, shape.length);
        return shape[a] == 1 ? reshape(Shape.reduced(shape, a, false)) : this;
    }
    /** Inserts an axis of size 1 at {@code axis} (in {@code [-rank-1, rank]}). */
    public Tensor unsqueeze(int axis) {
        int a = Shape.axis("unsqueeze", axis, shape.length + 1);
        int[] ns = new int[shape.length + 1];
        for (int i = 0, j = 0; i < ns.length; i++) ns[i] = i == a ? 1 : shape[j++];
        return reshape(ns);
    }
    /** Swaps two axes. */
    public Tensor transpose(int a, int b) {
        int[] p = allAxes();
        int x = Shape.axis("transpose", a, shape.length), y = Shape.axis("transpose", b, shape.length);
        p[x] = y;
        p[y] = x;
        return permute(p);
    }
    /** Reorders the axes: axis {@code i} of the result is axis {@code order[i]} of this tensor. */
    public Tensor permute(int... order) { return Movement.permute(this, order); }
    /** Broadcasts to {@code newShape} ({@code -1} keeps a dimension; new leading axes allowed). */
    public Tensor expand(int... newShape) { return Movement.expand(this, newShape); }
    /** Elements {@code from} (inclusive) to {@code to} (exclusive) along {@code axis}; negative bounds count from the end. */
    public Tensor slice(int axis, int from, int to) { return Movement.slice(this, axis, from, to); }
    /**
     * Zero padding, PyTorch's {@code F.pad}: {@code padding} holds (before, after) pairs starting from the
     * last axis. Pads must be non-negative.
     */
    public Tensor pad(int... padding) { return Movement.pad(this, padding, 0); }
    /** Constant padding with {@code value}. */
    public Tensor pad(double value, int... padding) { return Movement.pad(this, padding, value); }
    /**
     * {@code out[i][j] = this[i][index[i][j]]} for {@code axis = 1}, generally along {@code axis}, like
     * {@code torch.gather}. {@code index} holds integral values (any dtype) and has this tensor's rank.
     */
    public Tensor gather(int axis, Tensor index) { return Movement.gather(this, axis, GatherIndex.of("gather", index)); }
    /** A copy of this tensor with {@code src} added at the positions {@code index} names along {@code axis} ({@code torch.scatter_add}). */
    public Tensor scatterAdd(int axis, Tensor index, Tensor src) { return Movement.scatterAdd(this, axis, GatherIndex.of("scatterAdd", index), src); }
    /** The slices {@code indices} along {@code axis}, in that order ({@code torch.index_select}). */
    public Tensor indexSelect(int axis, int... indices) { return Movement.indexSelect(this, axis, indices); }
    /** {@link #indexSelect(int, int...)} with the indices held as integral values in a 1-d tensor. */
    public Tensor indexSelect(int axis, Tensor index) {
        Objects.requireNonNull(index, "indexSelect: index is null");
        if (index.rank() != 1) throw new IllegalArgumentException("indexSelect: index " + Shape.str(index.shape) + " must be 1-d");
        return indexSelect(axis, index.toIntArray("indexSelect"));
    }
    /**
     * This tensor tiled {@code repeats[i]} times along axis {@code i} ({@code torch.Tensor.repeat}); with more
     * repeats than axes, leading axes of size 1 are added first.
     */
    public Tensor repeat(int... repeats) {
        Objects.requireNonNull(repeats, "repeat: repeats is null");
        if (repeats.length < rank())
            throw new IllegalArgumentException("repeat: " + repeats.length + " repeats for a tensor of rank " + rank() + " " + Shape.str(shape));
        int[] s = Layout.padded(shape, repeats.length), view = new int[2 * s.length], tiled = new int[2 * s.length], out = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            if (repeats[i] < 0) throw new IllegalArgumentException("repeat: negative repeat " + repeats[i] + " in " + Arrays.toString(repeats));
            view[2 * i] = 1;
            view[2 * i + 1] = s[i];
            tiled[2 * i] = repeats[i];
            tiled[2 * i + 1] = s[i];
            long len = (long) repeats[i] * s[i];
            if (len > Integer.MAX_VALUE)
                throw new IllegalArgumentException("repeat: " + Arrays.toString(repeats) + " makes axis " + i + " of " + Shape.str(s) + " " + len
                        + " long, more than an array holds");
            out[i] = (int) len;
        }
        Shape.checked("repeat", out);
        return reshape(view).expand(tiled).reshape(out);
    }
    /** The order of elements reversed along each of {@code axes} ({@code torch.flip}). */
    public Tensor flip(int... axes) {
        Objects.requireNonNull(axes, "flip: axes is null");
        Tensor y = this;
        for (int a : axes) {
            int n = Shape.axis("flip", a, rank()), size = shape[n];
            int[] reversed = new int[size];
            for (int i = 0; i < size; i++) reversed[i] = size - 1 - i;
            y = y.indexSelect(n, reversed);
        }
        return y;
    }
    /** Elements shifted by {@code shift} positions along {@code axis}, wrapping around ({@code torch.roll}). */
    public Tensor roll(int shift, int axis) {
        int a = Shape.axis("roll", axis, rank()), n = shape[a];
        if (n == 0) return this;
        int k = Math.floorMod(shift, n);
        return k == 0 ? this : cat(a, slice(a, n - k, n), slice(a, 0, n - k));
    }
    /**
     * Einstein summation over explicit subscripts ({@code torch.einsum}), e.g. {@code "ij,jk->ik"} (a product),
     * {@code "bij->bji"}, {@code "i,i->"}; without {@code ->} the output is the letters used once, in order.
     * A composite of permute, reshape, broadcast multiplication and sum; diagonals ({@code "ii"}) and
     * ellipses are not supported.
     */
    public static Tensor einsum(String equation, Tensor... operands) { return Einsum.einsum(equation, operands); }

    /**
     * The lower triangle of the last two axes ({@code torch.tril}): {@code [..., i, j]} is kept where
     * {@code j - i <= diagonal} and 0 elsewhere (0 is the main diagonal; positive keeps more, negative less).
     * Needs rank 2 or more; the gradient passes where the value is kept.
     */
    public Tensor tril(int diagonal) { return triangle("tril", diagonal, true); }
    /** The upper triangle ({@code torch.triu}): {@code [..., i, j]} is kept where {@code j - i >= diagonal}, 0 elsewhere. */
    public Tensor triu(int diagonal) { return triangle("triu", diagonal, false); }

    private Tensor triangle(String op, int diagonal, boolean lower) {
        if (rank() < 2) throw new IllegalArgumentException(op + ": needs rank 2 or more, got " + Shape.str(shape));
        int m = shape[rank() - 2], n = shape[rank() - 1];
        Tensor offset = arange(dtype(), 0, n, 1).reshape(1, n).sub(arange(dtype(), 0, m, 1).reshape(m, 1));   // j - i
        return where(lower ? offset.le(diagonal) : offset.ge(diagonal), this, like(0));
    }

    /**
     * {@code value} where {@code mask} is nonzero, this tensor elsewhere ({@code torch.masked_fill}); {@code mask}
     * (any dtype) must broadcast to this tensor's shape. The gradient passes where the mask is zero.
     */
    public Tensor maskedFill(Tensor mask, double value) {
        Objects.requireNonNull(mask, "maskedFill: mask is null");
        if (!Shape.broadcastsTo(mask.shape, shape))
            throw new IllegalArgumentException("maskedFill: mask " + Shape.str(mask.shape) + " does not broadcast to the tensor's shape " + Shape.str(shape));
        return where(mask, like(value), this);
    }

    /**
     * Consecutive pieces of {@code size} elements along {@code axis}, the last one shorter when the axis does not
     * divide evenly ({@code torch.split(x, size, axis)}); an empty axis gives one empty piece.
     */
    public Tensor[] split(int size, int axis) {
        int a = Shape.axis("split", axis, rank()), n = shape[a];
        if (size <= 0) throw new IllegalArgumentException("split: size " + size + " must be positive (tensor " + Shape.str(shape) + ")");
        Tensor[] out = new Tensor[Math.max(1, (n + size - 1) / size)];
        for (int i = 0; i < out.length; i++) out[i] = slice(a, i * size, Math.min(n, (i + 1) * size));
        return out;
    }

    /**
     * {@code chunks} pieces of {@code ceil(n / chunks)} elements along {@code axis} ({@code torch.chunk}): fewer
     * when they cover the axis sooner, as in PyTorch ({@code 6} elements in {@code 4} chunks are three of 2); an
     * empty axis gives {@code chunks} empty pieces (at most 65,536).
     */
    public Tensor[] chunk(int chunks, int axis) {
        int a = Shape.axis("chunk", axis, rank()), n = shape[a];
        if (chunks <= 0) throw new IllegalArgumentException("chunk: chunks " + chunks + " must be positive (tensor " + Shape.str(shape) + ")");
        if (n == 0) {
            if (chunks > 1 << 16) throw new IllegalArgumentException("chunk: " + chunks + " empty pieces of the empty axis " + axis + " of " + Shape.str(shape) + " are too many");
            Tensor[] out = new Tensor[chunks];
            Arrays.fill(out, this);
            return out;
        }
        return split((n + chunks - 1) / chunks, a);
    }

    // ---------------------------------------------------------------- linear algebra

    /**
     * Matrix product with {@code torch.matmul} semantics: 1-d operands are treated as vectors (and their
     * axis dropped from the result), batch axes broadcast. Shapes {@code [..., m, k] x [..., k, n] -> [..., m, n]}.
     */
    public Tensor matmul(Tensor o) { return MatMul.matmul(this, o); }

    /**
     * {@code this.matmul(o.transpose(-1, -2))} without materialising the transpose ({@code x @ w.mT} in
     * PyTorch; {@code x W^T} is a dense layer with PyTorch's weight layout {@code [out, in]}). {@code o} needs
     * at least two dimensions; a 1-d {@code this} is a row vector whose axis is dropped from the result.
     * Shapes {@code [..., m, k] x [..., n, k] -> [..., m, n]}.
     */
    public Tensor matmulTransposed(Tensor o) { return MatMul.matmulTransposed(this, o); }

    /**
     * A dense layer, PyTorch's {@code F.linear}: {@code this W^T + b} for {@code this [..., in]}, {@code weight [out, in]}
     * and {@code bias [out]} (or null), giving {@code [..., out]}. The bias is the start of each output row's sum, so the
     * layer is one product (one primitive, {@link Op#MATMUL}) with no separate addition, its gradient the sum of the
     * output's gradient over the rows.
     */
    public Tensor linear(Tensor weight, Tensor bias) { return MatMul.linear(this, weight, bias); }

    // ---------------------------------------------------------------- printing

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("tensor(");
        int n = numel();
        if (shape.length == 0) b.append(fmt(at(0)));
        else {
            b.append('[');
            for (int i = 0; i < Math.min(n, 20); i++) b.append(i == 0 ? "" : ", ").append(fmt(at(i)));
            if (n > 20) b.append(", ...");
            b.append("], shape=").append(Shape.str(shape));
        }
        b.append(", ").append(dtype());
        if (tracksGradient()) b.append(node != null && node.live() ? ", op=" + node.op : ", requiresGrad");
        return b.append(')').toString();
    }

    private static String fmt(double v) { return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) + "." : String.format("%.4g", v); }
}
