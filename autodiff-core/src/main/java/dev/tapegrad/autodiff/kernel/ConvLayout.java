package dev.tapegrad.autodiff.kernel;

/**
 * A convolution as its kernels ({@code ConvKernelsF32}/{@code F64}) see it: an <em>image</em> {@code [N, Ci, H, W]} (a
 * convolution's input, a transposed convolution's output) whose sliding windows meet the <em>maps</em>
 * {@code [N, Om, oh, ow]} (a convolution's output, a transposed convolution's input), through a weight
 * {@code [Om, Ci/groups * taps]} per group. The samples are taken {@link #samples} at a time (a <em>chunk</em>), their
 * columns side by side in one buffer {@code [Ci * taps, samples * span]}, laid out by {@link #runs} (triples
 * {@code (column offset, source offset, length)} of {@code UnfoldKernelsF32}, the source advancing by {@link #stride}).
 *
 * <p>Two layouts of a sample's {@code span} columns:
 * <ul>
 *   <li><em>narrow</em>: one column per output position, {@code span = oh ow}; a run per kernel tap, channel and output
 *       row, padding as runs of zeros (any stride);</li>
 *   <li><em>wide</em> (stride 1): the image, zero-padded into a buffer of {@code (H + 2 ph) x (W + 2 pw)} when it has
 *       padding, is read as one flat row: output position {@code (y, x)} is column {@code y pitch + x} with
 *       {@code pitch = W + 2 pw}, so that each row of the columns is <em>one</em> copy, {@code span = (oh - 1) pitch + ow}
 *       long, instead of {@code oh} copies of {@code ow}. The {@code pitch - ow} columns past each output row's end read
 *       the next row's start: they are computed and dropped (and given zero cotangents backwards).</li>
 * </ul>
 *
 * @param n          samples
 * @param channels   the image's channels {@code Ci}
 * @param height     the image's height {@code H}
 * @param width      the image's width {@code W}
 * @param maps       the maps' channels {@code Om}
 * @param rows       the maps' height {@code oh}
 * @param cols       the maps' width {@code ow}
 * @param groups     channel groups (both channel counts divisible by it)
 * @param taps       the window's positions {@code kh kw}
 * @param padTop     rows of zeros above and below the image in the wide layout's buffer (0 in the narrow layout)
 * @param padLeft    columns of zeros left and right of it
 * @param pitch      columns per output row in a chunk: {@code ow} (narrow) or {@code W + 2 padLeft} (wide)
 * @param span       a sample's columns in a chunk
 * @param samples    samples per chunk, a power of two that divides {@code n}
 * @param runs       one chunk's runs
 * @param stride     how far a run's source advances per element
 * @param whole      whether a sample's columns are its image as it is, flattened: one output position, from a window that
 *                   is the whole unpadded image, in one group; the three products are then a dense layer's, over the whole
 *                   batch at once ({@code ConvKernelsF32})
 */
