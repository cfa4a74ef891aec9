package dev.tapegrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autodiff.DType;
import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Gradients;
import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.optim.LrSchedule;
import dev.tapegrad.optim.ReduceLrOnPlateau;
import dev.tapegrad.optim.SGD;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The reproducers of what {@link NnFuzzTest} found in the layers, losses and optimizers, each now a clear
 * exception naming the layer (or loss, or optimizer) and the argument, instead of an index error, a message-less
 * null pointer, an exhausted heap or a silently wrong update.
 */
class LayerMisuseTest {
    private static final Random R = new Random(1);

    private static void fails(Class<? extends RuntimeException> type, Executable e, String... mustMention) {
        RuntimeException ex = assertThrows(type, e);
        for (String m : mustMention) assertTrue(ex.getMessage().contains(m), () -> "message '" + ex.getMessage() + "' lacks '" + m + "'");
    }

    @Test
    void impossibleParameterSizesAreRefusedBeforeAnyAllocation() {
        // were: heap exhaustion (2^31 layers), NegativeArraySizeException (maxLen * dModel overflowed), "rand: negative dimension" (4 * hiddenSize overflowed)
        fails(IllegalArgumentException.class, () -> new LSTM(1, 1, Integer.MAX_VALUE, true, false, 0, false, R), "LSTM", "[2147483647, 4, 1]", "tapegrad.maxElements");
        fails(IllegalArgumentException.class, () -> new SinusoidalPositionalEncoding(2, Integer.MAX_VALUE, 0, false, R), "SinusoidalPositionalEncoding", "[2147483647, 2]");
        fails(IllegalArgumentException.class, () -> new LSTM(1, 1 << 29, R), "LSTM", "[1, 2147483648, 536870912]");
        fails(IllegalArgumentException.class, () -> new GRUCell(3, Integer.MAX_VALUE, R), "GRUCell", "[6442450941, 3]");
        fails(IllegalArgumentException.class, () -> new Linear(1 << 16, 1 << 16, R), "Linear", "[65536, 65536]");
        fails(IllegalArgumentException.class, () -> new BatchNorm2d(Integer.MAX_VALUE), "BatchNorm2d", "[4, 2147483647]");
        fails(IllegalArgumentException.class, () -> new MultiheadAttention(1 << 16, 1, R), "MultiheadAttention", "[262144, 65536]");
        fails(IllegalArgumentException.class, () -> new LayerNorm(new int[] {4, -1}), "LayerNorm", "negative dimension");
        fails(IllegalArgumentException.class,
                () -> new TransformerEncoder(() -> new TransformerEncoderLayer(2, 1, 2, 0, "relu", 1e-5, false, false, R), Integer.MAX_VALUE, null),
                "TransformerEncoder", "[2147483647, ");
        assertEquals(0, new LayerNorm(new int[] {Integer.MAX_VALUE, 5, 0}).parameterCount());
        // the count is exact: only layer 0 reads the 2^20 inputs (600 times its weight would exceed the budget)
        assertEquals(4 * (1 << 20) + 12 + 599 * 16, new LSTM(1 << 20, 1, 600, true, false, 0, false, R).parameterCount());   // was refused: the huge axis came before the 0
    }

    @Test
    void nullInputsAreNamedByTheLayer() {
        for (Module m : List.of(new ReLU(), new Linear(2, 3, R), new Sequential(), new Conv2d(1, 1, 1, R), new LSTM(2, 2, R), new Upsample(2, Upsample.Mode.NEAREST, false)))
            fails(NullPointerException.class, () -> m.forward(null), m.getClass().getSimpleName() + ".forward: x is null");
        fails(NullPointerException.class, () -> new MultiheadAttention(2, 1, R).forward(Tensor.zeros(1, 1, 2), null, Tensor.zeros(1, 1, 2), null, null),
                "MultiheadAttention.forward: key is null");
        fails(NullPointerException.class, () -> new Embedding(3, 2, R).forward(null), "Embedding.forward: indices is null");
        fails(NullPointerException.class, () -> new Sequential(new ReLU(), null), "Sequential: layer 1 of 2 is null");
        fails(NullPointerException.class, () -> new TransformerEncoder(() -> null, 2, null), "TransformerEncoder: the layer supplier returned null");
        fails(NullPointerException.class, () -> new Dropout(0.5, null), "Dropout: random is null");   // was: at the first forward in training
        fails(NullPointerException.class, () -> new Upsample(2, null, false), "Upsample: mode is null");
        // were the JDK's "Cannot invoke \"Object.clone()\"..."
        fails(NullPointerException.class, () -> new MaxPool2d(new int[] {2}, null, new int[] {0}, new int[] {1}), "MaxPool2d: stride is null");
        fails(NullPointerException.class, () -> new AvgPool2d(null, new int[] {2}, new int[] {0}, true), "AvgPool2d: kernel is null");
        fails(NullPointerException.class, () -> new AdaptiveAvgPool2d((int[]) null), "AdaptiveAvgPool2d: outputSize is null");
        fails(IllegalArgumentException.class, () -> new TransformerEncoderLayer(2, 1, 2, 0, null, 1e-5, false, false, R), "TransformerEncoderLayer", "'null'");
    }

