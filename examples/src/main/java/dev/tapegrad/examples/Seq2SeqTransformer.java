package dev.tapegrad.examples;

import dev.tapegrad.autodiff.Attention;
import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Gradients;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.Embedding;
import dev.tapegrad.nn.LayerNorm;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.Losses;
import dev.tapegrad.nn.Module;
import dev.tapegrad.nn.SinusoidalPositionalEncoding;
import dev.tapegrad.nn.TransformerDecoder;
import dev.tapegrad.nn.TransformerDecoderLayer;
import dev.tapegrad.nn.TransformerEncoder;
import dev.tapegrad.nn.TransformerEncoderLayer;
import dev.tapegrad.optim.Adam;
import dev.tapegrad.optim.Clipping;
import dev.tapegrad.optim.LrSchedule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * An encoder-decoder Transformer that learns to reverse (or sort) digit sequences of 1 to 12 digits. Sequences
 * of a batch are padded to its longest one; the padding is hidden by key padding masks (source padding in the
 * encoder and in the decoder's attention over the memory, target padding in the decoder's self-attention), the
 * decoder's self-attention is causal, and the loss ignores padded targets (class weight 0). Token embeddings
 * ({@code N(0, 1)}, so not scaled by {@code sqrt(d)}: the positions would drown) plus sinusoidal positions, 2 + 2 pre-norm layers of
 * width 64 with 4 heads, Adam with warm-up and cosine decay. Evaluated by greedy decoding of held-out sequences
 * (never drawn for training); writes {@code attention.png}, the decoder's attention over the source for one of them.
 */
@Command(name = "seq2seq-transformer", mixinStandardHelpOptions = true,
        description = "An encoder-decoder Transformer reversing (or sorting) padded digit sequences; target exact_match >= 0.99.")
final class Seq2SeqTransformer implements Callable<Integer> {
    static final int PAD = 0, BOS = 1, EOS = 2, DIGIT = 3, VOCAB = 13;

    @Option(names = "--task", defaultValue = "reverse", description = "reverse or sort (default ${DEFAULT-VALUE})")
    String task;
    @Option(names = "--steps", defaultValue = "3000", description = "training steps (default ${DEFAULT-VALUE})")
    int steps;
    @Option(names = "--batch-size", defaultValue = "64", description = "sequences per batch (default ${DEFAULT-VALUE})")
    int batchSize;
    @Option(names = "--max-digits", defaultValue = "12", description = "longest sequence (default ${DEFAULT-VALUE})")
    int maxDigits;
    @Option(names = "--test", defaultValue = "1000", description = "held-out sequences (default ${DEFAULT-VALUE})")
    int testSize;
    @Option(names = "--d-model", defaultValue = "64", description = "model width (default ${DEFAULT-VALUE})")
    int dModel;
    @Option(names = "--lr", defaultValue = "1e-3", description = "peak Adam learning rate (default ${DEFAULT-VALUE})")
    double lr;
    @Option(names = "--seed", defaultValue = "1", description = "seed of data, initialisation and batches (default ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--out", defaultValue = "out/seq2seq-transformer", description = "folder for the pictures (default ${DEFAULT-VALUE})")
    Path out;

    /** The model: {@code logits = out(decoder(embed(tgt), encoder(embed(src))))}. */
    static final class Model extends Module {
        static final int LAYERS = 2;
        final Embedding embed;
        final SinusoidalPositionalEncoding pos;
        final TransformerEncoder encoder;
        final TransformerDecoder decoder;
        final Linear out;

        Model(int d, int maxLen, Random r) {
            embed = child("embed", new Embedding(VOCAB, d, r));
            pos = child("pos", new SinusoidalPositionalEncoding(d, maxLen, 0, true, r));
            encoder = child("encoder", new TransformerEncoder(() -> new TransformerEncoderLayer(d, 4, 2 * d, 0, "relu", 1e-5, true, true, r), LAYERS, new LayerNorm(d)));
            decoder = child("decoder", new TransformerDecoder(() -> new TransformerDecoderLayer(d, 4, 2 * d, 0, "relu", 1e-5, true, true, r), LAYERS, new LayerNorm(d)));
            out = child("out", new Linear(d, VOCAB, r));
        }

        Tensor embedded(Tensor tokens) { return pos.forward(embed.forward(tokens)); }

        Tensor memory(Tensor src) { return encoder.forward(embedded(src), null, padding(src)); }

