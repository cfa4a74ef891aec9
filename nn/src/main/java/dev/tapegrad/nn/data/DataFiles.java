package dev.tapegrad.nn.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Where data sets live and whether their files are intact. The data directory of a set is, in order:
 * the system property {@code tapegrad.data} or the environment variable {@code TAPEGRAD_DATA} (a folder
 * holding one sub-folder per set), a {@code shared/data} folder beside the working directory or one of
 * its two parents (the project's {@code ../shared/data}), else {@code ~/.tapegrad/datasets} (as Keras keeps
 * {@code ~/.keras/datasets}).
 */
public final class DataFiles {
    private DataFiles() {}

    /** The directory of data set {@code set} (e.g. {@code mnist}), by the rules above. */
    public static Path dir(String set) {
        String configured = System.getProperty("tapegrad.data", System.getenv("TAPEGRAD_DATA"));
        if (configured != null && !configured.isBlank()) return Paths.get(configured).resolve(set);
        Path cwd = Paths.get("").toAbsolutePath();
        for (Path p = cwd; p != null && cwd.getNameCount() - p.getNameCount() <= 2; p = p.getParent()) {
            Path shared = p.resolveSibling("shared").resolve("data");
            if (Files.isDirectory(shared)) return shared.resolve(set);
        }
        return Paths.get(System.getProperty("user.home"), ".tapegrad", "datasets", set);
    }

    /**
     * Checks that each file of {@code md5ByName} exists in {@code dir} with that MD5; otherwise throws
     * {@link IllegalStateException} naming the directory, the file and what was expected.
     */
    public static void verify(Path dir, Map<String, String> md5ByName) {
        for (Map.Entry<String, String> e : md5ByName.entrySet()) {
            Path f = dir.resolve(e.getKey());
            if (!Files.isRegularFile(f))
                throw new IllegalStateException("data: missing file " + e.getKey() + " in " + dir.toAbsolutePath() + " (expected files: "
                        + String.join(", ", md5ByName.keySet()) + "; set -Dtapegrad.data or TAPEGRAD_DATA to the folder that holds the data sets)");
            String actual = md5(f);
            if (!actual.equalsIgnoreCase(e.getValue()))
                throw new IllegalStateException("data: corrupt file " + f.toAbsolutePath() + ": MD5 " + actual + ", expected " + e.getValue());
        }
    }

    /** The MD5 of a file, lower-case hex. */
    public static String md5(Path f) {
        try (InputStream in = Files.newInputStream(f)) {
            MessageDigest md = MessageDigest.getInstance("MD5");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException ex) {
            throw new UncheckedIOException("data: cannot read " + f.toAbsolutePath(), ex);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
