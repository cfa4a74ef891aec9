package dev.tapegrad.examples;

import static dev.tapegrad.examples.ExamplesSmokeTest.assumeData;
import static dev.tapegrad.examples.ExamplesSmokeTest.run;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The Transformer examples on a small budget: their loss falls, they write their pictures and print their RESULT line. */
class TransformerExamplesTest {
    @TempDir
    Path out;

    @Test
    void charTransformerLearnsOnASliceAndDrawsOneHead() throws Exception {
        assumeData("tinyshakespeare");
        String[] small = {"--limit", "30000", "--iters", "60", "--eval-interval", "30", "--eval-iters", "2", "--layers", "2", "--heads", "2",
                "--embd", "32", "--block-size", "16", "--batch-size", "8", "--warmup", "10", "--sample-chars", "40", "--out", out.toString()};
        CharTransformer c = new CharTransformer();
        new CommandLine(c).parseArgs(small);
        CharTransformer.Result r = c.run();
        double[] val = r.curves().get("val loss");
        assertTrue(val[val.length - 1] < val[0] - 0.3, () -> java.util.Arrays.toString(val));
        for (String f : new String[] {"loss.png", "attention.png", "samples.txt"}) assertTrue(Files.exists(out.resolve(f)), f);
        assertTrue(Files.readString(out.resolve("samples.txt")).length() >= 40);
        assertTrue(run(new CharTransformer(), small).contains("RESULT char-transformer val_loss="));
    }

    @Test
    void charTransformerRefusesWindowsItCannotReplay() throws Exception {
        assumeData("tinyshakespeare");
        int[] data = new int[100];
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CharTransformer.Batch.at(data, new int[] {3, 90}, 16));
        assertTrue(e.getMessage().contains("window start 90 outside the 100 training characters"), e.getMessage());
        Path windows = out.resolve("windows.safetensors");
        dev.tapegrad.nn.io.Safetensors.save(windows, java.util.Map.of("windows", dev.tapegrad.autodiff.Tensor.zeros(5, 3)));
        CharTransformer c = new CharTransformer();
        new CommandLine(c).parseArgs("--limit", "30000", "--iters", "10", "--batch-size", "8", "--windows", windows.toString(), "--out", out.toString());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, c::run);
        assertTrue(e.getMessage().contains("must hold a tensor 'windows' of shape [>= 10, 8], got [5, 3]"), e.getMessage());
    }

    @Test
    void seq2seqTransformerLearnsToReverseShortSequences() throws Exception {
        String[] small = {"--steps", "150", "--test", "40", "--max-digits", "5", "--d-model", "32", "--batch-size", "32", "--out", out.toString()};
        Seq2SeqTransformer s = new Seq2SeqTransformer();
        new CommandLine(s).parseArgs(small);
        Seq2SeqTransformer.Result r = s.run();
        assertTrue(r.lastLoss() < r.firstLoss() * 0.7, r.toString());
        assertTrue(Files.exists(out.resolve("attention.png")));
        assertTrue(run(new Seq2SeqTransformer(), "--task", "sort", "--steps", "20", "--test", "10", "--max-digits", "5", "--d-model", "16",
                "--out", out.toString()).contains("RESULT seq2seq-transformer task=sort exact_match="));
    }
}
