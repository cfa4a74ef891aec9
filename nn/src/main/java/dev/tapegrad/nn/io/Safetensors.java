package dev.tapegrad.nn.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tapegrad.autodiff.DType;
import dev.tapegrad.autodiff.Shape;
import dev.tapegrad.autodiff.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length {@code n}, {@code n}
 * bytes of JSON mapping each tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end]}}
 * (offsets into the data that follows; an optional {@code "__metadata__"} maps strings to strings), then
 * the little-endian values. FLOAT32 is {@code "F32"}, FLOAT64 {@code "F64"}; {@code "I64"} (PyTorch's
 * counters, such as {@code num_batches_tracked}) is read as FLOAT64 holding the integers, exact up to
 * 2^53, and written for the names given to {@link #save(Path, Map, Map, java.util.Set)}; other dtypes are
 * refused.
 *
 * <p>Writing is atomic: {@code NAME.tmp} in the same folder is written, forced to disk and renamed over
 * the target (a save interrupted by a crash leaves at most that one file, which the next save of the same
 * name replaces; two threads must not save the same file at once). The file gets the default permissions
 * (the umask's), as any file written by the process. Each tensor's bytes carry a CRC-32C checksum in the
 * metadata, under {@code crc32c.NAME} (other readers ignore metadata). Reading validates everything before
 * trusting it: the header length against the file size (and a 100 MB cap), the JSON (strictly: integral
 * shapes and offsets, nothing after the object), each dtype and shape, that each byte range matches its
 * shape, that the ranges tile the data exactly with no gap, overlap or trailing bytes, and the checksums
 * where the file has them (files written by other tools have none and still load). A file is data only;
 * nothing in it can run code.
 *
 * <p>A file is read whole into one array, so it holds at most {@link #MAX_FILE} bytes (2 GiB less 8): {@code save}
 * refuses a larger one before writing anything, {@code load} before reading (save bigger models in several files).
 */
public final class Safetensors {
    private Safetensors() {}

    static final long MAX_HEADER = 100L << 20;
    /** The largest file {@link #load} reads, in bytes: what one Java array holds ({@link Files#readAllBytes}'s limit). */
    public static final long MAX_FILE = Integer.MAX_VALUE - 8;
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** Metadata key prefix of a tensor's checksum. */
    static final String CRC = "crc32c.";

    /** The tensors (in file order of their data) and the metadata of a file. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    /** Writes {@code tensors} (FLOAT32 or FLOAT64) and string metadata to {@code file}, atomically. */
    public static void save(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) { save(file, tensors, metadata, java.util.Set.of()); }

    /**
     * As {@link #save(Path, Map, Map)}, writing the tensors named in {@code int64} as {@code I64} (their values must be
     * integers). A file larger than {@link #MAX_FILE} bytes, which {@link #load} could not read, is refused before
     * anything is allocated or written.
     */
    public static void save(Path file, Map<String, Tensor> tensors, Map<String, String> metadata, java.util.Set<String> int64) {
        Objects.requireNonNull(file, "Safetensors.save: file is null");
        Objects.requireNonNull(tensors, "Safetensors.save: tensors is null");
        Objects.requireNonNull(metadata, "Safetensors.save: metadata is null");
        Objects.requireNonNull(int64, "Safetensors.save: int64 is null");
        ObjectNode header = JSON.createObjectNode();
        ObjectNode m = header.putObject("__metadata__");
        metadata.forEach((k, v) -> {
            Objects.requireNonNull(k, "Safetensors.save: a metadata key is null");
            Objects.requireNonNull(v, () -> "Safetensors.save: metadata '" + k + "' is null");
            if (k.startsWith(CRC)) throw new IllegalArgumentException("Safetensors.save: metadata key '" + k + "' is reserved for checksums");
            m.put(k, v);
        });
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = Objects.requireNonNull(e.getKey(), "Safetensors.save: a tensor name is null");
            Tensor t = Objects.requireNonNull(e.getValue(), () -> "Safetensors.save: tensor '" + name + "' is null");
            if (name.isEmpty() || name.equals("__metadata__")) throw new IllegalArgumentException("Safetensors.save: invalid tensor name '" + name + "'");
            boolean i64 = int64.contains(name);
            long bytes = bytes(t, i64);
            ObjectNode n = header.putObject(name);
            n.put("dtype", i64 ? "I64" : t.dtype() == DType.FLOAT32 ? "F32" : "F64");
            ArrayNode shape = n.putArray("shape");
            for (int d : t.shape()) shape.add(d);
            n.putArray("data_offsets").add(offset).add(offset + bytes);
            m.put(CRC + name, "00000000");   // the checksum's place, as long as the checksum
            offset += bytes;
        }
        long size = 8 + padded(json(header).length) + offset;
        if (size > MAX_FILE)
            throw new IllegalArgumentException("Safetensors.save: " + file.toAbsolutePath() + " would hold " + size + " bytes, more than the " + MAX_FILE
                    + " Safetensors.load reads (one Java array); save the tensors in several files");
        List<ByteBuffer> payloads = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            ByteBuffer b = ByteBuffer.allocate((int) bytes(t, int64.contains(e.getKey()))).order(ByteOrder.LITTLE_ENDIAN);
            if (int64.contains(e.getKey())) {
                for (double v : t.toDoubleArray()) {
                    if (v != Math.rint(v) || Math.abs(v) > 0x1p53)
                        throw new IllegalArgumentException("Safetensors.save: tensor '" + e.getKey() + "' is to be written as I64 but holds " + v);
                    b.putLong((long) v);
                }
                b.flip();
            } else if (t.dtype() == DType.FLOAT32) b.asFloatBuffer().put(t.toFloatArray());
            else b.asDoubleBuffer().put(t.toDoubleArray());
            m.put(CRC + e.getKey(), crc(b));
            payloads.add(b);
        }
        byte[] json = json(header);
        ByteBuffer head = ByteBuffer.allocate(8 + padded(json.length)).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded(json.length)).put(json);
        while (head.hasRemaining()) head.put((byte) ' ');
        head.flip();
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                while (head.hasRemaining()) ch.write(head);
                for (ByteBuffer b : payloads) while (b.hasRemaining()) ch.write(b);
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException ex) {
            throw new UncheckedIOException("Safetensors.save: cannot write " + file.toAbsolutePath(), ex);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the rename succeeded or the write failed already; nothing more to do
            }
        }
    }

    /** The bytes of {@code t} in the file: 4 per FLOAT32 value, 8 per FLOAT64 or I64 one. */
    private static long bytes(Tensor t, boolean i64) { return (long) t.numel() * (t.dtype() == DType.FLOAT32 && !i64 ? 4 : 8); }

    private static byte[] json(ObjectNode header) {
        try {
            return JSON.writeValueAsBytes(header);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The header's length padded to a multiple of 8 bytes, as the safetensors library writes it. */
    private static int padded(int json) { return (json + 7) / 8 * 8; }

    /** The CRC-32C of the bytes of {@code b} (its position is left unchanged), as 8 hex digits. */
    private static String crc(ByteBuffer b) {
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        c.update(b.duplicate().rewind());
        return String.format("%08x", c.getValue());
    }

    public static void save(Path file, Map<String, Tensor> tensors) { save(file, tensors, Map.of()); }

    /** Reads and validates {@code file}; throws {@link IllegalArgumentException} naming the file and the defect. */
    public static Contents load(Path file) {
        Objects.requireNonNull(file, "Safetensors.load: file is null");
        byte[] all;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE)
                throw new IllegalArgumentException("Safetensors.load: " + file.toAbsolutePath() + ": " + size + " bytes, more than the " + MAX_FILE
                        + " it reads (one Java array)");
            all = Files.readAllBytes(file);
        } catch (IOException ex) {
            throw new UncheckedIOException("Safetensors.load: cannot read " + file.toAbsolutePath(), ex);
        }
        String where = "Safetensors.load: " + file.toAbsolutePath() + ": ";
        if (all.length < 8) throw new IllegalArgumentException(where + "truncated: " + all.length + " bytes, less than the 8-byte header length");
        long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 2 || n > MAX_HEADER || n > all.length - 8L)
            throw new IllegalArgumentException(where + "header length " + n + " is invalid for a file of " + all.length + " bytes");
        JsonNode header;
        try {
            header = JSON.readTree(new String(all, 8, (int) n, StandardCharsets.UTF_8));
        } catch (JsonProcessingException ex) {
            throw new IllegalArgumentException(where + "the header is not valid JSON: " + ex.getOriginalMessage());
        }
        if (header == null || !header.isObject()) throw new IllegalArgumentException(where + "the header is not a JSON object");
        long dataStart = 8 + n, dataLength = all.length - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        record Entry(String name, DType dtype, boolean i64, int[] shape, long begin, long end) {}
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String name = f.getKey();
            JsonNode v = f.getValue();
            if (name.equals("__metadata__")) {
                if (!v.isObject()) throw new IllegalArgumentException(where + "__metadata__ is not an object");
                v.fields().forEachRemaining(m -> {
                    if (!m.getValue().isTextual()) throw new IllegalArgumentException(where + "metadata '" + m.getKey() + "' is not a string");
                    metadata.put(m.getKey(), m.getValue().asText());
                });
                continue;
            }
            if (name.isEmpty()) throw new IllegalArgumentException(where + "a tensor has the empty name");
            JsonNode dt = v.get("dtype"), sh = v.get("shape"), off = v.get("data_offsets");
            if (!v.isObject() || dt == null || !dt.isTextual() || sh == null || !sh.isArray() || off == null || !off.isArray() || off.size() != 2)
                throw new IllegalArgumentException(where + "tensor '" + name + "' needs a string dtype, a shape array and two data_offsets");
            boolean i64 = dt.asText().equals("I64");
            DType dtype = switch (dt.asText()) {
                case "F32" -> DType.FLOAT32;
                case "F64", "I64" -> DType.FLOAT64;
                default -> throw new IllegalArgumentException(where + "tensor '" + name + "' has dtype " + dt.asText() + "; tapegrad reads F32, F64 and I64");
            };
            int[] shape = new int[sh.size()];
            long count = 1;
            for (int i = 0; i < shape.length; i++) {
                JsonNode d = sh.get(i);
                if (!d.isIntegralNumber() || !d.canConvertToInt() || d.asInt() < 0) throw new IllegalArgumentException(where + "tensor '" + name + "' has an invalid shape " + sh);
                shape[i] = d.asInt();
                count *= shape[i];
                if (count > Integer.MAX_VALUE) throw new IllegalArgumentException(where + "tensor '" + name + "' is too large: shape " + sh);
            }
            JsonNode b0 = off.get(0), b1 = off.get(1);
            if (!b0.isIntegralNumber() || !b1.isIntegralNumber() || !b0.canConvertToLong() || !b1.canConvertToLong() || b0.asLong() < 0 || b1.asLong() < b0.asLong() || b1.asLong() > dataLength)
                throw new IllegalArgumentException(where + "tensor '" + name + "' has data_offsets " + off + " outside the " + dataLength + " data bytes");
            long size = count * (dtype == DType.FLOAT32 ? 4 : 8);
            if (b1.asLong() - b0.asLong() != size)
                throw new IllegalArgumentException(where + "tensor '" + name + "' of " + dt.asText() + " " + Shape.str(shape) + " needs " + size
                        + " bytes but data_offsets " + off + " hold " + (b1.asLong() - b0.asLong()));
            entries.add(new Entry(name, dtype, i64, shape, b0.asLong(), b1.asLong()));
        }
        entries.sort(java.util.Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        for (Entry e : entries) {
            if (e.begin() != expected)
                throw new IllegalArgumentException(where + "tensor '" + e.name() + "' starts at byte " + e.begin() + " but the previous data ends at "
                        + expected + " (gap or overlap)");
            expected = e.end();
        }
        if (expected != dataLength)
            throw new IllegalArgumentException(where + "the tensors cover " + expected + " data bytes but the file holds " + dataLength);
        ByteBuffer data = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        boolean checked = metadata.keySet().stream().anyMatch(k -> k.startsWith(CRC));
        for (String k : metadata.keySet())
            if (k.startsWith(CRC) && entries.stream().noneMatch(e -> e.name().equals(k.substring(CRC.length()))))
                throw new IllegalArgumentException(where + "checksum '" + k + "' names no tensor (corrupt header)");
        for (Entry e : entries) {
            int count = Shape.size(e.shape());
            ByteBuffer slice = data.slice((int) (dataStart + e.begin()), (int) (e.end() - e.begin())).order(ByteOrder.LITTLE_ENDIAN);
            if (checked) {
                String want = metadata.get(CRC + e.name()), got = crc(slice);
                if (want == null) throw new IllegalArgumentException(where + "tensor '" + e.name() + "' has no checksum though the file's others do (corrupt header)");
                if (!want.equals(got))
                    throw new IllegalArgumentException(where + "tensor '" + e.name() + "' is corrupt: its bytes have CRC-32C " + got + ", the file says " + want);
            }
            if (e.i64()) {
                double[] v = new double[count];
                for (int i = 0; i < count; i++) {
                    long x = slice.getLong(8 * i);
                    if (Math.abs(x) > (1L << 53))
                        throw new IllegalArgumentException(where + "tensor '" + e.name() + "' holds the I64 value " + x + ", beyond what FLOAT64 holds exactly");
                    v[i] = x;
                }
                tensors.put(e.name(), Tensor.of(v, count).reshape(e.shape()));
            } else if (e.dtype() == DType.FLOAT32) {
                float[] v = new float[count];
                slice.asFloatBuffer().get(v);
                tensors.put(e.name(), Tensor.of(v, count).reshape(e.shape()));
            } else {
                double[] v = new double[count];
                slice.asDoubleBuffer().get(v);
                tensors.put(e.name(), Tensor.of(v, count).reshape(e.shape()));
            }
        }
        metadata.keySet().removeIf(k -> k.startsWith(CRC));
        return new Contents(tensors, metadata);
    }
}
