package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Shape;
import dev.tapegrad.autodiff.Tensor;

/** What the positional encodings share: adding the first {@code L} rows of a table {@code [maxLen, dModel]} to an input. */
final class Positions {
    private Positions() {}

    /** {@code x + table[:L]} for {@code x} {@code [B, L, d]} (batch first), {@code [L, B, d]} or {@code [L, d]}. */
    static Tensor add(String layer, Tensor x, Tensor table, boolean batchFirst) {
        Checks.input(layer, "x", x);
        int maxLen = table.size(0), d = table.size(1);
        int lengthAxis = x.rank() == 3 && batchFirst ? 1 : 0;
        if ((x.rank() != 2 && x.rank() != 3) || x.size(-1) != d || x.size(lengthAxis) > maxLen)
            throw new IllegalArgumentException(layer + ": input must be " + (batchFirst ? "[B, L, " : "[L, B, ") + d + "] or [L, " + d + "] with L <= maxLen "
                    + maxLen + ", got " + Shape.str(x.shape()));
        Tensor p = table.slice(0, 0, x.size(lengthAxis)).to(x.dtype());
        return x.add(x.rank() == 3 && !batchFirst ? p.unsqueeze(1) : p);
    }
}
