package dev.tapegrad.autodiff.kernel;

import java.util.Arrays;

/**
 * The three products of a convolution on FLOAT32 arrays, in a {@link ConvLayout}, without materialising the columns
 * of the whole batch: chunk by chunk, a chunk's images are unfolded side by side into a buffer of the thread's own
 * (reused from chunk to chunk while it stays in cache), which the matrix product then reads, as PyTorch's CPU
 * convolution without oneDNN does per sample. Chunks are shared out across the threads; inside a chunk the products run
 * on its thread. Per group {@code g} (weight rows {@code W_g = w[g Og .. (g+1) Og)}, each {@code Kg} wide, and the
 * columns' rows {@code [g Kg, (g+1) Kg)}):
 * <ul>
 *   <li>{@link #forward}: {@code maps = W cols(image) + bias}, a convolution's output (a transposed convolution's input
 *       gradient);</li>
 *   <li>{@link #adjoint}: {@code image = fold(W^T maps) + bias}, a convolution's input gradient (a transposed
 *       convolution's output);</li>
 *   <li>{@link #weight}: {@code dW = sum over samples of maps cols(image)^T}, the weight gradient of both.</li>
 * </ul>
 * Every value is a sum in a fixed order given by the sizes, except the weight gradient's sum over the batch, which
 * adds one partial sum per thread in order (as other sums over a tensor's first axis do). A window over the whole
 * image ({@link ConvLayout#whole}: the {@code dcgan} discriminator's last convolution, 128x7x7 to one logit, and its
 * generator's first, a transposed convolution from 1x1 to 7x7) is a dense layer: its products run over the whole batch
 * at once, without columns (the discriminator's, batch 64, one thread, forward 1.7 ms and forward and backward 4.3 ms
 * through the runs of single elements).
 */
public final class ConvKernelsF32 {
    private ConvKernelsF32() {}

