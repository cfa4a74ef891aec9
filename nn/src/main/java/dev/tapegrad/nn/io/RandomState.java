package dev.tapegrad.nn.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;

/**
 * The complete state of a {@link java.util.Random} (PyTorch's {@code torch.get_rng_state}): the 48-bit state
 * {@code seed} of its linear congruential generator {@code x -> (0x5DEECE66D x + 0xB) mod 2^48}, and the Gaussian
 * that {@link Random#nextGaussian()} computed in pairs and keeps for its next call ({@code haveNextNextGaussian},
 * {@code nextNextGaussian}). {@link #of} reads it and {@link #restore} puts it back <em>into an existing
 * instance</em> (layers keep references to their generators), after which the instance draws exactly what the
 * captured one would have drawn.
 *
 * <p>How, without reflection ({@code java.base} does not open {@code java.util}): {@code of} serialises the
 * generator with {@link ObjectOutputStream} and reads the three fields out of the stream by walking its grammar
 * (the JDK's Object Serialization Stream Protocol: magic, class descriptor {@code java.util.Random} with its
 * three primitive fields, their values, end of block), refusing any byte it does not expect, so a JDK whose
 * {@code Random} serialises differently gets an {@link IllegalStateException}, never a wrong state. Deserialising
 * into a fresh {@code Random} would give a copy, not the fields, so the stream itself is read. {@code restore}
 * sets the LCG state exactly with {@code setSeed(seed ^ 0x5DEECE66D)} ({@code setSeed} scrambles its argument
 * with that XOR and clears the cached Gaussian). A cached Gaussian is rebuilt by stepping the LCG back (it is
 * invertible modulo 2^48): the cache was made by a pair of {@code nextDouble} calls (4 LCG steps) some number
 * {@code g} of single steps ({@code nextInt}, {@code nextDouble}, ... leave the cache alone) before the captured
 * state, so for {@code g = 0, 1, ...} the state {@code 4 + g} steps back is tried: when its pair (computed as
 * {@code Random}'s {@code @implSpec} of {@code nextGaussian} states) gives the cached value bit for bit, the
 * target is set there, draws one {@code nextGaussian} and {@code g} {@code nextInt}s. Every restore is then
 * checked by capturing the target again and comparing with this state; a mismatch throws
 * {@link IllegalStateException}.
 *
 * <p>Limits, stated rather than hidden: only {@code java.util.Random} itself is accepted (a subclass such as
 * {@code SecureRandom} or {@code ThreadLocalRandom} has its own state, and is refused with a message); a
 * Gaussian cached more than {@link #MAX_GAP} (2^26) LCG steps before the capture (an odd number of
 * {@code nextGaussian} calls followed by tens of millions of other draws from the same generator) cannot be
 * found and {@code restore} throws (draw Gaussians in pairs, or from a generator of their own, to avoid it). A
 * stale cache value, left behind once the cache was used, is never returned again by {@code Random}, so it is
 * not part of the state: {@code nextNextGaussian} is 0 whenever {@code haveNextNextGaussian} is false.
 *
 * @param seed the LCG state, in {@code [0, 2^48)}
 * @param nextNextGaussian the cached Gaussian (0 when there is none)
 * @param haveNextNextGaussian whether the next {@code nextGaussian()} returns the cached value
 */
public record RandomState(long seed, double nextNextGaussian, boolean haveNextNextGaussian) {
    private static final long MULTIPLIER = 0x5DEECE66DL, ADDEND = 0xBL, MASK = (1L << 48) - 1;
    /** The multiplier's inverse modulo 2^48 (Newton's iteration {@code y <- y (2 - a y)} doubles the correct bits). */
    private static final long INVERSE;
    /** How many single LCG steps after its pair a cached Gaussian may have been made, at most: 2^26. */
    public static final long MAX_GAP = 1L << 26;

    static {
        long y = MULTIPLIER;
        for (int i = 0; i < 6; i++) y *= 2 - MULTIPLIER * y;
        INVERSE = y & MASK;
    }

    /** Checks the ranges; a state without a cached Gaussian holds 0 in its place. */
    public RandomState {
        if (seed < 0 || seed > MASK) throw new IllegalArgumentException("RandomState: seed " + seed + " is not a 48-bit state in [0, 2^48)");
        if (!haveNextNextGaussian && Double.doubleToRawLongBits(nextNextGaussian) != 0)
            throw new IllegalArgumentException("RandomState: no cached Gaussian, but nextNextGaussian is " + nextNextGaussian + " (must be 0)");
        if (!Double.isFinite(nextNextGaussian)) throw new IllegalArgumentException("RandomState: cached Gaussian " + nextNextGaussian + " is not finite");
    }

