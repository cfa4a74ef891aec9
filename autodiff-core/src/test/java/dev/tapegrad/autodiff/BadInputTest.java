package dev.tapegrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Misuse throws a clear exception naming the operation and the shapes; never an index error. */
class BadInputTest {

    static void fails(Class<? extends RuntimeException> type, Executable e, String... mustMention) {
        RuntimeException ex = assertThrows(type, e);
        for (String m : mustMention) assertTrue(ex.getMessage().contains(m), () -> "message '" + ex.getMessage() + "' lacks '" + m + "'");
    }

    private static final Tensor A23 = Tensor.zeros(2, 3), B4 = Tensor.zeros(4);

    @Test
    void shapeAndDtypeMismatches() {
        fails(IllegalArgumentException.class, () -> A23.add(B4), "add", "[2, 3]", "[4]", "cannot be broadcast");
        fails(IllegalArgumentException.class, () -> A23.mul(Tensor.zeros(DType.FLOAT64, 2, 3)), "mul", "FLOAT32", "FLOAT64");
        fails(IllegalArgumentException.class, () -> A23.matmul(Tensor.zeros(2, 3)), "matmul", "[2, 3]", "3 != 2");
        fails(IllegalArgumentException.class, () -> A23.matmul(Tensor.scalar(DType.FLOAT32, 1)), "matmul", "[]");
        fails(IllegalArgumentException.class, () -> A23.linear(Tensor.zeros(4, 3), Tensor.zeros(5)), "linear", "bias [5]", "[out] = [4]", "[4, 3]");
        fails(IllegalArgumentException.class, () -> A23.linear(Tensor.zeros(4, 2), Tensor.zeros(4)), "linear", "[2, 3]", "[4, 2]", "3 != 2");
        fails(IllegalArgumentException.class, () -> A23.linear(Tensor.zeros(4), null), "linear", "weight [out, in]", "[4]");
        fails(NullPointerException.class, () -> A23.linear(null, null), "linear", "weight is null");
        fails(IllegalArgumentException.class, () -> Tensor.where(Tensor.zeros(5), A23, A23), "where", "[5]");
        fails(IllegalArgumentException.class, () -> Tensor.cat(0, A23, Tensor.zeros(2, 4)), "cat", "[2, 4]", "[2, 3]");
        fails(IllegalArgumentException.class, () -> Tensor.stack(0, A23, B4), "stack", "[4]");
        fails(IllegalArgumentException.class, () -> Tensor.of(new double[] {1, 2, 3}, 2, 2), "of", "[2, 2]");
        fails(IllegalArgumentException.class, () -> Tensor.zeros(2, -1), "zeros", "negative");
    }

    @Test
    void leakyReluRefusesASlopeThatIsNotFinite() {
        fails(IllegalArgumentException.class, () -> A23.leakyRelu(Double.NaN), "leakyRelu", "slope must be finite", "NaN");
        fails(IllegalArgumentException.class, () -> A23.leakyRelu(Double.POSITIVE_INFINITY), "leakyRelu", "Infinity");
    }

    @Test
    void batchNormNamesItselfAndTheShapes() {
        Tensor x = Tensor.zeros(2, 4, 5);
        fails(IllegalArgumentException.class, () -> Normalization.batchNorm(Tensor.zeros(3), null, null, 1e-5), "batchNorm", "[N, C, ...]", "[3]");
        fails(IllegalArgumentException.class, () -> Normalization.batchNorm(x, Tensor.zeros(3), null, 1e-5), "batchNorm", "weight [3]", "4 channels", "[2, 4, 5]");
        fails(IllegalArgumentException.class, () -> Normalization.batchNorm(x, null, Tensor.zeros(1, 5, 1), 1e-5), "batchNorm", "bias [1, 5, 1]", "[2, 4, 5]");
        fails(IllegalArgumentException.class, () -> Normalization.batchNormWithStatistics(x, Tensor.zeros(DType.FLOAT64, 4), null, 1e-5), "batchNorm", "FLOAT64", "[4]");
        fails(NullPointerException.class, () -> Normalization.batchNorm(null, null, null, 1e-5), "batchNorm", "x is null");
        // a negative or NaN eps (the functional forms gave NaN)
        Tensor x43 = Tensor.zeros(DType.FLOAT64, 4, 3), c3 = Tensor.zeros(DType.FLOAT64, 3);
        for (double eps : new double[] {-1, -1e-300, Double.NaN})
            fails(IllegalArgumentException.class, () -> Normalization.batchNorm(x43, null, null, eps), "batchNorm", "eps " + eps, "must be non-negative");
        fails(IllegalArgumentException.class, () -> Normalization.normalize(x43, c3, c3, null, null, -1), "batchNorm", "eps -1.0", "non-negative");
        fails(IllegalArgumentException.class, () -> Normalization.normalize(x43, c3, c3, null, null, Double.NaN), "batchNorm", "eps NaN");
        assertEquals(0, Normalization.normalize(x43, c3, Tensor.ones(DType.FLOAT64, 3), null, null, 0).sum().item());
    }