        Tensor logits(Tensor memory, Tensor src, Tensor tgtIn) {
            Tensor causal = Attention.causalMask(tgtIn.size(1));
            return out.forward(decoder.forward(embedded(tgtIn), memory, causal, null, padding(tgtIn), padding(src)));
        }

        /** The encoder's output (the memory) for source tokens {@code [B, S]}; {@link #logits} decodes from it. */
        @Override
        public Tensor forward(Tensor src) { return memory(src); }

        /** The cross-attention weights {@code [L, S]} (averaged over heads) of the last decoder layer for one pair. */
        Tensor crossAttention(Tensor src, Tensor tgtIn) {
            Tensor mem = memory(src), x = embedded(tgtIn), causal = Attention.causalMask(tgtIn.size(1));
            int last = decoder.numLayers() - 1;
            for (int i = 0; i < last; i++) x = decoder.layer(i).forward(x, mem, causal, null, null, null);
            TransformerDecoderLayer l = decoder.layer(last);
            Tensor y = l.norm1.forward(x);
            x = x.add(l.selfAttn.forward(y, y, y, causal, null).output());
            y = l.norm2.forward(x);
            return l.multiheadAttn.forward(y, mem, mem, null, null).weights().squeeze(0);
        }
    }

    /** The additive key padding mask {@code [B, n]}: {@code -inf} at padding tokens, 0 elsewhere. */
    static Tensor padding(Tensor tokens) { return Tensor.zeros(tokens.shape()).maskedFill(tokens.eq(PAD), Double.NEGATIVE_INFINITY); }

    int[] target(int[] digits) {
        int[] t = digits.clone();
        if (task.equals("sort")) Arrays.sort(t);
        else for (int i = 0; i < t.length / 2; i++) { int s = t[i]; t[i] = t[t.length - 1 - i]; t[t.length - 1 - i] = s; }
        return t;
    }

    static int[] draw(Random r, int maxDigits) {
        int[] d = new int[1 + r.nextInt(maxDigits)];
        for (int i = 0; i < d.length; i++) d[i] = r.nextInt(10);
        return d;
    }

    /** Source {@code digits EOS}, decoder input {@code BOS target}, labels {@code target EOS}, padded to the batch's longest. */
    record Batch(Tensor src, Tensor tgtIn, int[] labels) {
        static Batch of(List<int[]> digits, List<int[]> targets) {
            int n = digits.stream().mapToInt(d -> d.length).max().orElse(0) + 1, b = digits.size();
            float[] src = new float[b * n], in = new float[b * n];
            int[] labels = new int[b * n];
            for (int i = 0; i < b; i++) {
                int[] d = digits.get(i), t = targets.get(i);
                for (int j = 0; j < d.length; j++) {
                    src[i * n + j] = DIGIT + d[j];
                    in[i * n + j + 1] = DIGIT + t[j];
                    labels[i * n + j] = DIGIT + t[j];
                }
                src[i * n + d.length] = EOS;
                in[i * n] = BOS;
                labels[i * n + d.length] = EOS;
            }
            return new Batch(Tensor.of(src, b, n), Tensor.of(in, b, n), labels);
        }
    }

    record Result(double exactMatch, double firstLoss, double lastLoss, double seconds) {}

    @Override
    public Integer call() throws Exception {
        Result r = run();
        System.out.printf("RESULT seq2seq-transformer task=%s exact_match=%.4f test_sequences=%d steps=%d final_loss=%.4f train_seconds=%.0f%n",
                task, r.exactMatch(), testSize, steps, r.lastLoss(), r.seconds());
        return 0;
    }

