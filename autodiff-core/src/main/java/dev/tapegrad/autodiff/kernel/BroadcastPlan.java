package dev.tapegrad.autodiff.kernel;

import java.util.Arrays;

/**
 * How {@code a (op) b} runs as contiguous blocks: for equal shapes, and for the broadcasts that make up
 * nearly all uses, one operand ("small") equal to the other ("full") on one contiguous run of axes and 1
 * elsewhere, such as a scalar, a bias row {@code [C]} against {@code [N, C]}, per-channel {@code [1, C, 1,
 * 1]} against {@code [N, C, H, W]} or per-row {@code [N, 1]}. Then the small operand's element {@code (q
 * mod p)} applies to the {@code q}-th block of {@code r} consecutive elements.
 *
 * @param smallFirst whether the small operand is {@code a} (so {@code small (op) full})
 * @param p          the small operand's element count
 * @param r          the length of the runs each of its elements applies to
 */
public record BroadcastPlan(boolean smallFirst, int p, int r) {

    /**
     * The plan for operands of shapes {@code as} and {@code bs} broadcast to {@code shape}, or null when
     * neither equals {@code shape} or the other does not broadcast by one run of axes (then the caller
     * expands them first).
     */
    public static BroadcastPlan of(int[] as, int[] bs, int[] shape) {
        boolean aFull = Arrays.equals(as, shape), bFull = Arrays.equals(bs, shape);
        long n = 1;
        for (int d : shape) n *= d;
        if (aFull && bFull) return new BroadcastPlan(false, (int) n, 1);
        if (!aFull && !bFull) return null;
        // The run [d0, d1) of axes where small equals full: it ends at small's last axis that is not 1 (at 0 for a
        // single value, whose one run is then everything), and small must be 1 on every axis before it.
        int[] s = Layout.padded(aFull ? bs : as, shape.length);
        int d1 = shape.length, p = 1, r = 1;
        while (d1 > 0 && s[d1 - 1] == 1) d1--;
        int d0 = d1;
        while (d0 > 0 && s[d0 - 1] == shape[d0 - 1]) p *= s[--d0];
        for (int d = 0; d < d0; d++) if (s[d] != 1) return null;
        for (int d = d1; d < shape.length; d++) r *= shape[d];
        return new BroadcastPlan(!aFull, p, r);
    }
}
