package dev.tapegrad.autodiff;

import java.util.Arrays;

/** Sorting along an axis: the order is found on the values, then the values are gathered (so gradients flow back to their positions). */
final class Sorting {
    private Sorting() {}

    /**
     * The first {@code k} positions along {@code axis} of every line in sorted order (ascending, or
     * descending when {@code descending}); ties keep their original order (a stable sort) and NaN sorts as
     * the largest value, as in PyTorch.
     */
    static ValuesAndIndices sorted(String op, Tensor x, int axis, int k, boolean descending) {
        int a = Shape.axis(op, axis, x.rank()), n = x.shape[a];
        if (k < 0 || k > n) throw new IllegalArgumentException(op + ": k " + k + " is outside [0, " + n + "] for axis " + axis + " of " + Shape.str(x.shape));
        int outer = 1, in = 1;
        for (int i = 0; i < a; i++) outer *= x.shape[i];
        for (int i = a + 1; i < x.rank(); i++) in *= x.shape[i];
        int inner = in;
        double[] v = x.toDoubleArray();
        int[] shape = Shape.with(x.shape, a, k);
        double[] idx = new double[Shape.size(shape)];
        Integer[] order = new Integer[n];
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < inner; j++) {
                int base = o * n * inner + j, ob = o * k * inner + j;
                for (int i = 0; i < n; i++) order[i] = i;
                Arrays.sort(order, (p, q) -> {
                    int c = Double.compare(v[base + p * inner], v[base + q * inner]);   // NaN largest, as in PyTorch
                    return descending ? -c : c;
                });
                for (int i = 0; i < k; i++) idx[ob + i * inner] = order[i];
            }
        Tensor indices = Tensor.of(idx, shape).reshape(shape).to(x.dtype());
        return new ValuesAndIndices(x.gather(a, indices), indices);
    }
}
