package dev.tapegrad.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.data.TensorDataset;
import dev.tapegrad.optim.SGD;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The reproducers of misuse in training: a clear message instead of a hang, a NaN that looks like success, or an index error. */
class TrainingMisuseTest {
    private static final Linear NET = new Linear(3, 2, new Random(1));
    private static final Model MODEL = Model.compile(NET, new SGD(NET.parameters(), 0.1), Loss.crossEntropy(), Metric.accuracy());

    private static void fails(Executable e, String... mustMention) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        for (String m : mustMention) assertTrue(ex.getMessage().contains(m), () -> "message '" + ex.getMessage() + "' lacks '" + m + "'");
    }

    @Test
    void predictRefusesBatchSizeZeroAndHandlesAnEmptyInput() {
        fails(() -> MODEL.predict(Tensor.zeros(4, 3), 0), "predict", "batch size 0");
        assertArrayEquals(new int[] {0, 2}, MODEL.predict(Tensor.zeros(0, 3), 8).shape());
    }

    @Test
    void fitRefusesEmptyTrainingAndValidationSets() {
        TensorDataset empty = new TensorDataset(Tensor.zeros(0, 3), Tensor.zeros(0));
        fails(() -> MODEL.fit(empty, FitOptions.epochs(1).progress(Progress.Mode.SILENT)), "fit", "training set is empty");
        TensorDataset ten = new TensorDataset(Tensor.zeros(10, 3), Tensor.zeros(10));
        fails(() -> MODEL.fit(ten, FitOptions.epochs(1).validationSplit(0.99).progress(Progress.Mode.SILENT)), "fit", "empty", "validationSplit(0.99) of 10");
    }

    @Test
    void nanScoresAreNeverCorrect() {
        Tensor nan = Tensor.full(Double.NaN, 4, 3);
        assertEquals(0, Metrics.topKAccuracy(nan, new int[] {0, 1, 2, 0}, 1));
        Tensor partly = Tensor.of(new float[] {5, Float.NaN, 1, 0, 3, 1}, 2, 3);
        assertEquals(0.5, Metrics.topKAccuracy(partly, new int[] {0, 1}, 1));
        fails(() -> Metrics.topKAccuracy(Tensor.zeros(2, 3), new int[] {0, 3}, 1), "topKAccuracy", "label 3");
    }
}
