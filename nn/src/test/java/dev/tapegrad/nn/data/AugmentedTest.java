package dev.tapegrad.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autodiff.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random shifts move each image by at most the bound, fill the border, and are seeded. */
class AugmentedTest {

    private static float shifted(float[] img, int w, int y, int x, int dy, int dx, float fill) {
        int sy = y - dy, sx = x - dx;
        return sy < 0 || sy >= w || sx < 0 || sx >= w ? fill : img[sy * w + sx];
    }

    @Test
    void eachImageIsAShiftOfItsInput() {
        int b = 20, w = 5;
        Tensor x = Tensor.rand(new Random(1), b, w * w);
        Tensor y = Augmented.randomShift(2, -1, new Random(3)).apply(x);
        float[] in = x.toFloatArray(), out = y.toFloatArray();
        for (int i = 0; i < b; i++) {
            float[] img = java.util.Arrays.copyOfRange(in, i * w * w, (i + 1) * w * w), got = java.util.Arrays.copyOfRange(out, i * w * w, (i + 1) * w * w);
            boolean found = false;
            for (int dy = -2; dy <= 2 && !found; dy++) {
                for (int dx = -2; dx <= 2 && !found; dx++) {
                    boolean all = true;
                    for (int p = 0; p < w * w && all; p++) all = got[p] == shifted(img, w, p / w, p % w, dy, dx, -1);
                    found = all;
                }
            }
            assertTrue(found, "image " + i + " is not a shift of its input by at most 2 pixels");
        }
        assertArrayEquals(out, Augmented.randomShift(2, -1, new Random(3)).apply(x).toFloatArray());
        assertArrayEquals(new int[] {3, 1, 4, 4}, Augmented.randomShift(1, 0, new Random(1)).apply(Tensor.zeros(3, 1, 4, 4)).shape());
    }

    @Test
    void shiftsThatDoNotFitAreRefused() {
        DataTest.assertMessage(() -> Augmented.randomShift(40, 0, new java.util.Random(1)).apply(dev.tapegrad.autodiff.Tensor.zeros(2, 784)),
                "randomShift", "40 pixels", "28x28");
        DataTest.assertMessage(() -> Augmented.randomShift(-1, 0, new java.util.Random(1)), "randomShift", "-1", "negative");
    }
}