    private static final int COLUMNS = 0, MAPS = 1, IMAGE = 2;
    /** Per-thread buffers, grown on demand: a chunk's columns, its maps side by side, its padded images. */
    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[3][0]);

    private static float[] buffer(int which, int size) {
        float[][] b = BUFFERS.get();
        if (b[which].length < size) b[which] = new float[size];
        return b[which];
    }

    /** {@code maps [N, Om, oh ow] = W cols(image) + bias} ({@code bias [Om]} or null); {@code maps} is overwritten. */
    public static void forward(float[] image, float[] w, float[] bias, float[] maps, ConvLayout g) {
        if (g.whole()) {   // maps [N, Om] = image [N, K] W^T + bias
            if (bias != null) for (int b = 0; b < g.n(); b++) System.arraycopy(bias, 0, maps, b * g.maps(), g.maps());
            Gemm.multiply(false, true, image, 0, w, 0, maps, 0, g.n(), g.imageSize(), g.maps(), bias != null);
            return;
        }
        Parallel.range(g.chunks(), 1, g.work(), (c0, c1) -> {
            int k = g.groupRows(), og = g.groupMaps(), cs = g.columns(), s = g.samples();
            boolean direct = s == 1 && g.dense();   // one sample's product rows are its maps
            float[] cols = buffer(COLUMNS, g.channels() * g.taps() * cs), out = direct ? maps : buffer(MAPS, g.maps() * cs);
            for (int c = c0; c < c1; c++) {
                int n0 = c * s, mo = direct ? n0 * g.mapSize() : 0;
                unfold(image, n0, cols, g);
                if (direct && bias != null) for (int o = 0, l = g.span(); o < g.maps(); o++) Arrays.fill(maps, mo + o * l, mo + (o + 1) * l, bias[o]);
                for (int gi = 0; gi < g.groups(); gi++)
                    Gemm.multiply(false, false, w, gi * og * k, cols, gi * k * cs, out, mo + gi * og * cs, og, k, cs, direct && bias != null);
                if (!direct) toSamples(out, maps, n0, bias, g);
            }
        });
    }

    /** {@code image [N, Ci, H W] = fold(W^T maps) + bias} ({@code bias [Ci]} or null); {@code image} must hold zeros. */
    public static void adjoint(float[] maps, float[] w, float[] bias, float[] image, ConvLayout g) {
        if (g.whole()) {   // image [N, K] = maps [N, Om] W + bias per channel
            int hw = g.height() * g.width();
            if (bias != null) for (int b = 0, at = 0; b < g.n(); b++) for (int ch = 0; ch < g.channels(); ch++, at += hw) Arrays.fill(image, at, at + hw, bias[ch]);
            Gemm.multiply(false, false, maps, 0, w, 0, image, 0, g.n(), g.maps(), g.imageSize(), bias != null);
            return;
        }
        Parallel.range(g.chunks(), 1, g.work(), (c0, c1) -> {
            int k = g.groupRows(), og = g.groupMaps(), cs = g.columns(), s = g.samples(), per = g.imageSize();
            boolean direct = s == 1 && g.dense();
            float[] cols = buffer(COLUMNS, g.channels() * g.taps() * cs), in = direct ? maps : buffer(MAPS, g.maps() * cs);
            float[] padded = g.padded() ? buffer(IMAGE, s * g.paddedSize()) : null;
            for (int c = c0; c < c1; c++) {
                int n0 = c * s, mo = direct ? n0 * g.mapSize() : 0;
                if (!direct) fromSamples(maps, in, n0, g);
                for (int gi = 0; gi < g.groups(); gi++)
                    Gemm.multiply(true, false, w, gi * og * k, in, mo + gi * og * cs, cols, gi * k * cs, k, og, cs, false);
                if (padded == null) UnfoldKernelsF32.addRuns(cols, 0, g.span(), image, n0 * per, per, s, g.runs(), g.stride());
                else {
                    Arrays.fill(padded, 0, s * g.paddedSize(), 0f);
                    UnfoldKernelsF32.addRuns(cols, 0, g.span(), padded, 0, g.paddedSize(), s, g.runs(), g.stride());
                    crop(padded, image, n0, g);
                }
                if (bias != null)
                    for (int b = n0; b < n0 + s; b++)
                        for (int ch = 0, at = b * per, hw = g.height() * g.width(); ch < g.channels(); ch++)
                            for (int end = at + hw; at < end; at++) image[at] += bias[ch];
            }
        });
    }

    /** {@code dw [Om, Kg] = sum over samples of maps cols(image)^T}; {@code dw} is overwritten. */
    public static void weight(float[] image, float[] maps, float[] dw, ConvLayout g) {
        if (g.whole()) {   // dW [Om, K] = maps^T [Om, N] image [N, K]
            Gemm.multiply(true, false, maps, 0, image, 0, dw, 0, g.maps(), g.n(), g.imageSize(), false);
            return;
        }
        int chunks = g.chunks(), tasks = g.work() < Parallel.MIN_WORK ? Math.min(chunks, 1) : Math.min(chunks, Parallel.THREADS);
        float[][] partial = new float[Math.max(0, tasks - 1)][];
        Parallel.tasks(tasks, t -> {
            int k = g.groupRows(), og = g.groupMaps(), cs = g.columns(), s = g.samples();
            int c0 = (int) ((long) chunks * t / tasks), c1 = (int) ((long) chunks * (t + 1) / tasks);
            boolean direct = s == 1 && g.dense();
            float[] acc = t == 0 ? dw : (partial[t - 1] = new float[dw.length]);
            float[] cols = buffer(COLUMNS, g.channels() * g.taps() * cs), in = direct ? maps : buffer(MAPS, g.maps() * cs);
            for (int c = c0; c < c1; c++) {
                int n0 = c * s, mo = direct ? n0 * g.mapSize() : 0;
                unfold(image, n0, cols, g);
                if (!direct) fromSamples(maps, in, n0, g);
                for (int gi = 0; gi < g.groups(); gi++)
                    Gemm.multiply(false, true, in, mo + gi * og * cs, cols, gi * k * cs, acc, gi * og * k, og, cs, k, c > c0);
            }
        });
        if (tasks == 0) Arrays.fill(dw, 0f);
        for (float[] p : partial) for (int i = 0; i < dw.length; i++) dw[i] += p[i];
    }

    /** The columns of samples {@code n0..n0+samples} of {@code image} into {@code cols}, through a padded copy in the wide layout. */
    private static void unfold(float[] image, int n0, float[] cols, ConvLayout g) {
        int s = g.samples();
        if (!g.padded()) {
            UnfoldKernelsF32.copyRuns(image, n0 * g.imageSize(), g.imageSize(), cols, 0, g.span(), s, g.runs(), g.stride(), 0f);
            return;
        }
        float[] padded = buffer(IMAGE, s * g.paddedSize());
        int h = g.height(), w = g.width(), pitch = g.pitch(), top = g.padTop() * pitch, bottom = (h + g.padTop()) * pitch, plane = (h + 2 * g.padTop()) * pitch;
        for (int p = 0, src = n0 * g.imageSize(); p < s * g.channels(); p++) {
            int at = p * plane;
            Arrays.fill(padded, at, at + top, 0f);
            for (int y = 0, row = at + top; y < h; y++, row += pitch, src += w) {
                Arrays.fill(padded, row, row + g.padLeft(), 0f);
                System.arraycopy(image, src, padded, row + g.padLeft(), w);
                Arrays.fill(padded, row + g.padLeft() + w, row + pitch, 0f);
            }
            Arrays.fill(padded, at + bottom, at + plane, 0f);
        }
        UnfoldKernelsF32.copyRuns(padded, 0, g.paddedSize(), cols, 0, g.span(), s, g.runs(), g.stride(), 0f);
    }

    /** The interior of samples {@code 0..samples} of {@code padded} added into samples {@code n0..} of {@code image}. */
    private static void crop(float[] padded, float[] image, int n0, ConvLayout g) {
        int h = g.height(), w = g.width(), pitch = g.pitch(), plane = (h + 2 * g.padTop()) * pitch;
        for (int p = 0, dst = n0 * g.imageSize(); p < g.samples() * g.channels(); p++)
            for (int y = 0, row = p * plane + g.padTop() * pitch + g.padLeft(); y < h; y++, row += pitch, dst += w)
                for (int x = 0; x < w; x++) image[dst + x] += padded[row + x];
    }

    /**
     * A chunk's product rows {@code [Om, samples span]} into samples {@code n0..} of {@code maps [N, Om, oh ow]}, plus
     * {@code bias}: each output row's {@code ow} columns of its {@code pitch}.
     */
    private static void toSamples(float[] chunk, float[] maps, int n0, float[] bias, ConvLayout g) {
        int s = g.samples(), om = g.maps(), rows = g.dense() ? 1 : g.rows(), width = g.dense() ? g.span() : g.cols();
        for (int o = 0; o < om; o++)
            for (int b = 0; b < s; b++) {
                float add = bias == null ? 0f : bias[o];
                for (int y = 0, src = (o * s + b) * g.span(), dst = ((n0 + b) * om + o) * rows * width; y < rows; y++, src += g.pitch(), dst += width) {
                    if (bias == null) System.arraycopy(chunk, src, maps, dst, width);
                    else for (int i = 0; i < width; i++) maps[dst + i] = chunk[src + i] + add;
                }
            }
    }

    /** Samples {@code n0..} of {@code maps [N, Om, oh ow]} as a chunk {@code [Om, samples span]}, the dropped columns zero. */
    private static void fromSamples(float[] maps, float[] chunk, int n0, ConvLayout g) {
        int s = g.samples(), om = g.maps(), rows = g.dense() ? 1 : g.rows(), width = g.dense() ? g.span() : g.cols(), gap = g.pitch() - width;
        for (int o = 0; o < om; o++)
            for (int b = 0; b < s; b++)
                for (int y = 0, dst = (o * s + b) * g.span(), src = ((n0 + b) * om + o) * rows * width; y < rows; y++, dst += g.pitch(), src += width) {
                    System.arraycopy(maps, src, chunk, dst, width);
                    if (y < rows - 1) Arrays.fill(chunk, dst + width, dst + width + gap, 0f);
                }
    }
}
