package dev.tapegrad.examples;

import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.ReLU;
import dev.tapegrad.nn.Sequential;
import dev.tapegrad.nn.data.DataFiles;
import dev.tapegrad.nn.data.Datasets;
import dev.tapegrad.nn.data.Standardizer;
import dev.tapegrad.nn.data.TensorDataset;
import dev.tapegrad.nn.train.FitOptions;
import dev.tapegrad.nn.train.Loss;
import dev.tapegrad.nn.train.Metric;
import dev.tapegrad.nn.train.Metrics;
import dev.tapegrad.nn.train.Model;
import dev.tapegrad.nn.train.Progress;
import dev.tapegrad.optim.Adam;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A 4-16-3 ReLU MLP on UCI Iris (the corrected {@code bezdekIris.data}): a seeded stratified split of 120
 * training and 30 held-out flowers (10 per class), features standardised with the training statistics, Adam.
 */
@Command(name = "iris", mixinStandardHelpOptions = true, description = "A small MLP classifier on Iris with a held-out accuracy (30 of 150 flowers).")
final class Iris implements Callable<Integer> {
    @Option(names = "--epochs", defaultValue = "100", description = "epochs (default ${DEFAULT-VALUE})")
    int epochs;
    @Option(names = "--seed", defaultValue = "7", description = "seed of the split, initialisation and shuffling (default ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--data", description = "data directory (default ../shared/data/iris)")
    Path data;

    record Result(double trainAccuracy, double testAccuracy, long[][] confusion) {}

    Result run() {
        TensorDataset all = Datasets.iris(data != null ? data : DataFiles.dir("iris"));
        int[] labels = Metrics.labels(all.targets());
        Random r = new Random(seed);
        java.util.List<Integer> train = new java.util.ArrayList<>(), test = new java.util.ArrayList<>();
        for (int c = 0; c < 3; c++) {
            java.util.List<Integer> members = new java.util.ArrayList<>();
            for (int i = 0; i < labels.length; i++) if (labels[i] == c) members.add(i);
            java.util.Collections.shuffle(members, r);
            test.addAll(members.subList(0, 10));
            train.addAll(members.subList(10, members.size()));
        }
        int[] tr = train.stream().mapToInt(Integer::intValue).toArray(), te = test.stream().mapToInt(Integer::intValue).toArray();
        Standardizer s = Standardizer.fit(all.inputs(tr));
        TensorDataset trainSet = new TensorDataset(s.apply(all.inputs(tr)), all.targets(tr));
        TensorDataset testSet = new TensorDataset(s.apply(all.inputs(te)), all.targets(te));
        Sequential net = new Sequential(new Linear(4, 16, r), new ReLU(), new Linear(16, 3, r));
        Model m = Model.compile(net, new Adam(net.parameters(), 0.01), Loss.crossEntropy(), Metric.accuracy());
        m.fit(trainSet, FitOptions.epochs(epochs).batchSize(16).seed(seed).progress(Progress.Mode.SILENT));
        Tensor logits = m.predict(testSet.inputs(), 30);
        return new Result(m.evaluate(trainSet, 120).get("accuracy"), m.evaluate(testSet, 30).get("accuracy"),
                Metrics.confusionMatrix(logits, Metrics.labels(testSet.targets()), 3));
    }

    @Override
    public Integer call() {
        Result r = run();
        System.out.println("held-out confusion matrix (0 setosa, 1 versicolor, 2 virginica):\n" + Metrics.format(r.confusion()));
        System.out.printf("RESULT iris test_accuracy=%.4f train_accuracy=%.4f epochs=%d test_size=30%n", r.testAccuracy(), r.trainAccuracy(), epochs);
        return 0;
    }
}
