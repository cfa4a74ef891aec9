package dev.tapegrad.autodiff;

import java.util.Arrays;

/** The checks of {@link GradientTape#detectAnomaly()}: where a node was created, and NaN or infinity from finite values. */
final class Anomaly {
    private Anomaly() {}

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final java.security.CodeSource ENGINE = Tensor.class.getProtectionDomain().getCodeSource();

    /** The first frame outside the engine (the classes loaded from core's own jar or folder): the user's line. */
    static String site() {
        return WALKER.walk(frames -> frames
                .filter(f -> !java.util.Objects.equals(f.getDeclaringClass().getProtectionDomain().getCodeSource(), ENGINE))
                .findFirst().map(f -> f.getClassName() + "." + f.getMethodName() + "(" + f.getFileName() + ":" + f.getLineNumber() + ")")
                .orElse("unknown"));
    }

    static void checkForward(Op op, Tensor out, Tensor[] inputs, String site) {
        if (finite(out)) return;
        for (Tensor in : inputs) if (!finite(in)) return;
        throw new IllegalStateException("anomaly: " + op + " produced " + what(out) + " " + Shape.str(out.shape) + " from finite inputs "
                + shapes(inputs) + ", recorded at " + site);
    }

    static void checkBackward(Node n, int input, Tensor g, Tensor gi) {
        if (finite(gi) || !finite(g)) return;
        for (Tensor in : n.inputs) if (!finite(in)) return;
        throw new IllegalStateException("anomaly: the backward of " + n.op + " " + shapes(n.inputs) + " produced " + what(gi) + " in the gradient of input "
                + input + " from a finite output gradient " + Shape.str(g.shape) + "; the operation was recorded at " + n.site);
    }

    private static boolean finite(Tensor t) {
        for (int i = 0; i < t.numel(); i++) if (!Double.isFinite(t.at(i))) return false;
        return true;
    }

    private static String what(Tensor t) {
        for (int i = 0; i < t.numel(); i++) if (Double.isNaN(t.at(i))) return "NaN";
        return "an infinity";
    }

    private static String shapes(Tensor[] ts) {
        return Arrays.stream(ts).map(t -> Shape.str(t.shape)).toList().toString();
    }
}
