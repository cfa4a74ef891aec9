package dev.tapegrad.nn.data;

import dev.tapegrad.autodiff.kernel.Settings;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST, gzip-compressed or raw (detected from the first bytes):
 * a big-endian header {@code 0, 0, type, rank}, {@code rank} 32-bit dimensions, then the values. All value
 * types are read (unsigned byte 0x08, signed byte 0x09, short 0x0B, int 0x0C, float 0x0D, double 0x0E).
 * Exactly the values the header declares are read, and a few bytes more to refuse trailing data, so a small
 * file that inflates to gigabytes (a gzip bomb) costs no more than its header declares.
 */
public final class Idx {
    private Idx() {}

    /** An IDX array: its shape and its values as floats. */
    public record Array(int[] shape, float[] values) {}

    public static Array read(Path file) {
        java.util.Objects.requireNonNull(file, "Idx.read: file is null");
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            boolean gz = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            DataInputStream in = new DataInputStream(new BufferedInputStream(gz ? new GZIPInputStream(raw) : raw));
            int zero = in.readUnsignedShort(), type = in.readUnsignedByte(), rank = in.readUnsignedByte();
            if (zero != 0) throw bad(file, "does not start with the IDX magic 0x0000");
            int[] shape = new int[rank];
            long n = 1;
            for (int i = 0; i < rank; i++) {
                shape[i] = in.readInt();
                if (shape[i] < 0) throw bad(file, "has a negative dimension " + shape[i]);
                n *= shape[i];
                if (n > Integer.MAX_VALUE) throw bad(file, "has a header claiming more than 2^31-1 values (dimensions " + (i + 1) + " of " + rank + " so far: "
                        + java.util.Arrays.toString(java.util.Arrays.copyOf(shape, i + 1)) + ")");
            }
            if (n > Settings.MAX_ELEMENTS) throw bad(file, "claims " + n + " values, more than the " + Settings.MAX_ELEMENTS + " one tensor may hold");
            int size = switch (type) {
                case 0x08, 0x09 -> 1;
                case 0x0B -> 2;
                case 0x0C, 0x0D -> 4;
                case 0x0E -> 8;
                default -> throw bad(file, "has unknown value type 0x" + Integer.toHexString(type));
            };
            float[] v = new float[(int) Math.min(n, 1 << 20)];   // grown as the values arrive: a short file claiming many allocates little
            byte[] chunk = new byte[size << 13];
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(chunk);
            for (int i = 0; i < n; ) {
                int k = (int) Math.min(n - i, 1 << 13), got = in.readNBytes(chunk, 0, k * size);
                if (got < k * size) throw bad(file, "is truncated: " + ((long) i * size + got) + " bytes of values, expected " + n * size);
                if (i + k > v.length) v = java.util.Arrays.copyOf(v, (int) Math.min(n, 2L * v.length));
                for (int j = 0; j < k; j++, i++) {
                    v[i] = switch (type) {
                        case 0x08 -> chunk[j] & 0xff;
                        case 0x09 -> chunk[j];
                        case 0x0B -> buf.getShort(2 * j);
                        case 0x0C -> buf.getInt(4 * j);
                        case 0x0D -> buf.getFloat(4 * j);
                        default -> (float) buf.getDouble(8 * j);
                    };
                }
            }
            int extra = in.readNBytes(chunk, 0, chunk.length);   // no further: a gzip bomb's zeros are never inflated
            if (extra > 0) throw bad(file, "has " + (extra < chunk.length ? "" : "at least ") + extra + " bytes after its " + n + " values");
            return new Array(shape, v);
        } catch (EOFException e) {
            throw bad(file, "is truncated");
        } catch (IOException e) {
            throw new UncheckedIOException("Idx: cannot read " + file.toAbsolutePath(), e);
        }
    }

    private static IllegalStateException bad(Path file, String what) {
        return new IllegalStateException("Idx: " + file.toAbsolutePath() + " " + what);
    }
}
