package dev.tapegrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The recurrent examples on a small budget: the loss falls, the forecast beats its baseline, pictures and RESULT lines appear. */
class RecurrentExamplesSmokeTest {
    @TempDir
    Path out;

    @Test
    void charLstmLearnsOnASliceOfShakespeareAndSamples() throws Exception {
        ExamplesSmokeTest.assumeData("tinyshakespeare");
        CharLstm c = new CharLstm();
        new CommandLine(c).parseArgs("--steps", "30", "--limit", "40000", "--hidden", "48", "--embedding", "16", "--seq", "24", "--batch", "16",
                "--sample-every", "15", "--sample-length", "60");
        CharLstm.Result r = c.run();
        double[] l = r.trainLoss();
        double last = Arrays.stream(l, l.length - 5, l.length).average().orElseThrow();
        assertTrue(last < l[0] - 0.5 && r.finalValLoss() < l[0] - 0.5, "loss " + l[0] + " -> " + last + ", validation " + r.finalValLoss());
        assertEquals(60, r.sample().length());
        assertEquals(2, r.valLoss().size());
        String text = ExamplesSmokeTest.run(new CharLstm(), "--steps", "4", "--limit", "20000", "--hidden", "16", "--embedding", "8", "--seq", "16",
                "--batch", "8", "--sample-every", "2", "--sample-length", "20", "--out", out.toString());
        assertTrue(text.contains("RESULT char-lstm val_loss=") && text.contains("train_seconds=") && Files.exists(out.resolve("loss.png")), text);
    }

    @Test
    void charCorpusSplitsByPositionOverOneVocabulary() {
        CharCorpus c = CharCorpus.of("abcabcabcz", 0.9);
        assertEquals("abcz", new String(c.vocab()));
        assertEquals(9, c.train().length);
        assertEquals(3, c.val()[0]);
        assertEquals(0, c.index('#'));
    }

    @Test
    void sineLstmBeatsTheLastValueBaseline() {
        SineLstm s = new SineLstm();
        new CommandLine(s).parseArgs("--steps", "150", "--points", "800");
        SineLstm.Result r = s.run();
        assertTrue(r.lastLoss() < r.firstLoss() / 2 && r.testMse() < r.naiveMse(), r.toString());
        String text = ExamplesSmokeTest.run(new SineLstm(), "--steps", "20", "--points", "300", "--out", out.toString());
        assertTrue(text.contains("RESULT sine-lstm test_mse=") && text.contains("naive_mse=") && Files.exists(out.resolve("forecast.png")), text);
    }
}