    Result run() throws Exception {
        if (!task.equals("reverse") && !task.equals("sort"))
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--task must be reverse or sort, got " + task);
        if (maxDigits < 4 || maxDigits > 30 || testSize < 1 || testSize > 5000)
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--max-digits must be in [4, 30] and --test in [1, 5000], got "
                    + maxDigits + " and " + testSize);
        Random data = new Random(seed);
        List<int[]> test = new ArrayList<>();
        Set<String> held = new HashSet<>();
        while (test.size() < testSize) {
            int[] d = draw(data, maxDigits);
            if (d.length >= 4 && held.add(Arrays.toString(d))) test.add(d);   // short sequences are few, so all of them are trained on
        }
        Model model = new Model(dModel, maxDigits + 1, new Random(seed + 1));
        System.out.printf("seq2seq-transformer (%s): %,d parameters, %d held-out sequences of 4 to %d digits%n", task, model.parameterCount(), testSize, maxDigits);
        Adam opt = new Adam(model.parameters(), lr);
        int warmup = Math.max(1, Math.min(200, steps / 10));
        LrSchedule schedule = LrSchedule.linearWarmup(warmup, LrSchedule.cosine(Math.max(1, steps - warmup), lr / 20));
        double[] weights = new double[VOCAB];
        Arrays.fill(weights, 1);
        weights[PAD] = 0;                                                               // padded targets do not count
        double first = Double.NaN, smoothed = Double.NaN;
        long start = System.nanoTime();
        for (int step = 0; step < steps; step++) {
            List<int[]> digits = new ArrayList<>(), targets = new ArrayList<>();
            while (digits.size() < batchSize) {
                int[] d = draw(data, maxDigits);
                if (held.contains(Arrays.toString(d))) continue;
                digits.add(d);
                targets.add(target(d));
            }
            Batch b = Batch.of(digits, targets);
            schedule.applyTo(opt, step, lr);
            Gradients g;
            double loss;
            try (GradientTape tape = GradientTape.record()) {
                Tensor logits = model.logits(model.memory(b.src()), b.src(), b.tgtIn());
                Tensor l = Losses.crossEntropy(logits.reshape(-1, VOCAB), b.labels(), 0, weights, Losses.Reduction.MEAN);
                loss = l.item();
                g = l.backward();
            }
            opt.step(Clipping.byGlobalNorm(g, 1.0));
            first = step == 0 ? loss : first;
            smoothed = step == 0 ? loss : 0.95 * smoothed + 0.05 * loss;
            if (step % 250 == 0 || step == steps - 1) System.out.printf("step %d: loss %.4f (%.1f s)%n", step, smoothed, (System.nanoTime() - start) / 1e9);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double exact = evaluate(model, test);
        int[] example = test.get(0);
        Batch one = Batch.of(List.of(example), List.of(target(example)));
        String[] srcLabels = labels(one.src()), outLabels = labels(Tensor.cat(1, one.tgtIn().slice(1, 1, one.tgtIn().size(1)), Tensor.full(EOS, 1, 1)));
        Images.png(Images.attentionMap(model.crossAttention(one.src(), one.tgtIn()).toDoubleArray(), outLabels, srcLabels,
                "seq2seq-transformer: decoder layer 1 attention over the source"), out.resolve("attention.png"));
        System.out.println("attention map in " + out);
        return new Result(exact, first, smoothed, seconds);
    }

    /** The fraction of {@code test} sequences whose greedy decoding (until EOS) equals the target exactly. */
    double evaluate(Model model, List<int[]> test) {
        int correct = 0;
        for (int from = 0; from < test.size(); from += 250) {
            List<int[]> digits = test.subList(from, Math.min(test.size(), from + 250));
            Batch b = Batch.of(digits, digits.stream().map(this::target).toList());
            Tensor mem = model.memory(b.src());
            int n = b.src().size(1), rows = digits.size();
            float[] in = new float[rows * (n + 1)];
            for (int i = 0; i < rows; i++) in[i * (n + 1)] = BOS;
            for (int t = 0; t < n; t++) {
                Tensor prefix = Tensor.of(in, rows, n + 1).slice(1, 0, t + 1);
                double[] next = model.logits(mem, b.src(), prefix).slice(1, t, t + 1).argmax(-1).toDoubleArray();
                for (int i = 0; i < rows; i++) in[i * (n + 1) + t + 1] = in[i * (n + 1) + t] == EOS || in[i * (n + 1) + t] == PAD && t > 0 ? PAD : (float) next[i];
            }
            for (int i = 0; i < rows; i++) {
                int[] want = target(digits.get(i));
                boolean ok = in[i * (n + 1) + want.length + 1] == EOS;
                for (int j = 0; j < want.length && ok; j++) ok = in[i * (n + 1) + j + 1] == DIGIT + want[j];
                if (ok) correct++;
            }
        }
        return (double) correct / test.size();
    }

    private static String[] labels(Tensor tokens) {
        return Arrays.stream(tokens.toDoubleArray()).mapToObj(v -> v == EOS ? "$" : v == BOS ? "^" : v == PAD ? "_" : String.valueOf((int) v - DIGIT))
                .toArray(String[]::new);
    }
}
