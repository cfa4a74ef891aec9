package dev.tapegrad.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autodiff.DType;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.BatchNorm1d;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.Sequential;
import dev.tapegrad.optim.Adam;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The safetensors reader and writer: round trips, the byte layout of the spec, and hostile files. */
class SafetensorsTest {
    @TempDir
    Path dir;

    /** A file laid out by hand as the safetensors library writes it: header length, JSON, little-endian data. */
    static byte[] file(String json, byte[] data) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h).put(data).array();
    }

    static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return b.array();
    }

    @Test
    void readsAFileWrittenToTheSpec() throws IOException {
        String json = "{\"__metadata__\":{\"format\":\"pt\"},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[12,20]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}}";
        Path f = dir.resolve("spec.safetensors");
        Files.write(f, file(json, floats(1, 2, 3, 4.5f, -5)));
        Safetensors.Contents c = Safetensors.load(f);
        assertEquals(Map.of("format", "pt"), c.metadata());
        assertArrayEquals(new float[] {1, 2, 3}, c.tensors().get("a").toFloatArray());
        assertArrayEquals(new float[] {4.5f, -5}, c.tensors().get("b").toFloatArray());
    }

    @Test
    void writesTheSpecsLayout() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("w", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        t.put("s", Tensor.scalar(0.25));
        Path f = dir.resolve("out.safetensors");
        Safetensors.save(f, t, Map.of("k", "v"));
        byte[] b = Files.readAllBytes(f);
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long n = buf.getLong();
        assertEquals(0, n % 8, "header padded to 8 bytes");
        String header = new String(b, 8, (int) n, StandardCharsets.UTF_8).strip();
        // The CRC-32C values were computed independently (a bitwise Castagnoli CRC in Python over the same bytes).
        assertEquals("{\"__metadata__\":{\"k\":\"v\",\"crc32c.w\":\"805104b9\",\"crc32c.s\":\"d9c90a63\"},\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
                + "\"s\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[24,32]}}", header);
        assertEquals(Map.of("k", "v"), Safetensors.load(f).metadata(), "checksums are not user metadata");
        assertEquals(8 + n + 32, b.length);
        assertEquals(1f, buf.getFloat((int) (8 + n)));
        assertEquals(0.25, buf.getDouble((int) (8 + n + 24)));
        Safetensors.Contents c = Safetensors.load(f);
        assertArrayEquals(new int[] {2, 3}, c.tensors().get("w").shape());
        assertEquals(DType.FLOAT64, c.tensors().get("s").dtype());
        assertArrayEquals(new int[] {}, c.tensors().get("s").shape());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void modelAndOptimizerRoundTrip() {
        Sequential a = new Sequential(new Linear(3, 4, new Random(1)), new BatchNorm1d(4));
        Adam opt = new Adam(a.parameters(), 0.01);
        Path f = dir.resolve("ckpt.safetensors");
        dev.tapegrad.nn.train.TrainingCheckpoint.save(f, a, opt);
        Sequential b = new Sequential(new Linear(3, 4, new Random(2)), new BatchNorm1d(4));
        Adam optB = new Adam(b.parameters(), 0.5);
        dev.tapegrad.nn.train.TrainingCheckpoint.load(f, b, optB);
        assertEquals(0.01, optB.lr(), 0);
        a.stateDict().forEach((k, v) -> assertArrayEquals(v.toFloatArray(), b.stateDict().get(k).toFloatArray(), k));
        Path m = dir.resolve("model.safetensors");
        Checkpoints.saveModel(m, a);
        assertTrue(Safetensors.load(m).tensors().containsKey("0.weight"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoints.loadModel(m, new Sequential(new Linear(3, 5, new Random(1)), new BatchNorm1d(5))));
        assertTrue(e.getMessage().contains("shape mismatch for '0.weight'"), e.getMessage());
    }

    private void rejects(byte[] content, String... mustMention) throws IOException {
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, content);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Safetensors.load(f));
        for (String m : mustMention) assertTrue(e.getMessage().contains(m), () -> "'" + e.getMessage() + "' lacks '" + m + "'");
        assertTrue(e.getMessage().contains("bad.safetensors"));
    }

    @Test
    void rejectsTruncatedCorruptAndHostileFiles() throws IOException {
        String ok = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        byte[] good = file(ok, floats(1, 2));
        rejects(new byte[] {1, 2, 3}, "truncated");
        rejects(java.util.Arrays.copyOf(good, good.length - 1), "data_offsets [0,8] outside the 7 data bytes");
        rejects(java.util.Arrays.copyOf(good, good.length + 3), "cover 8 data bytes but the file holds 11");
        rejects(java.util.Arrays.copyOf(good, 20), "header length");
        byte[] huge = good.clone();
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(0, Long.MAX_VALUE);
        rejects(huge, "header length");
        rejects(file("{\"a\":", floats()), "not valid JSON");
        rejects(file("[1,2]", floats()), "not a JSON object");
        rejects(file("{\"a\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", floats(1, 2)), "I64 value 4611686019492741120", "exactly");
        rejects(file("{\"a\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", floats(1)), "dtype BF16");
        rejects(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", floats(1, 2)), "needs 12 bytes");
        rejects(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", floats(1, 2)), "invalid shape");
        rejects(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                floats(1, 2)), "gap or overlap");
        rejects(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", floats(1, 2)), "starts at byte 4");
        rejects(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
                floats(1, 2)), "not valid JSON");
        rejects(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[65536,65536],\"data_offsets\":[0,8]}}", floats(1, 2)), "too large");
        rejects(file("{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", floats(1, 2)), "needs a string dtype");
        rejects(file("{\"__metadata__\":{\"k\":1}}", floats()), "not a string");
    }

    @Test
    void aFailedWriteLeavesTheOldFileIntact() throws IOException {
        Path f = dir.resolve("keep.safetensors");
        Safetensors.save(f, Map.of("a", Tensor.ones(2)));
        byte[] before = Files.readAllBytes(f);
        assertThrows(IllegalArgumentException.class, () -> Safetensors.save(f, Map.of("", Tensor.ones(3))));
        assertArrayEquals(before, Files.readAllBytes(f));
        assertFalse(Files.exists(dir.resolve("keep.safetensors.tmp")));
    }

    @Test
    void aFileTooLargeToLoadIsRefusedBySaveAndByLoad() throws IOException {
        Tensor gib = Tensor.zeros(1 << 28);   // 1 GiB of FLOAT32
        Map<String, Tensor> two = new LinkedHashMap<>();
        two.put("a", gib);
        two.put("b", gib);
        Path f = dir.resolve("big.safetensors");
        // were: a file of 2,147,483,872 bytes that load could not read (OutOfMemoryError), and "capacity < 0" (8 bytes a value overflowed an int)
        Map<String, Runnable> saves = Map.of("2147483872", () -> Safetensors.save(f, two), "2147483768", () -> Safetensors.save(f, Map.of("c", gib), Map.of(), java.util.Set.of("c")));
        saves.forEach((bytes, save) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, save::run);
            assertTrue(e.getMessage().startsWith("Safetensors.save: ") && e.getMessage().contains("big.safetensors would hold " + bytes + " bytes, more than the 2147483639"), e.getMessage());
        });
        assertFalse(Files.exists(f));
        try (java.io.RandomAccessFile sparse = new java.io.RandomAccessFile(f.toFile(), "rw")) {
            sparse.setLength(3L << 30);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Safetensors.load(f));   // was: OutOfMemoryError
        assertTrue(e.getMessage().contains("big.safetensors: 3221225472 bytes, more than the 2147483639"), e.getMessage());
    }

    @Test
    void nullsAreNamedAndAnEmptyNameIsRefusedOnLoadToo() throws IOException {
        Path f = dir.resolve("n.safetensors");
        Map<String, String> nullValue = new java.util.HashMap<>(), nullKey = new java.util.HashMap<>();
        nullValue.put("k", null);
        nullKey.put(null, "v");
        Map<String, Tensor> nullTensor = new java.util.HashMap<>(), nullName = new java.util.HashMap<>();
        nullTensor.put("t", null);
        nullName.put(null, Tensor.ones(1));
        Map<String, org.junit.jupiter.api.function.Executable> calls = new LinkedHashMap<>();
        calls.put("Safetensors.load: file is null", () -> Safetensors.load(null));
        calls.put("Safetensors.save: file is null", () -> Safetensors.save(null, Map.of()));
        calls.put("Safetensors.save: tensors is null", () -> Safetensors.save(f, null));
        calls.put("Safetensors.save: metadata is null", () -> Safetensors.save(f, Map.of(), null));
        calls.put("Safetensors.save: tensor 't' is null", () -> Safetensors.save(f, nullTensor));
        calls.put("Safetensors.save: a tensor name is null", () -> Safetensors.save(f, nullName));
        calls.put("Safetensors.save: metadata 'k' is null", () -> Safetensors.save(f, Map.of(), nullValue));   // was: written, then refused by load
        calls.put("Safetensors.save: a metadata key is null", () -> Safetensors.save(f, Map.of(), nullKey));
        calls.forEach((message, call) -> assertEquals(message, assertThrows(NullPointerException.class, call).getMessage()));
        assertFalse(Files.exists(f));
        rejects(file("{\"\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", floats(1)), "a tensor has the empty name");   // save refuses it; load read it
    }

    @Test
    void everyFlippedBitInTheDataIsDetectedAndNamesTheTensor() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("a", Tensor.randn(new java.util.Random(1), 3, 5));
        t.put("b", Tensor.randn(new java.util.Random(2), DType.FLOAT64, 4));
        Path f = dir.resolve("m.safetensors");
        Safetensors.save(f, t);
        byte[] good = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getLong();
        for (int bit = 0; bit < 8 * (good.length - 8 - (int) n); bit++) {
            byte[] bad = good.clone();
            int at = 8 + (int) n + bit / 8;
            bad[at] ^= (byte) (1 << (bit % 8));
            Path g = dir.resolve("flipped.safetensors");
            Files.write(g, bad);
            String tensor = at - 8 - n < 60 ? "'a'" : "'b'";
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Safetensors.load(g), "bit " + bit);
            assertTrue(e.getMessage().contains("flipped.safetensors") && e.getMessage().contains(tensor) && e.getMessage().contains("corrupt"), e.getMessage());
        }
    }

    @Test
    void filesWithoutChecksumsStillLoadAndTheHeaderIsReadStrictly() throws IOException {
        assertEquals(2.0, Safetensors.load(file("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4)).tensors().get("x").item(), 0);
        for (String header : new String[] {
                "{\"x\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}",
                "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0.0,4]}}",
                "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}} {}"}) {
            Path f = file(header, 4);
            assertThrows(IllegalArgumentException.class, () -> Safetensors.load(f), header);
        }
    }

    /** A file with {@code header} and {@code bytes} bytes of data, each float 2.0. */
    private Path file(String header, int bytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        while (b.hasRemaining()) b.putFloat(2f);
        Path f = Files.createTempFile(dir, "hand", ".safetensors");
        Files.write(f, b.array());
        return f;
    }

    /** A PyTorch state dict with batch norm (made by nn/tools/fixtures/batchnorm_state.py): its int64 num_batches_tracked loads, and is written back as I64. */
    @Test
    void pyTorchBatchNormStateDictsLoadAndSaveBack() throws Exception {
        Path fixture = Path.of(getClass().getResource("/batchnorm-pytorch.safetensors").toURI());
        Sequential net = new Sequential(new Linear(3, 4, new java.util.Random(1)), new BatchNorm1d(4));
        Checkpoints.loadModel(fixture, net);
        assertEquals(3, net.stateDict().get("1.num_batches_tracked").item(), 0);
        net.train();
        net.forward(Tensor.randn(new java.util.Random(2), 5, 3));
        assertEquals(4, net.stateDict().get("1.num_batches_tracked").item(), 0);
        Path ours = dir.resolve("ours.safetensors");
        Checkpoints.saveModel(ours, net);
        String header = new String(Files.readAllBytes(ours), StandardCharsets.UTF_8);
        assertTrue(header.contains("\"1.num_batches_tracked\":{\"dtype\":\"I64\",\"shape\":[]"), header.substring(0, 300));
        Sequential back = new Sequential(new Linear(3, 4, new java.util.Random(3)), new BatchNorm1d(4));
        Checkpoints.loadModel(ours, back);
        assertEquals(4, back.stateDict().get("1.num_batches_tracked").item(), 0);
        // An older file without the counter still loads, the counter starting at 0 (as PyTorch does).
        Map<String, Tensor> old = new LinkedHashMap<>(net.stateDict());
        old.remove("1.num_batches_tracked");
        back.loadStateDict(old);
        assertEquals(0, back.stateDict().get("1.num_batches_tracked").item(), 0);
        // A counter of 1.5 in an F32 file is refused on load (was: loaded, then refused by the next saveModel).
        Map<String, Tensor> fractional = new LinkedHashMap<>(net.stateDict());
        fractional.put("1.num_batches_tracked", Tensor.scalar(DType.FLOAT32, 1.5));
        Path f32 = dir.resolve("f32.safetensors");
        Safetensors.save(f32, fractional);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoints.loadModel(f32, back));
        assertTrue(e.getMessage().contains("counter '1.num_batches_tracked' holds 1.5"), e.getMessage());
    }
}