    @Test
    void layerNormNamesItselfAndTheShapes() {
        Tensor x = Tensor.zeros(DType.FLOAT64, 4, 3), w = Tensor.ones(DType.FLOAT64, 3);
        fails(IllegalArgumentException.class, () -> Normalization.layerNorm(x, new int[] {3}, null, null, -1), "layerNorm", "eps -1.0", "non-negative");
        fails(IllegalArgumentException.class, () -> Normalization.layerNorm(x, new int[] {3}, w, w, Double.NaN), "layerNorm", "eps NaN");
        fails(IllegalArgumentException.class, () -> Normalization.layerNorm(x, new int[0], null, null, 1e-5), "layerNorm", "normalizedShape []", "at least one");   // returned zeros
        fails(IllegalArgumentException.class, () -> Normalization.layerNorm(x, new int[] {3}, Tensor.ones(DType.FLOAT64, 4), null, 1e-5), "layerNorm", "weight [4]",
                "normalizedShape [3]");   // was "mul: shapes [4, 3] and [4] cannot be broadcast"
        fails(IllegalArgumentException.class, () -> Normalization.layerNorm(x, new int[] {3}, w, Tensor.zeros(DType.FLOAT64, 1, 3), 1e-5), "layerNorm", "bias [1, 3]");
        fails(IllegalArgumentException.class, () -> Normalization.layerNorm(x, new int[] {3}, Tensor.ones(3), null, 1e-5), "layerNorm", "FLOAT32 [3]");
        assertEquals(0, Normalization.layerNorm(Tensor.arange(DType.FLOAT64, 0, 12, 1).reshape(4, 3), new int[] {4, 3}, null, null, 0).sum().item(), 1e-12);
    }

    @Test
    void lstmCellNamesItselfAndTheShapes() {
        Tensor gates = Tensor.zeros(2, 12), c = Tensor.zeros(2, 3);
        fails(IllegalArgumentException.class, () -> RecurrentCells.lstm(Tensor.zeros(2, 8), gates, c), "lstmCell", "gi [2, 8]", "gh [2, 12]",
                "must both be [2, 12] ([B, 4H])", "c [2, 3] ([B, H])");
        fails(IllegalArgumentException.class, () -> RecurrentCells.lstm(gates, Tensor.zeros(3, 12), c), "lstmCell", "gh [3, 12]", "[2, 12]");
        fails(IllegalArgumentException.class, () -> RecurrentCells.lstm(gates, gates, Tensor.zeros(2, 3, 1)), "lstmCell", "c must be [B, H]", "[2, 3, 1]");
        fails(IllegalArgumentException.class, () -> RecurrentCells.lstm(gates, gates, Tensor.zeros(DType.FLOAT64, 2, 3)), "lstmCell", "FLOAT32 [2, 12]",
                "FLOAT64 [2, 3]");
        fails(IllegalArgumentException.class, () -> RecurrentCells.lstm(gates, gates.to(DType.FLOAT64), c), "lstmCell", "FLOAT64 [2, 12]", "FLOAT32 [2, 3]");
        fails(NullPointerException.class, () -> RecurrentCells.lstm(gates, null, c), "lstmCell", "gh is null");
        fails(NullPointerException.class, () -> RecurrentCells.lstm(gates, gates, null), "lstmCell", "c is null");
    }

