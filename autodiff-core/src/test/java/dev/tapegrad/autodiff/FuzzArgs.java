package dev.tapegrad.autodiff;

import java.util.Arrays;
import java.util.Random;

/**
 * Generated arguments for the fuzz tests ({@link FuzzTest} here, {@code NnFuzzTest} in nn): plausible and
 * hostile values of each parameter type, and the rule for which failures are acceptable.
 */
public final class FuzzArgs {
    private FuzzArgs() {}

    private static final int[] INTS = {0, 1, 2, 3, -1, -2, 4, 1 << 20, Integer.MAX_VALUE, Integer.MIN_VALUE};
    private static final double[] DOUBLES = {0, 1, -1, 0.5, 2, -3.5, 1e-300, 1e300, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0};
    private static final String[] STRINGS = {"none", "tanh", "", "ij,jk->ik", "i,i->", "ii", "ab->ba", "x", "i->j"};

    /** A generated value of {@code type} (null now and then for reference types). */
    public static Object of(Class<?> type, Random r) {
        if (type == Tensor.class) return tensor(r, true);
        if (type == int.class) return small(r);
        if (type == double.class) return DOUBLES[r.nextInt(DOUBLES.length)];
        if (type == boolean.class) return r.nextBoolean();
        if (type == long.class) return (long) small(r);
        if (type == DType.class) return r.nextInt(10) == 0 ? null : DType.values()[r.nextInt(2)];
        if (type == Random.class) return r.nextInt(10) == 0 ? null : new Random(r.nextLong());
        if (type == String.class) return r.nextInt(10) == 0 ? null : STRINGS[r.nextInt(STRINGS.length)];
        if (type == int[].class) {
            if (r.nextInt(12) == 0) return null;
            int[] v = new int[r.nextInt(5)];
            for (int i = 0; i < v.length; i++) v[i] = small(r);
            return v;
        }
        if (type == double[].class) {
            if (r.nextInt(12) == 0) return null;
            double[] v = new double[r.nextInt(7)];
            for (int i = 0; i < v.length; i++) v[i] = r.nextGaussian();
            return v;
        }
        if (type == float[].class) {
            if (r.nextInt(12) == 0) return null;
            float[] v = new float[r.nextInt(7)];
            for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
            return v;
        }
        if (type == Tensor[].class) {
            if (r.nextInt(12) == 0) return null;
            Tensor[] v = new Tensor[r.nextInt(4)];
            Tensor base = tensor(r, false);
            for (int i = 0; i < v.length; i++) v[i] = r.nextBoolean() ? base : tensor(r, true);
            return v;
        }
        if (type == Parameter.class) return r.nextInt(12) == 0 ? null : new Parameter(tensor(r, false));
        throw new IllegalStateException("FuzzArgs: no generator for " + type);
    }

    /** Mostly small integers (valid sizes and axes), sometimes negative or huge. */
    private static int small(Random r) { return r.nextInt(4) == 0 ? INTS[r.nextInt(INTS.length)] : r.nextInt(5) - 1; }

    /** A tensor of a {@link #randomShape} ({@link #tensor(Random, int...)}); null one time in 15 when {@code nullable}. */
    public static Tensor tensor(Random r, boolean nullable) {
        if (nullable && r.nextInt(15) == 0) return null;
        return tensor(r, randomShape(r));
    }

    /** A shape of rank 0..4 with dimensions 1..4, one in 8 of them 0. */
    public static int[] randomShape(Random r) {
        int[] s = new int[r.nextInt(5)];
        for (int i = 0; i < s.length; i++) s[i] = r.nextInt(8) == 0 ? 0 : 1 + r.nextInt(4);
        return s;
    }

    /**
     * A tensor of shape {@code s}: values mostly Gaussian or small integers, 15% NaN and infinities; FLOAT32 or
     * FLOAT64; tracking a gradient one time in 3.
     */
    public static Tensor tensor(Random r, int... s) { return tensor(r, null, s); }

    /** {@link #tensor(Random, int...)} of {@code dtype} (null: either, at random). */
    public static Tensor tensor(Random r, DType dtype, int... s) {
        double[] v = new double[Shape.size(s)];
        for (int i = 0; i < v.length; i++) {
            int k = r.nextInt(20);
            v[i] = k == 0 ? Double.NaN : k == 1 ? Double.POSITIVE_INFINITY : k == 2 ? Double.NEGATIVE_INFINITY : k < 6 ? r.nextInt(3) : r.nextGaussian();
        }
        Tensor t = Tensor.of(v, s).reshape(s);
        boolean f32 = r.nextBoolean();
        if (dtype == null ? f32 : dtype == DType.FLOAT32) t = t.to(DType.FLOAT32);
        return r.nextInt(3) == 0 ? t.requiresGrad() : t;
    }

    /** {@code Class.method(args)} or {@code Class(args)}, for failure messages. */
    public static String call(java.lang.reflect.Executable e, Object[] args) {
        StringBuilder b = new StringBuilder(e.getDeclaringClass().getSimpleName()).append(e instanceof java.lang.reflect.Method ? "." + e.getName() : "").append('(');
        for (int i = 0; i < args.length; i++) b.append(i == 0 ? "" : ", ").append(str(args[i]));
        return b.append(')').toString();
    }

    /** An argument as failure messages show it: tensors as dtype, shape and whether they track a gradient. */
    public static String str(Object o) {
        if (o instanceof Tensor t) return t.dtype() + Shape.str(t.shape()) + (t.tracksGradient() ? "(grad)" : "");
        if (o instanceof int[] a) return Arrays.toString(a);
        if (o instanceof double[] a) return "double" + Arrays.toString(a);
        if (o instanceof float[] a) return "float" + Arrays.toString(a);
        if (o instanceof Tensor[] a) return Arrays.stream(a).map(FuzzArgs::str).toList().toString();
        return String.valueOf(o);
    }

    /**
     * Null when {@code e}, thrown by a call of {@code m} (a method or constructor), is an acceptable failure,
     * else what is wrong with it: acceptable are {@link IllegalArgumentException} and {@link
     * IllegalStateException} with a message, and {@link NullPointerException}s that name the argument (ours,
     * {@code "op: name is null"}, or the JDK's {@code because "name" is null} for one of {@code m}'s parameters).
     */
    public static String problem(Throwable e, java.lang.reflect.Executable m) {
        String msg = e.getMessage();
        boolean clear = msg != null && !msg.isBlank();
        if ((e instanceof IllegalArgumentException || e instanceof IllegalStateException) && clear) return null;
        if (e instanceof NullPointerException && clear) {
            if (!msg.startsWith("Cannot ")) return null;
            for (java.lang.reflect.Parameter p : m.getParameters()) if (msg.endsWith("because \"" + p.getName() + "\" is null")) return null;
        }
        java.io.StringWriter w = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(w));
        String[] lines = w.toString().split("\n");
        return String.join("\n    ", Arrays.copyOf(lines, Math.min(lines.length, 6)));
    }
}
