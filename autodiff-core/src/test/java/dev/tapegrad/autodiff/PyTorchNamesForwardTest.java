package dev.tapegrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Forward values of the ops named after PyTorch's, against hand-computed results of the same calls in PyTorch. */
class PyTorchNamesForwardTest {
    private static final Tensor X = Tensor.of(new double[] {1, -2, 3, 0.5, 4, -1}, 2, 3);

    private static void same(double[] want, Tensor got, int... shape) {
        assertArrayEquals(shape, got.shape());
        assertArrayEquals(want, got.toDoubleArray(), 1e-12);
    }

    @Test
    void movement() {
        same(new double[] {1, -2, 3, 1, -2, 3, 0.5, 4, -1, 0.5, 4, -1}, X.repeat(2, 1).reshape(2, 2, 3).transpose(0, 1).reshape(4, 3), 4, 3);
        same(new double[] {1, -2, 3, 1, -2, 3, 0.5, 4, -1, 0.5, 4, -1}, X.repeat(1, 2).reshape(2, 2, 3).reshape(4, 3), 4, 3);
        same(new double[] {-1, 4, 0.5, 3, -2, 1}, X.flip(0, 1), 2, 3);
        same(new double[] {3, 1, -2, -1, 0.5, 4}, X.roll(1, 1), 2, 3);
        same(new double[] {-2, 3, 1, 4, -1, 0.5}, X.roll(-1, -1), 2, 3);
        same(new double[] {1, -1, 2, 0.5, 4.5, 3.5}, X.cumsum(1), 2, 3);
        same(new double[] {1, -2, 3, 1.5, 2, 2}, X.cumsum(0), 2, 3);
        same(new double[] {0.5, 4, -1}, X.indexSelect(0, Tensor.of(new double[] {1})), 1, 3);
        same(new double[] {1, -2, 3, 0.5, 4, -1}, X.reshape(2, 3, 1).flatten(1), 2, 3);
    }

    @Test
    void sortTopkAndTheirIndices() {
        ValuesAndIndices s = X.sort(1, false);
        same(new double[] {-2, 1, 3, -1, 0.5, 4}, s.values(), 2, 3);
        same(new double[] {1, 0, 2, 2, 0, 1}, s.indices(), 2, 3);
        ValuesAndIndices t = X.topk(2, 1, true);
        same(new double[] {3, 1, 4, 0.5}, t.values(), 2, 2);
        same(new double[] {2, 0, 1, 0}, t.indices(), 2, 2);
        same(new double[] {-2, -1}, X.topk(1, 1, false).values(), 2, 1);
        ValuesAndIndices ties = Tensor.of(new double[] {2, Double.NaN, 2, 1}).sort(0, false);
        same(new double[] {3, 0, 2, 1}, ties.indices(), 4);   // stable, NaN last
    }

    @Test
    void reductionsAndElementwise() {
        assertEquals(Math.sqrt(1 + 4 + 9 + 0.25 + 16 + 1), X.norm().item(), 1e-12);
        assertEquals(4, X.norm(Double.POSITIVE_INFINITY).item(), 0);
        same(new double[] {6, 5.5}, X.norm(1, 1, false), 2);
        same(new double[] {4}, X.max(new int[] {0, 1}, false).reshape(1), 1);
        same(new double[] {-2}, X.min(new int[] {1, 0}, true).reshape(1), 1);
        assertEquals(X.var().sqrt().item(), X.std().item(), 1e-15);
        same(new double[] {Math.sqrt(0.125), Math.sqrt(18), Math.sqrt(8)}, X.std(0, false), 3);
        assertEquals(1e-20, Tensor.scalar(1e-20).log1p().item(), 0);
        assertEquals(1e-20, Tensor.scalar(1e-20).expm1().item(), 0);
        same(new double[] {1, 1 / Math.sqrt(2)}, Tensor.of(new double[] {1, 2}).rsqrt(), 2);
        same(new double[] {-8, 0.25, 1, Double.NaN}, Tensor.of(new double[] {-2, 2, -3, -2}).pow(Tensor.of(new double[] {3, -2, 0, 0.5})), 4);
        same(new double[] {1 * sigmoid(1), -2 * sigmoid(-2)}, Tensor.of(new double[] {1, -2}).silu(), 2);
        same(new double[] {1, 0.7 * Math.expm1(-2)}, Tensor.of(new double[] {1, -2}).elu(0.7), 2);
        same(new double[] {Math.log(sigmoid(-30))}, Tensor.of(new double[] {-30}).logSigmoid(), 1);
        double g = 0.5 * 1.5 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (1.5 + 0.044715 * 1.5 * 1.5 * 1.5)));
        assertEquals(g, Tensor.scalar(1.5).gelu("tanh").item(), 1e-15);
        assertTrue(Math.abs(Tensor.scalar(1.5).gelu("none").item() - g) < 1e-3);
    }

    @Test
    void einsumMatchesTheProductsItNames() {
        Tensor a = Tensor.randn(new java.util.Random(1), DType.FLOAT64, 2, 3, 4), b = Tensor.randn(new java.util.Random(2), DType.FLOAT64, 4, 5);
        assertArrayEquals(a.matmul(b).toDoubleArray(), Tensor.einsum("bij,jk->bik", a, b).toDoubleArray(), 1e-12);
        assertArrayEquals(a.transpose(1, 2).toDoubleArray(), Tensor.einsum("bij->bji", a).toDoubleArray(), 0);
        assertArrayEquals(a.sum(new int[] {0, 1}, false).toDoubleArray(), Tensor.einsum("bij->j", a).toDoubleArray(), 1e-12);
        Tensor v = Tensor.of(new double[] {1, 2, 3});
        assertEquals(14, Tensor.einsum("i,i->", v, v).item(), 1e-12);
        assertArrayEquals(new double[] {1, 2, 3, 2, 4, 6, 3, 6, 9}, Tensor.einsum("i,j", v, v).toDoubleArray(), 0);
        BadInputTest.fails(IllegalArgumentException.class, () -> Tensor.einsum("ij,jk->ik", a, b), "einsum", "'ij'", "[2, 3, 4]");
        BadInputTest.fails(IllegalArgumentException.class, () -> Tensor.einsum("ii->i", Tensor.zeros(DType.FLOAT64, 2, 2)), "einsum", "repeats");
    }

    private static double sigmoid(double x) { return 1 / (1 + Math.exp(-x)); }
}