    @Test
    void lstmSequenceNamesItselfAndTheShapes() {
        Tensor gi = Tensor.zeros(4, 2, 12), w = Tensor.zeros(12, 3), s = Tensor.zeros(2, 3);
        fails(IllegalArgumentException.class, () -> RecurrentCells.lstmSequence(gi, Tensor.zeros(12, 4), s, s, false), "lstmSequence",
                "whh must be [4H, H]", "[12, 4]");
        fails(IllegalArgumentException.class, () -> RecurrentCells.lstmSequence(Tensor.zeros(8, 12), w, s, s, false), "lstmSequence",
                "gi must be [T, B, 12]", "whh [12, 3]", "got [8, 12]");
        fails(IllegalArgumentException.class, () -> RecurrentCells.lstmSequence(Tensor.zeros(0, 2, 12), w, s, s, false), "lstmSequence",
                "T and B positive", "[0, 2, 12]");
        fails(IllegalArgumentException.class, () -> RecurrentCells.lstmSequence(gi, w, Tensor.zeros(3, 3), s, true), "lstmSequence",
                "h0 [3, 3]", "c0 [2, 3]", "must both be [2, 3]", "gi [4, 2, 12]");
        fails(IllegalArgumentException.class, () -> RecurrentCells.lstmSequence(gi, w, s, Tensor.zeros(DType.FLOAT64, 2, 3), false), "lstmSequence",
                "FLOAT64 [2, 3]", "FLOAT32 [12, 3]");
        fails(NullPointerException.class, () -> RecurrentCells.lstmSequence(gi, null, s, s, false), "lstmSequence", "whh is null");
        fails(NullPointerException.class, () -> RecurrentCells.lstmSequence(gi, w, s, null, false), "lstmSequence", "c0 is null");
    }

    @Test
    void impossibleSizesAreRefusedUpFront() {
        fails(IllegalArgumentException.class, () -> Tensor.zeros(Integer.MAX_VALUE), "zeros", "[2147483647]", "most one tensor may hold");
        fails(IllegalArgumentException.class, () -> Tensor.zeros(65536, 65536, 65536, 65536), "zeros", "[65536, 65536, 65536, 65536]");
        fails(IllegalArgumentException.class, () -> Tensor.arange(0, 1e300, 1), "arange", "1.0E300");
        fails(IllegalArgumentException.class, () -> Tensor.linspace(DType.FLOAT32, 0, 1, Integer.MAX_VALUE), "linspace", "2147483647");
        fails(IllegalArgumentException.class, () -> Tensor.randn(new Random(1), 1 << 16, 1 << 16), "randn", "[65536, 65536]");
        fails(IllegalArgumentException.class, () -> Tensor.zeros(1 << 16, 1).add(Tensor.zeros(1, 1 << 16)), "[65536, 65536]");
        // empty tensors whose concatenated or tiled axis passes 2^31: was a negative or wrapped dimension
        Tensor half = Tensor.zeros(DType.FLOAT32, 1 << 30, 0);
        fails(IllegalArgumentException.class, () -> Tensor.cat(0, half, half), "cat", "axis 0", "2147483648", "more than an array holds");
        Tensor third = Tensor.zeros(DType.FLOAT32, 0, 805306368);   // 3/4 of 2^30: the third one passes 2^31
        fails(IllegalArgumentException.class, () -> Tensor.cat(1, third, third, third), "cat", "axis 1", "tensor 2 [0, 805306368]", "2415919104");
        fails(IllegalArgumentException.class, () -> Tensor.zeros(65537, 0).repeat(65537, 1), "repeat", "4295098369", "more than an array holds");
        fails(IllegalArgumentException.class, () -> Shape.size(-1, 2), "Shape.size", "negative dimension", "[-1, 2]");   // was -2
        fails(IllegalArgumentException.class, () -> Tensor.zeros(0).reshape(65536, 65536, 65536, 65536), "reshape", "0 elements");   // 2^64 wrapped to 0
        assertArrayEquals(new int[] {65536, 65536, 65536, 65536, 0}, Tensor.zeros(0).reshape(65536, 65536, 65536, 65536, -1).shape());
    }

