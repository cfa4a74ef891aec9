package dev.tapegrad.nn.data;

import dev.tapegrad.autodiff.Tensor;

/** Examples {@code from..to-1} of another dataset. */
public final class Subset implements Dataset {
    private final Dataset base;
    private final int from, to;

    public Subset(Dataset base, int from, int to) {
        if (from < 0 || to > base.size() || from > to)
            throw new IllegalArgumentException("Subset: range [" + from + ", " + to + ") is outside a dataset of " + base.size());
        this.base = base;
        this.from = from;
        this.to = to;
    }

    @Override
    public int size() { return to - from; }

    @Override
    public Tensor inputs(int[] indices) { return base.inputs(shift(indices)); }

    @Override
    public Tensor targets(int[] indices) { return base.targets(shift(indices)); }

    /** The generators of the dataset it is a part of. */
    @Override
    public java.util.Map<String, java.util.Random> namedRandoms() { return base.namedRandoms(); }

    private int[] shift(int[] indices) {
        int[] s = new int[indices.length];
        for (int i = 0; i < s.length; i++) s[i] = indices[i] + from;
        return s;
    }
}
