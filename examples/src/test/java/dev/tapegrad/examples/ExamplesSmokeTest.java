package dev.tapegrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tapegrad.nn.data.DataFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Each example on a small budget: its loss falls, it writes its pictures and prints its RESULT line. */
public class ExamplesSmokeTest {
    @TempDir
    Path out;

    /** Runs an example's command line, returning what it printed. */
    public static String run(Object example, String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        try {
            assertEquals(0, new CommandLine(example).execute(args));
        } finally {
            System.setOut(saved);
        }
        return buf.toString();
    }

    static void assumeData(String set) {
        assumeTrue(Files.isDirectory(DataFiles.dir(set)), "the shared data folder is not beside this checkout");
    }

    @Test
    void logicGatesLearnEveryGateIncludingXor() {
        LogicGates g = new LogicGates();
        new CommandLine(g).parseArgs("--steps", "600");
        for (double[] targets : LogicGates.GATES.values()) assertEquals(1.0, g.train(targets).accuracy(), 0);
        String text = run(new LogicGates(), "--steps", "200", "--out", out.toString());
        assertTrue(text.contains("RESULT logic-gates") && Files.exists(out.resolve("xor.png")), text);
    }

    @Test
    void regressionRecoversTheLineAndSeparatesTheClasses() throws Exception {
        Regression r = new Regression();
        new CommandLine(r).parseArgs("--steps", "150", "--out", out.toString());
        Regression.Results res = r.run(true);
        assertEquals(2, res.slope(), 0.1);
        assertEquals(1, res.intercept(), 0.1);
        assertTrue(res.logisticAccuracy() > 0.85);
        assertTrue(Files.exists(out.resolve("logistic.png")) && Files.exists(out.resolve("polynomial.png")));
    }

    @Test
    void uatFitsTheFunction() {
        Uat u = new Uat();
        new CommandLine(u).parseArgs("--steps", "400");
        Uat.Fit f = u.fit();
        assertTrue(f.trainMse() < 0.01 && f.maxError() < 0.5, f.toString());
    }

    @Test
    void irisClassifies() {
        assumeData("iris");
        Iris i = new Iris();
        new CommandLine(i).parseArgs("--epochs", "30");
        assertTrue(i.run().testAccuracy() >= 0.8);
    }

    @Test
    void mnistAndFashionMlpsLearnOnASlice() throws Exception {
        assumeData("mnist");
        MnistMlp m = new MnistMlp();
        new CommandLine(m).parseArgs("--epochs", "2", "--limit", "3000", "--shift", "1", "--out", out.toString());
        MnistMlp.Result r = m.run();
        double[] loss = r.history().get("loss");
        assertTrue(loss[1] < loss[0] && r.testAccuracy() > 0.7, r.toString());
        assertTrue(Files.exists(out.resolve("loss.png")) && Files.exists(out.resolve("accuracy.png")));
        assumeData("fashion-mnist");
        String text = run(new FashionMlp(), "--epochs", "1", "--limit", "1200", "--out", out.toString());
        assertTrue(text.contains("RESULT fashion-mlp test_accuracy="), text);
    }

    @Test
    void everyOptimizerLowersTheMnistLossAndAdamDescendsTheRosenbrockValley() {
        assumeData("mnist");
        Optimizers o = new Optimizers();
        new CommandLine(o).parseArgs("--limit", "3840", "--steps", "600");
        for (java.util.Map.Entry<String, double[]> e : o.mnist().entrySet()) {
            double[] l = e.getValue();                     // raw per-step losses: 30 steps of 128 images
            double last = java.util.Arrays.stream(l, l.length - 5, l.length).average().orElseThrow();
            assertTrue(last < l[0] * 0.8, e.getKey() + ": loss " + l[0] + " -> mean of the last five steps " + last);
        }
        double[][] adam = o.rosenbrockPaths().get("Adam");
        double start = Optimizers.rosenbrock(adam[0][0], adam[0][1]), end = Optimizers.rosenbrock(adam[600][0], adam[600][1]);
        assertTrue(end < start / 100, "Adam on Rosenbrock: " + start + " -> " + end);
    }

    @Test
    void optimizersComparisonWritesCurvesAndTheAnimation() {
        assumeData("mnist");
        String text = run(new Optimizers(), "--limit", "640", "--steps", "60", "--out", out.toString());
        assertTrue(text.contains("RESULT optimizers") && text.contains("adam_rosenbrock="), text);
        assertTrue(Files.exists(out.resolve("mnist-loss.png")) && Files.exists(out.resolve("rosenbrock.gif")));
    }

    @Test
    void cnnLearnsOnASliceAndDrawsItsKernelsAndFeatureMaps() throws Exception {
        assumeData("mnist");
        MnistCnn m = new MnistCnn();
        new CommandLine(m).parseArgs("--epochs", "2", "--limit", "1200", "--out", out.toString());
        MnistCnn.Result r = m.run();
        double[] loss = r.history().get("loss");
        assertTrue(loss[1] < loss[0] && r.testAccuracy() > 0.6, r.toString());
        assertTrue(Files.exists(out.resolve("kernels.png")) && Files.exists(out.resolve("feature-maps.png")));
        assumeData("fashion-mnist");
        assertTrue(run(new FashionCnn(), "--epochs", "1", "--limit", "600", "--out", out.toString()).contains("RESULT fashion-cnn test_accuracy="));
    }

    @Test
    void lenet5OnASliceOfCifar10() throws Exception {
        assumeData("cifar10");
        LeNet5Cifar10 l = new LeNet5Cifar10();
        new CommandLine(l).parseArgs("--epochs", "2", "--limit", "2000", "--out", out.toString());
        LeNet5Cifar10.Result r = l.run();
        double[] loss = r.history().get("loss");
        assertTrue(loss[1] < loss[0] && r.testAccuracy() > 0.15, r.toString());
        assertEquals(2000, r.trainImages(), "train_images counts the --limit slice");
    }

    @Test
    void autoencoderReconstructs() throws Exception {
        assumeData("mnist");
        ConvAutoencoder a = new ConvAutoencoder();
        new CommandLine(a).parseArgs("--epochs", "2", "--limit", "1280", "--out", out.toString());
        ConvAutoencoder.Result r = a.run();
        assertTrue(r.trainLoss() < r.firstLoss() && r.testMse() < 0.06, r.toString());
        assertTrue(Files.exists(out.resolve("reconstructions.png")));
    }
}
