package dev.tapegrad.examples;

import dev.tapegrad.nn.data.DataFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;

/**
 * A text as character indices for character-level language models: the vocabulary is the sorted set of
 * the text's characters, and the text is split by position, the first {@code trainFraction} for training and
 * the rest for validation (nanoGPT's {@code shakespeare_char} split, 90 % / 10 %).
 */
record CharCorpus(char[] vocab, int[] train, int[] val) {
    static final String SHAKESPEARE_MD5 = "6fb458f1232090904fb40fe944165e91";

    /** Tiny Shakespeare's {@code input.txt} from {@code dir} (MD5 checked), its first {@code limit} characters ({@code 0}: all). */
    static CharCorpus tinyShakespeare(Path dir, int limit) {
        DataFiles.verify(dir, Map.of("input.txt", SHAKESPEARE_MD5));
        try {
            String text = Files.readString(dir.resolve("input.txt"), StandardCharsets.UTF_8);
            return of(limit > 0 && limit < text.length() ? text.substring(0, limit) : text, 0.9);
        } catch (IOException e) {
            throw new UncheckedIOException("char corpus: cannot read " + dir.resolve("input.txt"), e);
        }
    }

    static CharCorpus of(String text, double trainFraction) {
        TreeSet<Character> chars = new TreeSet<>();
        for (char c : text.toCharArray()) chars.add(c);
        char[] vocab = new char[chars.size()];
        int k = 0;
        for (char c : chars) vocab[k++] = c;
        int[] all = new int[text.length()];
        for (int i = 0; i < all.length; i++) all[i] = java.util.Arrays.binarySearch(vocab, text.charAt(i));
        int n = (int) (all.length * trainFraction);
        return new CharCorpus(vocab, java.util.Arrays.copyOfRange(all, 0, n), java.util.Arrays.copyOfRange(all, n, all.length));
    }

    int size() { return vocab.length; }

    /** The index of {@code c}, or 0 when the text has no such character. */
    int index(char c) { return Math.max(0, java.util.Arrays.binarySearch(vocab, c)); }
}