public record ConvLayout(int n, int channels, int height, int width, int maps, int rows, int cols, int groups, int taps,
                         int padTop, int padLeft, int pitch, int span, int samples, int[] runs, int stride, boolean whole) {

    /**
     * Columns a chunk should reach: a product of fewer columns leaves much of its tile's width idle and packs its
     * weights once per few columns (the reason the 7x7 maps of the {@code dcgan} example ran 1.4x faster as one product
     * over the batch than as one product per sample).
     */
    static final int CHUNK_COLUMNS = 256;

    /**
     * The narrow layout, from one sample's runs ({@code [Ci taps, oh ow]}, see {@code ConvWindow.runs}).
     *
     * @throws IllegalArgumentException naming {@code op} when one sample's columns exceed {@link Settings#MAX_ELEMENTS}
     */
    public static ConvLayout narrow(String op, int n, int channels, int height, int width, int maps, int rows, int cols, int groups, int taps,
                                    int[] sampleRuns, int stride) {
        return of(op, n, channels, height, width, maps, rows, cols, groups, taps, 0, 0, cols, rows * cols, sampleRuns, stride);
    }

    /**
     * The wide layout of a stride-1 convolution with kernel {@code kh x kw}, dilation {@code dh, dw} and padding
     * {@code ph, pw}: one run per channel and tap.
     */
    public static ConvLayout wide(String op, int n, int channels, int height, int width, int maps, int rows, int cols, int groups,
                                  int kh, int kw, int dh, int dw, int ph, int pw) {
        int pitch = width + 2 * pw, plane = (height + 2 * ph) * pitch, span = (rows - 1) * pitch + cols;
        int[] runs = new int[channels * kh * kw * 3];
        for (int c = 0, r = 0, row = 0; c < channels; c++)
            for (int i = 0; i < kh; i++)
                for (int j = 0; j < kw; j++, row++, r += 3) {
                    runs[r] = row * span;
                    runs[r + 1] = c * plane + i * dh * pitch + j * dw;
                    runs[r + 2] = span;
                }
        return of(op, n, channels, height, width, maps, rows, cols, groups, kh * kw, ph, pw, pitch, span, runs, 1);
    }

    /**
     * Whether a convolution reads its columns in the wide layout: stride 1, at most a third of each row's columns
     * dropped ({@code 3 (kw - 1) dw <= W + 2 pw}, beyond which the product's extra columns cost more than the copies
     * they save), and at least as many rows of columns as map channels ({@code Ci kh kw >= Om}): the wide layout saves
     * copies of the columns but copies the maps once more (its rows' ends dropped, or zeroed backwards). Measured on an
     * AMD EPYC Zen 4, one thread, fastest of 50 (forward, forward and backward): LeNet-5's first convolution (75 rows,
     * 6 maps) 1472 and 6774 us wide, 1791 and 7424 narrow; mnist-cnn's second (288 rows, 64 maps) 7151 and 23888 wide,
     * 7907 and 24902 narrow; but mnist-cnn's first (9 rows, 32 maps) 1635 and 5436 wide, 1068 and 4131 narrow.
     */
    public static boolean wide(int sh, int sw, int kh, int kw, int dw, int width, int pw, int channels, int maps) {
        return sh == 1 && sw == 1 && 3L * (kw - 1) * dw <= width + 2L * pw && (long) channels * kh * kw >= maps;
    }

    private static ConvLayout of(String op, int n, int channels, int height, int width, int maps, int rows, int cols, int groups, int taps,
                                 int padTop, int padLeft, int pitch, int span, int[] sampleRuns, int stride) {
        long one = (long) channels * taps * span;
        if (one > Settings.MAX_ELEMENTS)
            throw new IllegalArgumentException(op + ": the columns of one sample, " + channels * (long) taps + " x " + span + " = " + one
                    + " elements, exceed the budget of " + Settings.MAX_ELEMENTS + " (tapegrad.maxElements)");
        int samples = 1;
        while (samples * (long) span < CHUNK_COLUMNS && n % (2 * samples) == 0 && 2 * samples * one <= Settings.MAX_ELEMENTS) samples *= 2;
        boolean whole = groups == 1 && span == 1 && taps == height * width && sampleRuns.length == 3 * channels * taps;
        for (int r = 0; whole && r < sampleRuns.length; r += 3) whole = sampleRuns[r] == r / 3 && sampleRuns[r + 1] == r / 3 && sampleRuns[r + 2] == 1;
        int[] runs = sampleRuns.clone();
        // row r's runs move from r span to r (samples span): the samples' columns of one row lie next to each other
        for (int r = 0; r < runs.length; r += 3) runs[r] += runs[r] / span * (samples - 1) * span;
        return new ConvLayout(n, channels, height, width, maps, rows, cols, groups, taps, padTop, padLeft, pitch, span, samples, runs, stride, whole);
    }

    /** Whether the image is zero-padded into a buffer first (the wide layout of a padded convolution). */
    boolean padded() { return padTop > 0 || padLeft > 0; }

    /** Whether a chunk's columns are the maps' positions one to one (narrow). */
    boolean dense() { return pitch == cols; }

    /** Rows of one group's columns, {@code Ci/groups * taps}: the inner dimension of its products. */
    int groupRows() { return channels / groups * taps; }

    /** One group's map channels, {@code Om / groups}. */
    int groupMaps() { return maps / groups; }

    /** A chunk's columns, {@code samples span}. */
    int columns() { return samples * span; }

    int chunks() { return n / samples; }

    /** Elements of one image. */
    int imageSize() { return channels * height * width; }

    /** Elements of one padded image, {@code Ci (H + 2 padTop) (W + 2 padLeft)}. */
    int paddedSize() { return channels * (height + 2 * padTop) * pitch; }

    /** Elements of one sample of the runs' source: the padded image or the image. */
    int sourceSize() { return padded() ? paddedSize() : imageSize(); }

    /** Elements of one sample's maps. */
    int mapSize() { return maps * rows * cols; }

    /** Multiply-adds of one product over the whole batch. */
    long work() { return (long) n * maps * groupRows() * span; }
}
