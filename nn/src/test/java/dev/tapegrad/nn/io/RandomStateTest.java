package dev.tapegrad.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autodiff.Tensor;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A captured generator, restored into another existing instance, draws exactly what the original draws next. */
class RandomStateTest {
    /** 40 draws of every kind, Gaussians included, as raw bits. */
    private static long[] draws(Random r) {
        long[] out = new long[40];
        for (int i = 0; i < out.length; i++)
            out[i] = switch (i % 5) {
                case 0 -> Double.doubleToRawLongBits(r.nextGaussian());
                case 1 -> r.nextInt();
                case 2 -> Double.doubleToRawLongBits(r.nextDouble());
                case 3 -> Double.doubleToRawLongBits(r.nextGaussian());
                default -> r.nextLong();
            };
        return out;
    }

    /** Runs {@code history} on a generator, captures it, restores into a differently used one, and compares what both draw next. */
    private static RandomState roundTrip(Consumer<Random> history) {
        Random original = new Random(42);
        history.accept(original);
        RandomState s = RandomState.of(original);
        Random target = new Random(7);
        target.nextGaussian();
        s.restore(target);
        assertEquals(s, RandomState.of(target));
        assertArrayEquals(draws(original), draws(target));
        return s;
    }

    @Test
    void freshAndPlainGenerators() {
        RandomState fresh = roundTrip(r -> {});
        assertFalse(fresh.haveNextNextGaussian());
        assertEquals((42 ^ 0x5DEECE66DL) & ((1L << 48) - 1), fresh.seed(), "a fresh Random's state is its scrambled seed");
        roundTrip(r -> r.nextInt(10));
        roundTrip(r -> { for (int i = 0; i < 1000; i++) r.nextDouble(); });
    }

    @Test
    void oddAndEvenNumbersOfGaussians() {
        for (int n = 0; n < 8; n++) {
            int count = n;
            RandomState s = roundTrip(r -> { for (int i = 0; i < count; i++) r.nextGaussian(); });
            assertEquals(count % 2 == 1, s.haveNextNextGaussian(), "after " + count + " nextGaussian calls");
        }
    }

    @Test
    void aCachedGaussianFollowedByOtherDraws() {
        RandomState s = roundTrip(r -> { r.nextGaussian(); r.nextInt(); r.nextDouble(); r.nextFloat(); r.nextLong(); r.nextBoolean(); });
        assertTrue(s.haveNextNextGaussian());
        roundTrip(r -> { r.nextDouble(); r.nextGaussian(); r.nextGaussian(); r.nextGaussian(); for (int i = 0; i < 100_000; i++) r.nextDouble(); });
        roundTrip(r -> { for (int i = 0; i < 37; i++) { r.nextGaussian(); r.nextInt(5); } });
        roundTrip(r -> { Tensor.randn(r, 5); Tensor.rand(r, 64, 33); });
    }

    @Test
    void aCacheTooFarBackIsAnErrorNotAWrongState() {
        Random r = new Random(3);
        r.nextGaussian();
        for (int i = 0; i < 50; i++) r.nextInt();
        RandomState s = RandomState.of(r);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.restore(new Random(), 49));
        assertTrue(e.getMessage().contains("49 LCG steps"), e.getMessage());
        Random ok = new Random();
        s.restore(ok, 50);
        assertArrayEquals(draws(r), draws(ok));
    }

    @Test
    void throughASafetensorsFile(@TempDir Path dir) {
        Random r = new Random(11);
        r.nextGaussian();
        r.nextInt();
        RandomState s = RandomState.of(r);
        Path f = dir.resolve("rng.safetensors");
        Safetensors.save(f, Map.of("rng", Tensor.of(new double[] {s.seed(), s.nextNextGaussian(), s.haveNextNextGaussian() ? 1 : 0})), Map.of());
        double[] v = Safetensors.load(f).tensors().get("rng").toDoubleArray();
        RandomState back = new RandomState((long) v[0], v[1], v[2] == 1);
        assertEquals(s, back);
        Random target = new Random();
        back.restore(target);
        assertArrayEquals(draws(r), draws(target));
    }

    @Test
    void subclassesNullsAndImpossibleStatesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RandomState.of(new SecureRandom()));
        assertTrue(e.getMessage().contains("java.security.SecureRandom") && e.getMessage().contains("only java.util.Random"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RandomState(0, 0, false).restore(new Random() {}));
        NullPointerException n = assertThrows(NullPointerException.class, () -> RandomState.of(null));
        assertTrue(n.getMessage().contains("random is null"));
        assertThrows(IllegalArgumentException.class, () -> new RandomState(1L << 48, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new RandomState(-1, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new RandomState(5, 0.5, false));
        assertThrows(IllegalArgumentException.class, () -> new RandomState(5, Double.NaN, true));
        IllegalStateException notMade = assertThrows(IllegalStateException.class, () -> new RandomState(5, 0.123456789, true).restore(new Random(), 1000));
        assertTrue(notMade.getMessage().contains("cannot be rebuilt"), notMade.getMessage());
    }
}