    /** The state of {@code random}, which must be exactly a {@code java.util.Random}. */
    public static RandomState of(Random random) {
        plain(random, "of");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(random);
        } catch (IOException e) {
            throw new UncheckedIOException("RandomState.of: cannot serialise the Random", e);
        }
        try {
            return parse(bytes.toByteArray());
        } catch (IOException e) {
            throw new IllegalStateException("RandomState.of: this JDK serialises java.util.Random in an unexpected form (" + e.getMessage() + ")", e);
        }
    }

    /** Puts this state into {@code target}, which then draws exactly what the captured generator would have drawn. */
    public void restore(Random target) { restore(target, MAX_GAP); }

    /** {@link #restore} looking at most {@code maxGap} steps back for the pair of a cached Gaussian. */
    void restore(Random target, long maxGap) {
        plain(target, "restore");
        if (haveNextNextGaussian) rebuildCache(target, maxGap);
        else target.setSeed(seed ^ MULTIPLIER);
        RandomState got = of(target);
        if (!got.equals(this)) throw new IllegalStateException("RandomState.restore: the generator holds " + got + " instead of " + this);
    }

    private void rebuildCache(Random target, long maxGap) {
        long x = back(seed, 4), want = Double.doubleToRawLongBits(nextNextGaussian);
        for (long gap = 0; gap <= maxGap; gap++, x = back(x, 1)) {
            if (!pairCaches(x, want)) continue;
            synchronized (target) {
                target.setSeed(x ^ MULTIPLIER);
                target.nextGaussian();
                for (long k = 0; k < gap; k++) target.nextInt();
            }
            return;
        }
        throw new IllegalStateException("RandomState.restore: the cached Gaussian " + nextNextGaussian + " was not made within " + maxGap
                + " LCG steps before the state, so it cannot be rebuilt (draw Gaussians in pairs, or from a generator of their own)");
    }

    /** Whether {@code nextGaussian()} from LCG state {@code x} accepts its first pair and caches the value with bits {@code want}. */
    private static boolean pairCaches(long x, long want) {
        long s1 = step(x), s2 = step(s1), s3 = step(s2), s4 = step(s3);
        double v1 = 2 * (((s1 >>> 22) << 27) + (s2 >>> 21)) * 0x1.0p-53 - 1, v2 = 2 * (((s3 >>> 22) << 27) + (s4 >>> 21)) * 0x1.0p-53 - 1;
        double s = v1 * v1 + v2 * v2;
        if (s >= 1 || s == 0 || (v2 < 0) != (want < 0)) return false;
        return Double.doubleToRawLongBits(v2 * StrictMath.sqrt(-2 * StrictMath.log(s) / s)) == want;
    }

    private static long step(long x) { return (x * MULTIPLIER + ADDEND) & MASK; }

    private static long back(long x, int steps) {
        for (int i = 0; i < steps; i++) x = ((x - ADDEND) * INVERSE) & MASK;
        return x;
    }

    private static void plain(Random r, String method) {
        Objects.requireNonNull(r, () -> "RandomState." + method + ": random is null");
        if (r.getClass() != Random.class)
            throw new IllegalArgumentException("RandomState." + method + ": only java.util.Random itself is supported, not " + r.getClass().getName()
                    + " (a subclass has state of its own that would be lost)");
    }

    /**
     * The three fields from a serialised {@code java.util.Random}: stream header, a new object of a new class
     * descriptor named {@code java.util.Random} (serializable, with a {@code writeObject} method) listing only
     * primitive fields, no superclass, the fields' values in the descriptor's order, end of block, end of stream.
     */
    private static RandomState parse(byte[] stream) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(stream));
        expect(in.readShort(), 0xACED, "stream magic");
        expect(in.readShort(), 5, "stream version");
        expect(in.readByte(), 0x73, "TC_OBJECT");
        expect(in.readByte(), 0x72, "TC_CLASSDESC");
        if (!in.readUTF().equals("java.util.Random")) throw new IOException("the class descriptor is not java.util.Random's");
        in.readLong();
        expect(in.readByte(), 0x03, "SC_SERIALIZABLE | SC_WRITE_METHOD");
        int n = in.readShort();
        char[] types = new char[n];
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            types[i] = (char) in.readByte();
            names[i] = in.readUTF();
        }
        expect(in.readByte(), 0x78, "TC_ENDBLOCKDATA after the class annotation");
        expect(in.readByte(), 0x70, "TC_NULL: no serializable superclass");
        Map<String, Object> fields = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            Object v = switch (types[i]) {
                case 'J' -> in.readLong();
                case 'D' -> in.readDouble();
                case 'Z' -> in.readBoolean();
                default -> throw new IOException("field '" + names[i] + "' has unexpected type code '" + types[i] + "'");
            };
            fields.put(names[i], v);
        }
        expect(in.readByte(), 0x78, "TC_ENDBLOCKDATA after the fields");
        if (in.read() != -1) throw new IOException("bytes after the object");
        if (!(fields.get("seed") instanceof Long seed && fields.get("nextNextGaussian") instanceof Double cached
                && fields.get("haveNextNextGaussian") instanceof Boolean have && fields.size() == 3))
            throw new IOException("fields " + fields.keySet() + " are not seed (long), nextNextGaussian (double), haveNextNextGaussian (boolean)");
        return new RandomState(seed, have ? cached : 0, have);
    }

    private static void expect(int got, int want, String what) throws IOException {
        if ((got & 0xFFFF) != (want & 0xFFFF)) throw new IOException("expected " + what + " (0x" + Integer.toHexString(want) + "), got 0x" + Integer.toHexString(got & 0xFFFF));
    }
}
