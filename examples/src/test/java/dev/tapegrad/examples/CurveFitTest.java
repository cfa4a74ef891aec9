package dev.tapegrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Smoke test: a short curve-fit run lowers the loss, writes its plots and prints a RESULT line. */
class CurveFitTest {

    @Test
    void shortRunLowersTheLossAndWritesPlots(@TempDir Path dir) {
        CurveFit example = new CurveFit();
        new CommandLine(example).parseArgs("--steps", "300", "--samples", "50", "--out", dir.toString());
        CurveFit.Result r = example.fit(false);
        assertEquals(301, r.losses().size());
        double first = r.losses().get(0), last = r.losses().get(300);
        assertTrue(last < first / 10, "loss fell only from " + first + " to " + last);
        assertTrue(last >= r.leastSquaresMse() - 1e-6, "gradient descent cannot beat the least-squares optimum");
        assertEquals(0, new CommandLine(example).execute("--steps", "50", "--samples", "50", "--out", dir.toString()));
        assertTrue(Files.isRegularFile(dir.resolve("fit.png")) && Files.isRegularFile(dir.resolve("loss.png")));
    }

    @Test
    void sameSeedSameRun() {
        CurveFit a = new CurveFit(), b = new CurveFit();
        new CommandLine(a).parseArgs("--steps", "20");
        new CommandLine(b).parseArgs("--steps", "20");
        assertEquals(a.fit(false).losses(), b.fit(false).losses());
    }
}
