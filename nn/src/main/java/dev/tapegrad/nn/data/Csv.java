package dev.tapegrad.nn.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads simple comma-separated files (no quoting), skipping blank lines. */
public final class Csv {
    private Csv() {}

    /** The rows of {@code file}, each split at commas and trimmed; every row must have the same number of fields. */
    public static List<String[]> read(Path file) {
        List<String[]> rows = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Csv: cannot read " + file.toAbsolutePath(), e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) continue;
            String[] f = line.split(",", -1);
            for (int j = 0; j < f.length; j++) f[j] = f[j].strip();
            if (!rows.isEmpty() && f.length != rows.get(0).length)
                throw new IllegalStateException("Csv: " + file.toAbsolutePath() + " line " + (i + 1) + " has " + f.length + " fields, expected "
                        + rows.get(0).length);
            rows.add(f);
        }
        return rows;
    }

    /** Parses a numeric field, naming the file, row and column on failure. */
    static float number(Path file, int row, int col, String s) {
        try {
            return Float.parseFloat(s);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("Csv: " + file.toAbsolutePath() + " row " + (row + 1) + " column " + (col + 1) + " is not a number: '" + s + "'");
        }
    }
}
