package dev.tapegrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autodiff.DType;
import dev.tapegrad.autodiff.Tensor;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The convolution-stack layers: gradients w.r.t. input and parameters, PyTorch's initialisation, summary, errors. */
class ConvLayerTest {

    private static Tensor x(long seed, int... shape) { return Tensor.randn(new Random(seed), DType.FLOAT64, shape); }

    @Property(tries = 10)
    void convLayersGradients(@ForAll long seed) {
        Random r = new Random(seed);
        ModuleCheck.check(new Conv2d(2, 4, new int[] {2, 3}, new int[] {2, 1}, new int[] {1, 0}, new int[] {1, 1}, 2, true, r), x(seed, 2, 2, 4, 4), seed, true);
        ModuleCheck.check(new Conv1d(2, 3, 3, 1, 1, 1, 1, true, r), x(seed, 2, 2, 5), seed, true);
        ModuleCheck.check(new ConvTranspose2d(2, 3, 3, 2, 1, r), x(seed, 1, 2, 3, 3), seed, true);
    }

    @Property(tries = 10)
    void batchNorm2dAndPoolingLayers(@ForAll long seed) {
        BatchNorm2d bn = new BatchNorm2d(2);
        bn.to(DType.FLOAT64);
        bn.weight.assign(Tensor.randn(new Random(seed), DType.FLOAT64, 2));
        Tensor in = x(seed, 2, 2, 3, 3);
        ModuleCheck.check(bn, in, seed, true);
        bn.eval();
        ModuleCheck.check(bn, in, seed, true);
        Sequential net = new Sequential(new Conv2d(1, 2, 3, 1, 1, new Random(seed)), new AvgPool2d(2), new Upsample(2, Upsample.Mode.BILINEAR, false),
                new AdaptiveAvgPool2d(2), new Upsample(1.5, Upsample.Mode.NEAREST, false), new Flatten(), new Linear(18, 2, new Random(seed)));
        ModuleCheck.check(net, x(seed, 2, 1, 4, 4), seed, true);
    }

    @Test
    void defaultInitialisationFollowsPyTorch() {
        Random r = new Random(1);
        Conv2d c = new Conv2d(16, 32, 3, r);
        double bound = 1 / Math.sqrt(16 * 9);
        assertTrue(c.weight.value().abs().max().item() <= bound && c.weight.value().abs().max().item() > 0.95 * bound);
        assertArrayEquals(new int[] {32, 16, 3, 3}, c.weight.shape());
        ConvTranspose2d t = new ConvTranspose2d(8, 4, 2, 2, 0, r);
        assertArrayEquals(new int[] {8, 4, 2, 2}, t.weight.shape());
        assertTrue(t.weight.value().abs().max().item() <= 1 / Math.sqrt(4 * 4));
    }

    @Test
    void summaryOfASmallCnn() {
        Random r = new Random(1);
        Sequential cnn = new Sequential(new Conv2d(1, 8, 3, 1, 1, r), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(8 * 14 * 14, 10, r));
        String s = cnn.summary(1, 28, 28);
        assertTrue(s.contains("0 (Conv2d)") && s.contains("[-1, 8, 28, 28]") && s.contains("[-1, 8, 14, 14]") && s.contains("[-1, 1568]"), s);
        assertEquals(8 * 9 + 8 + 16 + 1568 * 10 + 10, cnn.parameterCount());
    }

    @Test
    void badConfigurationsNameTheLayer() {
        Random r = new Random(1);
        LayerGradientTest.assertMessage(() -> new Conv2d(3, 4, new int[] {3}, new int[] {1}, new int[] {0}, new int[] {1}, 2, true, r), "Conv2d", "groups 2", "in_channels 3");
        LayerGradientTest.assertMessage(() -> new Conv2d(3, 4, 0, r), "Conv2d", "kernel");
        LayerGradientTest.assertMessage(() -> new Conv1d(3, 4, 3, 0, 0, 1, 1, true, r), "Conv1d", "stride 0");
        LayerGradientTest.assertMessage(() -> new BatchNorm2d(3).forward(Tensor.zeros(2, 4, 3, 3)), "BatchNorm2d", "[2, 4, 3, 3]");
        LayerGradientTest.assertMessage(() -> new Conv2d(1, 2, 5, r).forward(Tensor.zeros(1, 1, 3, 3)), "conv2d", "larger than the padded input");
        LayerGradientTest.assertMessage(() -> new Upsample(0, Upsample.Mode.NEAREST, false), "Upsample", "scale");
    }
}