    @Test
    void wrongDtypesAndIndicesNameTheLayer() {
        Tensor x64 = Tensor.zeros(DType.FLOAT64, 1, 2, 4, 4);
        fails(IllegalArgumentException.class, () -> new Linear(4, 3, R).forward(x64), "Linear: input x is FLOAT64 but the parameters are FLOAT32");
        fails(IllegalArgumentException.class, () -> new Conv2d(2, 3, 3, R).forward(x64), "Conv2d: input x is FLOAT64");
        fails(IllegalArgumentException.class, () -> new LayerNorm(4).forward(x64), "LayerNorm: input x is FLOAT64");
        fails(IllegalArgumentException.class, () -> new MultiheadAttention(4, 2, R).forward(Tensor.zeros(DType.FLOAT64, 3, 4)), "MultiheadAttention: input query is FLOAT64");
        fails(IllegalArgumentException.class, () -> new Embedding(3, 2, R).forward(Tensor.of(new double[] {1.5})), "Embedding: indices must hold integers", "1.5");
        fails(IllegalArgumentException.class, () -> new Softmax(8).forward(Tensor.zeros(2, 3)), "softmax: axis 8");   // was "size: axis 8"
        fails(IllegalArgumentException.class, () -> new Conv1d(4, 5, 2, R).forward(Tensor.zeros(2, 3, 4)), "conv1d of [2, 3, 4] with weight [5, 4, 2]");
        fails(IllegalArgumentException.class, () -> new Upsample(2, Upsample.Mode.BILINEAR, false).forward(Tensor.zeros(2, 3)), "Upsample: interpolate: expected input [N, C, H, W], got [2, 3]");
        fails(IllegalArgumentException.class, () -> new ReLU().summary(3, -1), "ReLU.summary", "negative");
        fails(IllegalArgumentException.class, () -> new Upsample(2, Upsample.Mode.NEAREST, true), "Upsample: alignCorners is only for BILINEAR");   // was: ignored
        // were an ArrayIndexOutOfBoundsException and an IndexOutOfBoundsException
        fails(IllegalArgumentException.class, () -> new Sequential(new ReLU()).get(1), "Sequential.get: index 1 is out of range for 1 layers");
        fails(IllegalArgumentException.class, () -> new TransformerDecoder(() -> new TransformerDecoderLayer(2, 1, R), 2, null).layer(-1), "TransformerDecoder.layer: index -1");
    }

    @Test
    void attentionLayersBuiltWhileATapeRecordsAndOverNoKeys() {
        try (GradientTape tape = GradientTape.record()) {   // was: "Parameter.assign ... while a GradientTape records"
            new TransformerEncoderLayer(4, 2, R);
        }
        MultiheadAttention mha = new MultiheadAttention(4, 2, 0, true, true, R);
        assertArrayEquals(new int[] {3, 0, 4}, mha.forward(Tensor.zeros(3, 0, 4)).shape());   // was "max: cannot reduce axis 3 of size 0"
    }

    @Test
    void lossesNameTheirNullsAndMismatchedDtypes() {
        Tensor a = Tensor.zeros(2, 3);
        fails(NullPointerException.class, () -> Losses.mse(a, null), "mse: target is null");
        fails(NullPointerException.class, () -> Losses.bceWithLogits(null, a), "bceWithLogits: input is null");
        fails(NullPointerException.class, () -> Losses.crossEntropy(null, new int[] {0, 1}), "crossEntropy: input is null");
        fails(NullPointerException.class, () -> Losses.nll(a, null), "nll: labels is null");
        fails(NullPointerException.class, () -> Losses.huber(a, a, 1, null), "huber: reduction is null");
        fails(IllegalArgumentException.class, () -> Losses.huber(a, a.to(DType.FLOAT64)), "huber: input FLOAT32 [2, 3] and target FLOAT64 [2, 3] must have the same shape and dtype");
    }

    @Test
    void optimizersRefuseAGradientOfAnotherShapeBeforeChangingAnything() {
        Parameter p = new Parameter(Tensor.of(new double[] {1, 2, 3})), q = new Parameter(Tensor.zeros(DType.FLOAT64, 2));
        SGD sgd = new SGD(List.of(q, p), 0.1);
        Gradients g;
        try (GradientTape tape = GradientTape.record()) {
            g = p.value().sum().add(q.value().sum()).backward();
        }
        Gradients wrong = g.map(t -> t.numel() == 3 ? Tensor.ones(1).to(t.dtype()) : t);   // would broadcast: every element moved by the one value
        fails(IllegalArgumentException.class, () -> sgd.step(wrong), "SGD.step: the gradient of parameter 1", "has shape [1]");
        assertArrayEquals(new double[] {0, 0}, q.value().toDoubleArray());
        fails(NullPointerException.class, () -> new ReduceLrOnPlateau(null), "ReduceLrOnPlateau: optimizer is null");   // was: at the first step
        fails(NullPointerException.class, () -> LrSchedule.linearWarmup(3, null), "linearWarmup: after is null");
    }
}
