package dev.tapegrad.autodiff.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The runs of a stride-2 convolution's columns ({@link UnfoldKernelsF32}) on the Vector API: a run of {@code len}
 * elements reads every other input element, and its copy, element by element, cost about 1.5 ns per element in the
 * {@code dcgan} discriminator's and the {@code wgan-gp} critic's 64-128 convolution (runs of 7: a tap's row of a 7x7
 * map), a fifth of the critic's update. Here one vector load of {@code W} inputs gives {@code W / 2} outputs through a
 * lane shuffle (AVX-512 {@code vpermps}), stored under a mask; {@link #addEvens}, the adjoint, spreads the outputs to the
 * even lanes and adds them to the input under a mask of those lanes. The values are exactly the scalar loops'.
 * {@code ConvBenchmark}, one thread, AMD EPYC Zen 4, two rounds (ms, scalar -> vector): that convolution (batch 64)
 * forward 11.5, 12.1 -> 10.1, 10.0, forward and backward 36.5, 36.7 -> 32.1, 32.0; the {@code dcgan} generator's
 * 128-64 transposed convolution (7x7 to 14x14) 12.1, 12.5 -> 10.7, 10.7 and 37.4, 38.8 -> 32.9, 32.7. Masks made per
 * vector instead of once per run made the adjoint slower than the scalar loop.
 */
final class VectorUnfoldF32 {
    private VectorUnfoldF32() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int W = S.length(), H = W / 2;

    /**
     * Whether these kernels beat the scalar loops: with 512-bit vectors (AVX-512). With 256-bit ones (the same Zen 4 run
     * with {@code -XX:UseAVX=2}) the convolution above took 15.3, 16.8 ms forward against the scalar loops' 13.3, 14.5,
     * and the transposed one 17.9, 17.5 against 13.4, 14.8: runs of 7 then take two masked vectors each.
     */
    static final boolean PAYS = S.vectorBitSize() >= 512;
    /** Lane {@code i < H} takes lane {@code 2 i}; {@link #SPREAD}: lane {@code j} takes lane {@code j / 2} (the odd lanes are masked off). */
    private static final VectorShuffle<Float> EVENS = VectorShuffle.fromOp(S, i -> 2 * i % W), SPREAD = VectorShuffle.fromOp(S, j -> j / 2);
    private static final VectorMask<Float> EVEN_LANES = VectorMask.fromLong(S, 0x5555_5555_5555_5555L), HALF = S.indexInRange(0, H);

    /**
     * {@code out[col + s sampleStride + i] = x[p0 + s per + 2 i]} for {@code s < count}, {@code i < len}; the samples
     * whose vectors would read past the end of {@code x} run on the scalar loop. The masks are made once per run: made
     * per vector they cost more than the copy.
     */
    static void copyEvens(float[] x, int p0, int per, float[] out, int col, int sampleStride, int count, int len) {
        int last = (len - 1) / H * H, reach = 2 * last + W;   // the last vector's first output, and its end from a sample's first input
        VectorMask<Float> tail = S.indexInRange(0, len - last);
        int s = 0;
        for (; s < count && p0 + reach <= x.length; s++, col += sampleStride, p0 += per) {
            for (int i = 0; i < last; i += H) FloatVector.fromArray(S, x, p0 + 2 * i).rearrange(EVENS).intoArray(out, col + i, HALF);
            FloatVector.fromArray(S, x, p0 + 2 * last).rearrange(EVENS).intoArray(out, col + last, tail);
        }
        for (; s < count; s++, col += sampleStride, p0 += per)
            for (int i = 0, p = p0; i < len; i++, p += 2) out[col + i] = x[p];
    }

    /** {@code out[p0 + s per + 2 i] += cols[col + s sampleStride + i]} for {@code s < count}, {@code i < len}: the adjoint of {@link #copyEvens}. */
    static void addEvens(float[] cols, int col, int sampleStride, float[] out, int p0, int per, int count, int len) {
        int last = (len - 1) / H * H;
        VectorMask<Float> tailIn = S.indexInRange(0, len - last), tailLanes = EVEN_LANES.and(S.indexInRange(0, 2 * (len - last) - 1));
        for (int s = 0; s < count; s++, col += sampleStride, p0 += per) {
            for (int i = 0; i < last; i += H) add(cols, col + i, HALF, out, p0 + 2 * i, EVEN_LANES);
            add(cols, col + last, tailIn, out, p0 + 2 * last, tailLanes);
        }
    }

    /** The {@code in} lanes of {@code cols} from {@code c}, spread to the even lanes, added to {@code out}'s {@code lanes} from {@code o}. */
    private static void add(float[] cols, int c, VectorMask<Float> in, float[] out, int o, VectorMask<Float> lanes) {
        FloatVector g = FloatVector.fromArray(S, cols, c, in).rearrange(SPREAD);
        FloatVector.fromArray(S, out, o, lanes).add(g).intoArray(out, o, lanes);
    }
}