    @Test
    void nullArgumentsAreNamed() {
        fails(NullPointerException.class, () -> Tensor.zeros(null, 2), "zeros", "dtype");
        fails(NullPointerException.class, () -> Tensor.zeros((int[]) null), "zeros", "shape");
        fails(NullPointerException.class, () -> A23.add((Tensor) null), "add", "null");
        fails(NullPointerException.class, () -> A23.matmul(null), "matmul", "null");
        fails(NullPointerException.class, () -> A23.to(null), "to", "dtype");
        fails(NullPointerException.class, () -> Tensor.randn(new Random(1), null, 3), "randn", "dtype");
        fails(NullPointerException.class, () -> Tensor.randn(null, 3), "randn", "random");
        fails(NullPointerException.class, () -> Tensor.of((double[]) null), "of", "data");
        // these were the JVM's messages, naming no operation
        Tensor x = Tensor.zeros(1, 1, 4, 4);
        int[] one = {1}, none = {0}, two = {2};
        fails(NullPointerException.class, () -> A23.maskedFill(null, 0), "maskedFill: mask is null");
        fails(NullPointerException.class, () -> Pool.maxPool2d(x, two, null, none, one), "maxPool2d: stride is null");
        fails(NullPointerException.class, () -> Pool.avgPool2d(x, two, null, none, true), "avgPool2d: stride is null");
        fails(NullPointerException.class, () -> Pool.maxPool2d(x, two, two, null, one), "maxPool2d: padding is null");
        fails(NullPointerException.class, () -> Pool.maxPool2d(null, 2), "maxPool2d: input is null");
        fails(NullPointerException.class, () -> Pool.adaptiveAvgPool2d(null, 2), "adaptiveAvgPool2d: input is null");
        fails(NullPointerException.class, () -> Conv.unfold(null, two, one, none, one), "unfold: input is null");
        fails(NullPointerException.class, () -> Conv.fold(null, new int[] {4}, two, one, none, one), "fold: columns is null");
        fails(NullPointerException.class, () -> Conv.conv1d(null, Tensor.zeros(1, 1, 1), null, 1, 0, 1, 1), "conv1d: input is null");
        fails(NullPointerException.class, () -> Conv.conv2d(x, Tensor.zeros(1, 1, 1, 1), null, one, none, null, 1), "conv2d: dilation is null");
        fails(NullPointerException.class, () -> Parameter.substituted(null, () -> 1), "Parameter.substituted: values is null");
        fails(NullPointerException.class, () -> Parameter.substituted(java.util.Map.of(), null), "Parameter.substituted: body is null");
        java.util.Map<Parameter, Tensor> nullKey = new java.util.HashMap<>();
        nullKey.put(null, A23);
        fails(NullPointerException.class, () -> Parameter.substituted(nullKey, () -> 1), "Parameter.substituted: a parameter is null");
    }

    @Test
    void reductionsOfTensorsEmptyElsewhere() {
        Tensor x = Tensor.zeros(3, 4, 0, 2);
        for (Tensor y : new Tensor[] {x.max(1, false), x.min(1, false), x.argmax(1), x.argmin(1), x.logSumExp(1, false)})
            assertEquals(java.util.List.of(3, 0, 2), java.util.Arrays.stream(y.shape()).boxed().toList());
        assertEquals(java.util.List.of(3, 4, 0, 2), java.util.Arrays.stream(x.softmax(1).shape()).boxed().toList());
        assertEquals(java.util.List.of(3, 4, 0, 2), java.util.Arrays.stream(x.logSoftmax(3).shape()).boxed().toList());
        Tensor empty = Tensor.zeros(3, 0);
        assertEquals(0, empty.sum(1, false).get(0));
        assertTrue(Double.isNaN(empty.mean(1, false).get(0)));
        // the variance of no elements, and the unbiased one of one element, is NaN as in PyTorch (it was -0.0 for none)
        Tensor none = Tensor.zeros(DType.FLOAT64, 0), one = Tensor.ones(DType.FLOAT64, 1);
        for (Tensor v : new Tensor[] {none.var(), none.std(), empty.var(1, false), empty.var(1, false, false), empty.std(new int[] {1}, true, true),
                one.var(), one.std(), Tensor.zeros(2, 1).var(1, false)})
            for (double e : v.toDoubleArray()) assertTrue(Double.isNaN(e), () -> "variance " + e);
        assertEquals(0, one.var(0, false, false).item());
        assertEquals(Double.NEGATIVE_INFINITY, empty.logSumExp(1, false).get(0));
        assertEquals(0, empty.softmax(1).numel());
        fails(IllegalArgumentException.class, () -> empty.max(1, false), "max", "size 0");
        fails(IllegalArgumentException.class, () -> empty.argmax(1), "argmax", "size 0");
    }

