package dev.tapegrad.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autodiff.DType;
import dev.tapegrad.autodiff.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readers on small files made here, loaders' checks, batching and shuffling. */
class DataTest {
    @TempDir
    Path dir;

    /** An IDX file of unsigned bytes with the given shape. */
    static byte[] idx(int[] shape, byte[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * shape.length + values.length);
        b.put((byte) 0).put((byte) 0).put((byte) 0x08).put((byte) shape.length);
        for (int d : shape) b.putInt(d);
        return b.put(values).array();
    }

    static void gzip(Path f, byte[] content) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write(content);
        }
    }

    @Test
    void readsIdxGzippedAndRaw() throws IOException {
        byte[] images = new byte[2 * 2 * 3];
        for (int i = 0; i < images.length; i++) images[i] = (byte) (i * 20);
        images[5] = (byte) 255;
        gzip(dir.resolve("im.gz"), idx(new int[] {2, 2, 3}, images));
        Files.write(dir.resolve("lb.raw"), idx(new int[] {2}, new byte[] {7, 3}));
        TensorDataset d = Datasets.fromIdx(dir.resolve("im.gz"), dir.resolve("lb.raw"), true);
        assertArrayEquals(new int[] {2, 6}, d.inputs().shape());
        assertEquals(DType.FLOAT32, d.inputs().dtype());
        assertEquals(1.0, d.inputs().get(0, 5), 0);
        assertEquals(20 / 255.0, d.inputs().get(0, 1), 1e-7);
        assertArrayEquals(new float[] {7, 3}, d.targets().toFloatArray());
        assertArrayEquals(new int[] {2, 1, 2, 3}, Datasets.fromIdx(dir.resolve("im.gz"), dir.resolve("lb.raw"), false).inputs().shape());
    }

    @Test
    void badIdxFilesAreNamedWithTheirDefect() throws IOException {
        byte[] good = idx(new int[] {4}, new byte[] {1, 2, 3, 4});
        Files.write(dir.resolve("short"), java.util.Arrays.copyOf(good, good.length - 1));
        Files.write(dir.resolve("long"), java.util.Arrays.copyOf(good, good.length + 2));
        byte[] magic = good.clone();
        magic[0] = 9;
        Files.write(dir.resolve("magic"), magic);
        byte[] type = good.clone();
        type[2] = 0x07;
        Files.write(dir.resolve("type"), type);
        assertMessage(() -> Idx.read(dir.resolve("short")), "short", "truncated");
        assertMessage(() -> Idx.read(dir.resolve("long")), "long", "2 bytes after");
        assertMessage(() -> Idx.read(dir.resolve("magic")), "magic", "IDX magic");
        assertMessage(() -> Idx.read(dir.resolve("type")), "type", "0x7");
        // A 20-byte file whose header claims [65536, 65536, 65536, 65536]: the product overflows a long, refused from the header.
        java.nio.ByteBuffer huge = java.nio.ByteBuffer.allocate(20).putInt(0x0804);
        for (int i = 0; i < 4; i++) huge.putInt(65536);
        Files.write(dir.resolve("huge"), huge.array());
        assertMessage(() -> Idx.read(dir.resolve("huge")), "huge", "more than 2^31-1 values", "[65536, 65536]");
    }

    @Test
    void aGzipBombIsReadNoFurtherThanItsHeaderDeclares() throws IOException {
        // 1 unsigned byte declared, then 3 GiB of zeros in 48 gzip members of 64 MiB (a 3 MB file): was an OutOfMemoryError
        java.io.ByteArrayOutputStream zeros = new java.io.ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(zeros)) {
            out.write(new byte[64 << 20]);
        }
        Path f = dir.resolve("bomb.gz");
        gzip(f, idx(new int[] {1}, new byte[] {7}));
        for (int i = 0; i < 48; i++) Files.write(f, zeros.toByteArray(), java.nio.file.StandardOpenOption.APPEND);
        assertMessage(() -> Idx.read(f), "bomb.gz", "has at least 8192 bytes after its 1 values");
        // a 12-byte file claiming 2^30 values is refused as truncated
        Files.write(dir.resolve("claims"), idx(new int[] {1 << 30}, new byte[] {1, 2, 3}));
        assertMessage(() -> Idx.read(dir.resolve("claims")), "claims", "truncated: 3 bytes of values, expected 1073741824");
        NullPointerException e = assertThrows(NullPointerException.class, () -> Idx.read(null));
        assertEquals("Idx.read: file is null", e.getMessage());
    }

    @Test
    void labelsMustBeClassIndices() throws IOException {
        Files.write(dir.resolve("im"), idx(new int[] {2, 1, 1}, new byte[] {1, 2}));
        for (float bad : new float[] {0.5f, Float.NaN, -1}) {
            ByteBuffer b = ByteBuffer.allocate(16).put(new byte[] {0, 0, 0x0D, 1}).putInt(2).putFloat(3).putFloat(bad);   // float labels
            Files.write(dir.resolve("lb"), b.array());
            assertMessage(() -> Datasets.fromIdx(dir.resolve("im"), dir.resolve("lb"), true), "Datasets: labels", "hold " + bad + " at position 1", "not a class index");
        }
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable e, String... parts) {
        RuntimeException ex = assertThrows(RuntimeException.class, e);
        for (String p : parts) assertTrue(ex.getMessage().contains(p), () -> "'" + ex.getMessage() + "' lacks '" + p + "'");
    }

    @Test
    void loadersVerifyChecksumsAndNameTheMissingOrCorruptFile() throws IOException {
        assertMessage(() -> Datasets.mnist(dir, true, true), dir.toString(), "missing file train-images-idx3-ubyte.gz");
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), new byte[] {1, 2, 3});
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), new byte[] {1});
        assertMessage(() -> Datasets.mnist(dir, true, true), "corrupt file", "train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873");
        assertEquals("d41d8cd98f00b204e9800998ecf8427e", DataFiles.md5(Files.write(dir.resolve("empty"), new byte[0])));
    }

    @Test
    void theSharedIrisAndOptdigitsLoadWhenPresent() {
        Path iris = DataFiles.dir("iris");
        if (!Files.isDirectory(iris)) return;   // the project's ../shared/data is not beside this checkout
        TensorDataset d = Datasets.iris(iris);
        assertArrayEquals(new int[] {150, 4}, d.inputs().shape());
        assertEquals(3, d.targets().max().item() + 1, 0);
        TensorDataset o = Datasets.optdigits(DataFiles.dir("optdigits"), false);
        assertArrayEquals(new int[] {1797, 64}, o.inputs().shape());
        assertTrue(o.inputs().max().item() <= 1);
    }

    @Test
    void csvRowsMustAgree() throws IOException {
        Files.writeString(dir.resolve("a.csv"), "1,2,3\n\n4, 5 ,6\n7,8\n");
        assertMessage(() -> Csv.read(dir.resolve("a.csv")), "a.csv", "line 4", "2 fields, expected 3");
    }

    @Test
    void loaderBatchesShufflesBySeedAndDropsLast() {
        TensorDataset d = new TensorDataset(Tensor.arange(10).reshape(10, 1), Tensor.arange(10));
        List<Integer> sizes = new ArrayList<>();
        for (DataLoader.Batch b : new DataLoader(d, 4)) sizes.add(b.size());
        assertEquals(List.of(4, 4, 2), sizes);
        assertEquals(2, new DataLoader(d, 4, new Random(1), true).batches());
        List<Float> a = order(new DataLoader(d, 3, new Random(5), false)), b = order(new DataLoader(d, 3, new Random(5), false));
        assertEquals(a, b);
        assertEquals(10, new java.util.HashSet<>(a).size());
        DataLoader epochs = new DataLoader(d, 10, new Random(5), false);
        assertTrue(!order(epochs).equals(order(epochs)), "each epoch reshuffles");
        assertMessage(() -> new TensorDataset(Tensor.zeros(3, 2), Tensor.zeros(4)), "TensorDataset", "[3, 2]", "[4]");
    }

    private static List<Float> order(DataLoader l) {
        List<Float> out = new ArrayList<>();
        for (DataLoader.Batch b : l) for (float v : b.targets().toFloatArray()) out.add(v);
        return out;
    }

    @Test
    void standardizerCentersAndScales() {
        Tensor x = Tensor.of(new double[] {1, 10, 3, 10, 5, 10}, 3, 2);
        Tensor z = Standardizer.fit(x).apply(x);
        assertArrayEquals(new double[] {0, 0}, z.mean(0, false).toDoubleArray(), 1e-12);
        assertEquals(1, z.var(0, false, false).get(0), 1e-12);
        assertEquals(0, z.get(0, 1), 0);
        assertTrue(Map.of().isEmpty());
    }
}
