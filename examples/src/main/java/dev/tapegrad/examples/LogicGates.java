package dev.tapegrad.examples;

import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.Losses;
import dev.tapegrad.nn.Sequential;
import dev.tapegrad.nn.Tanh;
import dev.tapegrad.optim.Adam;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A 2-4-1 MLP (tanh hidden layer, sigmoid output, binary cross entropy, Adam, full batch) learns each of
 * AND, OR, NAND and XOR from its four input pairs; XOR is the one a single layer cannot learn. Writes each
 * network's output over [0,1]^2 as a contour map with the four training points.
 */
@Command(name = "logic-gates", mixinStandardHelpOptions = true, description = "MLPs for AND, OR, NAND and XOR with contour plots of their outputs.")
final class LogicGates implements Callable<Integer> {
    @Option(names = "--steps", defaultValue = "1500", description = "Adam steps per gate (default ${DEFAULT-VALUE})")
    int steps;
    @Option(names = "--seed", defaultValue = "3", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--out", defaultValue = "out/logic-gates", description = "folder for the plots (default ${DEFAULT-VALUE})")
    Path out;

    static final double[][] INPUTS = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
    static final Map<String, double[]> GATES = new LinkedHashMap<>();

    static {
        GATES.put("and", new double[] {0, 0, 0, 1});
        GATES.put("or", new double[] {0, 1, 1, 1});
        GATES.put("nand", new double[] {1, 1, 1, 0});
        GATES.put("xor", new double[] {0, 1, 1, 0});
    }

    /** A trained gate: its network, final loss and accuracy on the four points. */
    record Gate(Sequential net, double loss, double accuracy) {}

    Gate train(double[] targets) {
        Random r = new Random(seed);
        Sequential net = new Sequential(new Linear(2, 4, r), new Tanh(), new Linear(4, 1, r));
        Tensor x = Tensor.of(new float[] {0, 0, 0, 1, 1, 0, 1, 1}, 4, 2), y = Tensor.of(targets).to(x.dtype()).reshape(4, 1);
        Adam opt = new Adam(net.parameters(), 0.05);
        double loss = Double.NaN;
        for (int i = 0; i < steps; i++) {
            try (GradientTape tape = GradientTape.record()) {
                Tensor l = Losses.bceWithLogits(net.forward(x), y);
                loss = l.item();
                opt.step(l.backward());
            }
        }
        float[] p = net.forward(x).sigmoid().toFloatArray();
        int right = 0;
        for (int i = 0; i < 4; i++) if ((p[i] > 0.5) == (targets[i] > 0.5)) right++;
        return new Gate(net, loss, right / 4.0);
    }

    @Override
    public Integer call() throws Exception {
        StringBuilder result = new StringBuilder("RESULT logic-gates");
        for (Map.Entry<String, double[]> e : GATES.entrySet()) {
            Gate g = train(e.getValue());
            System.out.printf("%-4s loss %.5f accuracy %.2f%n", e.getKey(), g.loss(), g.accuracy());
            BufferedImage img = Images.heatMap((a, b) -> g.net().forward(Tensor.of(new float[] {(float) a, (float) b}, 1, 2)).sigmoid().item(),
                    -0.25, 1.25, -0.25, 1.25, 0, 1, 300);
            int[] cls = java.util.Arrays.stream(e.getValue()).mapToInt(v -> (int) v).toArray();
            Images.points(img, new double[] {0, 0, 1, 1}, new double[] {0, 1, 0, 1}, cls, -0.25, 1.25, -0.25, 1.25);
            Images.label(img, e.getKey().toUpperCase() + ": network output over [0,1]^2");
            Images.png(img, out.resolve(e.getKey() + ".png"));
            result.append(String.format(" %s_accuracy=%.2f %s_loss=%.4f", e.getKey(), g.accuracy(), e.getKey(), g.loss()));
        }
        System.out.println("plots in " + out);
        System.out.println(result.append(" steps=").append(steps));
        return 0;
    }
}