    @Test
    void badAxesReshapesAndRanges() {
        fails(IllegalArgumentException.class, () -> A23.sum(2, false), "sum", "axis 2", "rank 2");
        fails(IllegalArgumentException.class, () -> A23.sum(-3, false), "sum", "axis -3");
        fails(IllegalArgumentException.class, () -> A23.sum(new int[] {0, -2}, false), "sum", "twice");
        fails(IllegalArgumentException.class, () -> A23.reshape(4, -1), "reshape", "[2, 3]", "[4, -1]");
        fails(IllegalArgumentException.class, () -> A23.reshape(-1, -1), "reshape", "more than one -1");
        fails(IllegalArgumentException.class, () -> A23.permute(0, 0), "permute", "repeats");
        fails(IllegalArgumentException.class, () -> A23.permute(0), "permute", "rank 2");
        fails(IllegalArgumentException.class, () -> A23.expand(2, 4), "expand", "[2, 3]", "[2, 4]");
        fails(IllegalArgumentException.class, () -> A23.slice(1, 2, 5), "slice", "[2, 5)", "size 3");
        fails(IllegalArgumentException.class, () -> A23.pad(1, 2, 3), "pad", "pairs");
        fails(IllegalArgumentException.class, () -> A23.pad(-1, 0), "pad", "negative");
        fails(IllegalArgumentException.class, () -> A23.pad(Integer.MAX_VALUE, Integer.MAX_VALUE), "pad", "more than an array holds");
        fails(IllegalArgumentException.class, () -> A23.dropout(1, new Random(1)), "dropout", "probability 1.0", "[0, 1)");
        fails(IllegalArgumentException.class, () -> A23.dropout(Double.NaN, new Random(1)), "dropout", "NaN");
        fails(NullPointerException.class, () -> A23.dropout(0.5, null), "dropout: random is null");
        fails(IllegalArgumentException.class, () -> A23.max(1, false).max(0, false).max(0, false), "axis 0", "rank 0");
        fails(IllegalArgumentException.class, () -> Tensor.zeros(0, 3).max(0, false), "max", "size 0");
        fails(IllegalArgumentException.class, () -> A23.gather(1, Tensor.of(new double[] {0, 3}, 1, 2)), "gather", "index 3", "size 3");
        fails(IllegalArgumentException.class, () -> A23.gather(1, Tensor.of(new double[] {0.5}, 1, 1)), "gather", "non-integral");
        fails(IllegalArgumentException.class, () -> A23.gather(1, Tensor.of(new double[] {0}, 1)), "gather", "rank");
        fails(IllegalArgumentException.class, () -> A23.indexSelect(0, 2), "indexSelect", "index 2", "size 2");
        fails(IllegalArgumentException.class, () -> A23.scatterAdd(0, Tensor.zeros(1, 3), Tensor.zeros(1, 2)), "scatterAdd", "[1, 2]");
        // An index as large as the tensor in all but one other axis: refused, not written out of range.
        fails(IllegalArgumentException.class, () -> Tensor.zeros(2, 3, 4).scatterAdd(1, Tensor.zeros(4, 1, 2), Tensor.zeros(4, 1, 2)),
                "scatterAdd", "exceeds tensor [2, 3, 4]");
        fails(IllegalArgumentException.class, () -> Tensor.zeros(2, 3, 4).gather(1, Tensor.zeros(4, 1, 2)), "gather", "exceeds tensor [2, 3, 4]");
        fails(IllegalStateException.class, A23::item, "item", "[2, 3]", "6 elements");
        fails(IllegalArgumentException.class, () -> A23.get(2, 0), "get", "out of range");
        fails(IllegalArgumentException.class, () -> A23.clamp(1, 0), "clamp");
        fails(IllegalArgumentException.class, () -> A23.clamp(Double.NaN, 1), "clamp", "lo NaN", "must not be NaN");   // was ignored
        fails(IllegalArgumentException.class, () -> A23.clamp(0, Double.NaN), "clamp", "hi NaN");
        fails(IllegalArgumentException.class, () -> Tensor.arange(0, 1, 0), "arange");
    }

