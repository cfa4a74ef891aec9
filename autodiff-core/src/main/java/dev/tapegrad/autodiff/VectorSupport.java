package dev.tapegrad.autodiff;

/**
 * Whether the {@code jdk.incubator.vector} module is present, decided once. Classes that use the Vector
 * API are only loaded when it is; otherwise the scalar kernels run and a one-time notice says how to
 * enable the fast ones.
 */
final class VectorSupport {
    private VectorSupport() {}

    static final boolean ENABLED = detect();

    private static boolean detect() {
        if (Boolean.getBoolean("tapegrad.scalar")) return false;
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            System.err.println("tapegrad: the jdk.incubator.vector module is not enabled, so tensor kernels use slower scalar loops;"
                    + " run java with --add-modules jdk.incubator.vector");
            return false;
        }
        try {
            Class.forName("jdk.incubator.vector.FloatVector");
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            System.err.println("tapegrad: the Vector API failed to load (" + e + "); using scalar kernels");
            return false;
        }
    }
}