    @Test
    void domainErrorsFollowIeeeArithmetic() {
        assertTrue(Double.isNaN(Tensor.scalar(-1).log().item()));
        assertEquals(Double.NEGATIVE_INFINITY, Tensor.scalar(0).log().item());
        assertTrue(Double.isNaN(Tensor.scalar(-1).sqrt().item()));
        assertEquals(Double.POSITIVE_INFINITY, Tensor.scalar(1).div(0).item());
    }

    /** Random pairs of shapes: broadcasting either works with NumPy's result shape or fails with both shapes named. */
    @Property
    void broadcastingSucceedsOrNamesBothShapes(@ForAll @IntRange(max = 3) int ra, @ForAll @IntRange(max = 3) int rb, @ForAll long seed) {
        Random r = new Random(seed);
        int[] a = new int[ra], b = new int[rb];
        for (int i = 0; i < ra; i++) a[i] = r.nextInt(4);
        for (int i = 0; i < rb; i++) b[i] = r.nextInt(4);
        boolean ok = true;
        for (int i = 1; i <= Math.min(ra, rb); i++) {
            int x = a[ra - i], y = b[rb - i];
            ok &= x == y || x == 1 || y == 1;
        }
        Tensor ta = Tensor.zeros(DType.FLOAT64, a), tb = Tensor.zeros(DType.FLOAT64, b);
        if (ok) {
            int[] out = ta.sub(tb).shape();
            assertEquals(Math.max(ra, rb), out.length);
        } else {
            fails(IllegalArgumentException.class, () -> ta.sub(tb), "sub", Shape.str(a), Shape.str(b));
        }
    }

    /** Random reshapes: valid ones keep the values, invalid ones name both shapes. */
    @Property
    void reshapeSucceedsOrNamesBothShapes(@ForAll @IntRange(max = 4) int x, @ForAll @IntRange(max = 4) int y,
                                          @ForAll @IntRange(min = -1, max = 6) int p, @ForAll @IntRange(min = -1, max = 6) int q) {
        Tensor t = Tensor.arange(DType.FLOAT64, 0, x * y, 1).reshape(x, y);
        boolean ok = (p == -1 && q == -1) ? false
                : p == -1 ? q != 0 && (x * y) % q == 0 : q == -1 ? p != 0 && (x * y) % p == 0 : p * q == x * y;
        if (ok) assertEquals(x * y, t.reshape(p, q).numel());
        else fails(IllegalArgumentException.class, () -> t.reshape(p, q), "reshape", Shape.str(x, y));
    }

    /** Found by nn's fuzz suite through the layers: each was refused, or failed inside, with a message naming another operation. */
    @Test
    void zeroSizeTensorsWithAHugeAxisAndOtherMessages() {
        assertArrayEquals(new int[] {Integer.MAX_VALUE, 5, 0}, Tensor.zeros(Integer.MAX_VALUE, 5, 0).shape());   // was refused: the 0 came after the huge axes
        assertArrayEquals(new int[] {8, Integer.MAX_VALUE, 0}, Tensor.zeros(8, Integer.MAX_VALUE, 0).softmax(-1).shape());   // was: the sums [8, MAX, 1]
        assertArrayEquals(new int[] {2, 3, 0}, Attention.maskedSoftmax(Tensor.zeros(2, 3, 0)).shape());   // no keys; was "max: cannot reduce axis 2 of size 0"
        fails(IllegalArgumentException.class, () -> A23.softmax(5), "softmax: axis 5");   // was "size: axis 5"
        fails(IllegalArgumentException.class, () -> Conv.conv1d(Tensor.zeros(1, 2, 4), Tensor.zeros(3, 1, 2), null, 1, 0, 1, 1), "conv1d of [1, 2, 4] with weight [3, 1, 2]");
        Gradients g;
        try (GradientTape tape = GradientTape.record()) {
            g = A23.requiresGrad().sum().backward();
        }
        fails(NullPointerException.class, () -> g.map(t -> null), "Gradients.map: fn returned null");   // was a null gradient, a message-less failure later
    }

    /** Operations built on others name themselves, not the operation that found the fault. */
    @Test
    void compositesNameThePublicOperation() {
        Tensor x = Tensor.zeros(DType.FLOAT64, 2, 3), f32 = Tensor.zeros(2, 3), empty = Tensor.zeros(DType.FLOAT64, 2, 0);
        fails(IllegalArgumentException.class, () -> x.min(2, false), "min: axis 2");   // each of these said max or argmax
        fails(IllegalArgumentException.class, () -> empty.min(1, false), "min: cannot reduce axis 1 of size 0");
        fails(IllegalArgumentException.class, () -> Tensor.zeros(0).min(), "min: cannot reduce");
        fails(IllegalArgumentException.class, () -> x.min(new int[] {0, 0}, false), "min: axis 0 is given twice");
        fails(IllegalArgumentException.class, () -> empty.min(new int[] {1}, false), "min: cannot reduce");
        fails(IllegalArgumentException.class, () -> x.max(new int[] {3}, false), "max: axis 3");
        fails(IllegalArgumentException.class, () -> x.argmin(-3), "argmin: axis -3");
        fails(IllegalArgumentException.class, () -> empty.argmin(1), "argmin: cannot reduce");
        fails(IllegalArgumentException.class, () -> x.mean(new int[] {0, 5}, false), "mean: axis 5");   // these said size or sum
        fails(IllegalArgumentException.class, () -> x.mean(2, false), "mean: axis 2");
        fails(IllegalArgumentException.class, () -> x.var(4, false), "var: axis 4");
        fails(IllegalArgumentException.class, () -> x.std(new int[] {1, 1}, false, true), "std: axis 1 is given twice");
        fails(IllegalArgumentException.class, () -> x.std(-3, true), "std: axis -3");
        fails(IllegalArgumentException.class, () -> x.norm(2, 3, false), "norm: axis 3");
        fails(IllegalArgumentException.class, () -> x.norm(Double.POSITIVE_INFINITY, 3, false), "norm: axis 3");
        fails(IllegalArgumentException.class, () -> Tensor.stack(0, x, f32), "stack", "FLOAT64", "FLOAT32");   // these said cat, matmulTransposed or mul
        fails(IllegalArgumentException.class, () -> f32.linear(Tensor.zeros(DType.FLOAT64, 4, 3), null), "linear", "FLOAT64 [4, 3]");
        fails(IllegalArgumentException.class, () -> f32.linear(Tensor.zeros(4, 2), null), "linear: shapes [2, 3] and [4, 2]");
        Tensor q = Tensor.zeros(1, 2, 3), q64 = q.to(DType.FLOAT64);
        fails(IllegalArgumentException.class, () -> Attention.scaledDotProduct(q, q64, q, null, false), "Attention.scaledDotProduct", "FLOAT64 [1, 2, 3]");
        fails(IllegalArgumentException.class, () -> Attention.scaledDotProduct(q, q, q64, null, false), "Attention.scaledDotProduct", "FLOAT64 [1, 2, 3]");
        fails(NullPointerException.class, () -> Attention.scaledDotProduct(q, null, q, null, false), "Attention.scaledDotProduct: key is null");
        fails(IllegalArgumentException.class, () -> Attention.weights(q64, q, null, false), "Attention.weights", "FLOAT32 [1, 2, 3]");
        fails(IllegalArgumentException.class, () -> Tensor.einsum("ij,jk->ik", x, f32.transpose(0, 1)), "einsum", "FLOAT32 [3, 2]");
    }

    /** Random axes: in range they work, out of range they name the axis and the rank. */
    @Property
    void axesAreCheckedEverywhere(@ForAll @IntRange(min = -5, max = 5) int axis, @ForAll @IntRange(min = 1, max = 3) int rank) {
        int[] s = new int[rank];
        java.util.Arrays.fill(s, 2);
        Tensor t = Tensor.zeros(DType.FLOAT64, s);
        boolean ok = axis >= -rank && axis < rank;
        for (Executable e : new Executable[] {() -> t.sum(axis, false), () -> t.max(axis, true), () -> t.softmax(axis),
                () -> t.slice(axis, 0, 1), () -> t.argmax(axis), () -> t.mean(axis, false)}) {
            if (ok) org.junit.jupiter.api.Assertions.assertDoesNotThrow(e);
            else fails(IllegalArgumentException.class, e, "axis " + axis, "rank " + rank);
        }
    }
}
