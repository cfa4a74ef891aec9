package dev.tapegrad.examples;

import dev.tapegrad.autodiff.Attention;
import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Gradients;
import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Shape;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.Embedding;
import dev.tapegrad.nn.LayerNorm;
import dev.tapegrad.nn.LearnedPositionalEncoding;
import dev.tapegrad.nn.Losses;
import dev.tapegrad.nn.Module;
import dev.tapegrad.nn.TransformerEncoder;
import dev.tapegrad.nn.TransformerEncoderLayer;
import dev.tapegrad.nn.data.DataFiles;
import dev.tapegrad.nn.io.Checkpoints;
import dev.tapegrad.nn.io.Safetensors;
import dev.tapegrad.optim.AdamW;
import dev.tapegrad.optim.Clipping;
import dev.tapegrad.optim.LrSchedule;
import dev.tapegrad.optim.Optimizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A character-level, decoder-only Transformer (GPT) on Tiny Shakespeare with nanoGPT's CPU configuration
 * ({@code train_shakespeare_char} with {@code --device=cpu --compile=False --eval_iters=20 --block_size=64
 * --batch_size=12 --n_layer=4 --n_head=4 --n_embd=128 --max_iters=2000 --lr_decay_iters=2000 --dropout=0.0}):
 * token and learned position embeddings, 4 pre-norm blocks of causal self-attention and a GELU MLP (4x wide), a
 * final layer norm and an output layer tied to the token embedding. AdamW (betas 0.9/0.99, weight decay 0.1 on
 * the matrices only), learning rate 1e-3 with 100 warm-up steps and cosine decay to 1e-4, gradients clipped to
 * norm 1, batches of 12 random windows of 64 characters from the first 90 % of the text, losses on 20 batches of
 * each split every 250 steps. nanoGPT's initialisation: N(0, 0.02) weights, N(0, 0.02 / sqrt(2 layers)) for the
 * projections back into the residual stream. nanoGPT's layers have no biases ({@code bias=False}); PyTorch's
 * Transformer layers always do, so here they start at 0 and are left out of the optimizer, which is the same
 * network ({@code --bias} trains them).
 *
 * <p>Writes {@code loss.png} (train and validation loss), {@code attention.png} (one head's weights over one
 * validation window) and {@code samples.txt} (text sampled with temperature 0.8).
 */
@Command(name = "char-transformer", mixinStandardHelpOptions = true,
        description = "A nanoGPT-sized character Transformer on Tiny Shakespeare; target val_loss <= 1.89 after 2,000 steps.")
final class CharTransformer implements Callable<Integer> {
    @Option(names = "--iters", defaultValue = "2000", description = "training steps (default ${DEFAULT-VALUE})")
    int iters;
    @Option(names = "--eval-interval", defaultValue = "250", description = "steps between loss estimates (default ${DEFAULT-VALUE})")
    int evalInterval;
    @Option(names = "--eval-iters", defaultValue = "20", description = "batches per loss estimate (default ${DEFAULT-VALUE})")
    int evalIters;
    @Option(names = "--batch-size", defaultValue = "12", description = "windows per batch (default ${DEFAULT-VALUE})")
    int batchSize;
    @Option(names = "--block-size", defaultValue = "64", description = "context length (default ${DEFAULT-VALUE})")
    int blockSize;
    @Option(names = "--layers", defaultValue = "4", description = "Transformer blocks (default ${DEFAULT-VALUE})")
    int layers;
    @Option(names = "--heads", defaultValue = "4", description = "attention heads (default ${DEFAULT-VALUE})")
    int heads;
    @Option(names = "--embd", defaultValue = "128", description = "embedding size (default ${DEFAULT-VALUE})")
    int embd;
    @Option(names = "--lr", defaultValue = "1e-3", description = "peak learning rate (default ${DEFAULT-VALUE})")
    double lr;
    @Option(names = "--min-lr", defaultValue = "1e-4", description = "final learning rate (default ${DEFAULT-VALUE})")
    double minLr;
    @Option(names = "--warmup", defaultValue = "100", description = "warm-up steps (default ${DEFAULT-VALUE})")
    int warmup;
    @Option(names = "--bias", description = "train the biases of the linear layers and norms (nanoGPT's bias=True); by default they stay 0, as nanoGPT's bias=False")
    boolean bias;
    @Option(names = "--limit", defaultValue = "0", description = "use only the first N characters of the text (0: all)")
    int limit;
    @Option(names = "--sample-chars", defaultValue = "500", description = "characters to sample after training (default ${DEFAULT-VALUE})")
    int sampleChars;
    @Option(names = "--seed", defaultValue = "1337", description = "seed of initialisation, batches and sampling (default ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--init", description = "start from the weights in this safetensors file (PyTorch's names), e.g. those written by examples/tools/char_transformer_torch.py --export")
    Path init;
    @Option(names = "--windows", description = "take the training windows' starts from tensor 'windows' [iters, batch] of this safetensors file instead of drawing them (the same steps as char_transformer_torch.py --export)")
    Path windows;
    @Option(names = "--data", description = "folder holding input.txt (default ../shared/data/tinyshakespeare)")
    Path data;
    @Option(names = "--out", defaultValue = "out/char-transformer", description = "folder for the pictures (default ${DEFAULT-VALUE})")
    Path out;

    /** The text as character codes over its sorted distinct characters, split 90/10 by position (nanoGPT's {@code prepare.py}). */
    record Corpus(char[] vocab, int[] train, int[] val) {
        static Corpus load(Path dir, int limit) throws IOException {
            DataFiles.verify(dir, Map.of("input.txt", "6fb458f1232090904fb40fe944165e91"));
            String text = Files.readString(dir.resolve("input.txt"), StandardCharsets.UTF_8);
            if (limit > 0) text = text.substring(0, Math.min(limit, text.length()));
            char[] vocab = text.chars().distinct().sorted().collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().toCharArray();
            int[] index = new int[Character.MAX_VALUE + 1];
            for (int i = 0; i < vocab.length; i++) index[vocab[i]] = i;
            int[] codes = text.chars().map(c -> index[c]).toArray();
            int n = (int) (0.9 * codes.length);
            return new Corpus(vocab, java.util.Arrays.copyOfRange(codes, 0, n), java.util.Arrays.copyOfRange(codes, n, codes.length));
        }

        String decode(int[] codes) {
            StringBuilder b = new StringBuilder();
            for (int c : codes) b.append(vocab[c]);
            return b.toString();
        }
    }

    /** The GPT: {@code logits = ln_f(blocks(wte(idx) + wpe)) wte^T}, causal, pre-norm, GELU. */
    static final class Gpt extends Module {
        final Embedding wte;
        final LearnedPositionalEncoding wpe;
        final TransformerEncoder h;
        private final int blockSize;
        private final Map<Integer, Tensor> masks = new java.util.HashMap<>();

        Gpt(int vocab, int blockSize, int layers, int heads, int embd, Random r) {
            this.blockSize = blockSize;
            wte = child("wte", new Embedding(vocab, embd, r));
            wpe = child("wpe", new LearnedPositionalEncoding(blockSize, embd, true, r));
            h = child("h", new TransformerEncoder(() -> new TransformerEncoderLayer(embd, heads, 4 * embd, 0, "gelu", 1e-5, true, true, r), layers, new LayerNorm(embd)));
            for (Map.Entry<String, Parameter> e : namedParameters().entrySet()) {
                Parameter p = e.getValue();
                boolean residualProjection = e.getKey().endsWith("out_proj.weight") || e.getKey().endsWith("linear2.weight");
                if (p.shape().length == 2) p.assign(Tensor.randn(r, p.shape()).mul(residualProjection ? 0.02 / Math.sqrt(2.0 * layers) : 0.02));
                else if (e.getKey().endsWith("bias")) p.assign(Tensor.zeros(p.shape()));
            }
        }

        /** The causal mask for {@code t} positions, made once per length. */
        Tensor mask(int t) { return masks.computeIfAbsent(t, Attention::causalMask); }

        /** Token indices {@code [B, T]} (T at most the block size) to logits {@code [B, T, vocab]}. */
        @Override
        public Tensor forward(Tensor idx) {
            Tensor x = h.forward(wpe.forward(wte.forward(idx)), mask(idx.size(-1)), null);
            return x.matmulTransposed(wte.weight.value());
        }

        /** The weights {@code [T, T]} of head {@code head} of block {@code layer} for one window of codes. */
        Tensor attention(int[] window, int layer, int head) {
            Tensor x = wpe.forward(wte.forward(codes(window, 1, window.length)));
            Tensor m = mask(window.length);
            for (int i = 0; i < layer; i++) x = h.layer(i).forward(x, m, null);
            TransformerEncoderLayer block = h.layer(layer);
            Tensor y = block.norm1.forward(x);
            return block.selfAttn.forward(y, y, y, m, null, false).weights().slice(1, head, head + 1).reshape(window.length, window.length);
        }

        /** {@code n} characters continuing {@code start}, drawn from {@code softmax(logits / temperature)}. */
        int[] sample(int[] start, int n, double temperature, Random r) {
            List<Integer> seq = new ArrayList<>();
            for (int c : start) seq.add(c);
            for (int i = 0; i < n; i++) {
                int from = Math.max(0, seq.size() - blockSize);
                int[] ctx = seq.subList(from, seq.size()).stream().mapToInt(Integer::intValue).toArray();
                Tensor logits = forward(codes(ctx, 1, ctx.length));
                double[] p = logits.slice(1, ctx.length - 1, ctx.length).reshape(-1).div(temperature).softmax(0).toDoubleArray();
                double u = r.nextDouble(), acc = 0;
                int pick = p.length - 1;
                for (int j = 0; j < p.length; j++) if ((acc += p[j]) > u) { pick = j; break; }
                seq.add(pick);
            }
            return seq.subList(start.length, seq.size()).stream().mapToInt(Integer::intValue).toArray();
        }
    }

    static Tensor codes(int[] v, int... shape) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = v[i];
        return Tensor.of(f, shape);
    }

    /** A batch of random windows: inputs {@code [B, T]} and the next characters as labels. */
    record Batch(Tensor x, int[] y) {
        static Batch draw(int[] data, int b, int t, Random r) {
            int[] starts = new int[b];
            for (int i = 0; i < b; i++) starts[i] = r.nextInt(data.length - t);
            return at(data, starts, t);
        }

        /** The windows of length {@code t} that start at {@code starts}. */
        static Batch at(int[] data, int[] starts, int t) {
            int b = starts.length;
            int[] x = new int[b * t], y = new int[b * t];
            for (int i = 0; i < b; i++) {
                if (starts[i] < 0 || starts[i] + t >= data.length)
                    throw new IllegalArgumentException("char-transformer: window start " + starts[i] + " outside the " + data.length + " training characters");
                System.arraycopy(data, starts[i], x, i * t, t);
                System.arraycopy(data, starts[i] + 1, y, i * t, t);
            }
            return new Batch(codes(x, b, t), y);
        }
    }

    record Result(double trainLoss, double valLoss, double valLossAllWindows, double seconds, Map<String, double[]> curves, double[] steps) {}

    @Override
    public Integer call() throws Exception {
        Result r = run();
        System.out.printf("RESULT char-transformer val_loss=%.4f train_loss=%.4f val_loss_all_windows=%.4f iters=%d train_seconds=%.0f ms_per_iter=%.1f%n",
                r.valLoss(), r.trainLoss(), r.valLossAllWindows(), iters, r.seconds(), iters == 0 ? 0 : 1000 * r.seconds() / iters);
        return 0;
    }

    Result run() throws Exception {
        Corpus corpus = Corpus.load(data != null ? data : DataFiles.dir("tinyshakespeare"), limit);
        System.out.printf("char-transformer: %d training and %d validation characters, vocabulary %d%n", corpus.train().length, corpus.val().length,
                corpus.vocab().length);
        Random random = new Random(seed);
        Gpt model = new Gpt(corpus.vocab().length, blockSize, layers, heads, embd, random);
        if (init != null) Checkpoints.loadModel(init, model);
        Tensor starts = windows == null ? null : Safetensors.load(windows).tensors().get("windows");
        if (windows != null && (starts == null || starts.rank() != 2 || starts.size(0) < iters || starts.size(1) != batchSize))
            throw new IllegalArgumentException("char-transformer: " + windows + " must hold a tensor 'windows' of shape [>= " + iters + ", " + batchSize + "], got "
                    + (starts == null ? "none" : java.util.Arrays.toString(starts.shape())));
        System.out.print(model.h.summary(blockSize, embd));
        List<Parameter> matrices = new ArrayList<>(), others = new ArrayList<>();
        model.namedParameters().forEach((name, p) -> {
            if (p.shape().length >= 2) matrices.add(p);
            else if (bias || !name.endsWith("bias")) others.add(p);                    // untrained biases stay at their initial 0
        });
        System.out.printf("trained parameters: %,d%n", Stream.concat(matrices.stream(), others.stream()).mapToLong(p -> Shape.size(p.shape())).sum());
        Optimizer[] opts = {new AdamW(matrices, lr, 0.9, 0.99, 1e-8, 0.1, false), new AdamW(others, lr, 0.9, 0.99, 1e-8, 0, false)};
        LrSchedule schedule = LrSchedule.linearWarmup(warmup, LrSchedule.cosine(Math.max(1, iters - warmup), minLr));
        Random batches = new Random(seed + 1);
        List<Double> steps = new ArrayList<>(), trainCurve = new ArrayList<>(), valCurve = new ArrayList<>();
        double[] last = {Double.NaN, Double.NaN};
        long start = System.nanoTime();
        for (int it = 0; it <= iters; it++) {
            if (it % evalInterval == 0 || it == iters) {
                last = new double[] {estimate(model, corpus.train(), new Random(seed + 2)), estimate(model, corpus.val(), new Random(seed + 3))};
                steps.add((double) it);
                trainCurve.add(last[0]);
                valCurve.add(last[1]);
                System.out.printf("step %d: train loss %.4f, val loss %.4f (%.1f s)%n", it, last[0], last[1], (System.nanoTime() - start) / 1e9);
            }
            if (it == iters) break;
            for (Optimizer o : opts) schedule.applyTo(o, it, lr);
            Batch b = starts == null ? Batch.draw(corpus.train(), batchSize, blockSize, batches)
                    : Batch.at(corpus.train(), starts.slice(0, it, it + 1).toIntArray(), blockSize);
            Gradients g;
            try (GradientTape tape = GradientTape.record()) {
                g = Losses.crossEntropy(model.forward(b.x()).reshape(-1, corpus.vocab().length), b.y()).backward();
            }
            g = Clipping.byGlobalNorm(g, 1.0);
            for (Optimizer o : opts) o.step(g);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, double[]> curves = new LinkedHashMap<>();
        curves.put("train loss", trainCurve.stream().mapToDouble(Double::doubleValue).toArray());
        curves.put("val loss", valCurve.stream().mapToDouble(Double::doubleValue).toArray());
        double[] xs = steps.stream().mapToDouble(Double::doubleValue).toArray();
        double all = lossOverAllWindows(model, corpus.val());
        System.out.printf("validation loss over all %d windows: %.4f%n", (corpus.val().length - 1) / blockSize, all);
        pictures(model, corpus, curves, xs);
        return new Result(last[0], last[1], all, seconds, curves, xs);
    }

    /** The mean loss over {@code evalIters} random batches, without a tape. */
    double estimate(Gpt model, int[] data, Random r) {
        double sum = 0;
        for (int i = 0; i < evalIters; i++) {
            Batch b = Batch.draw(data, batchSize, blockSize, r);
            sum += Losses.crossEntropy(model.forward(b.x()).reshape(-1, model.wte.weight.shape()[0]), b.y()).item();
        }
        return sum / evalIters;
    }

    /** The mean loss over every non-overlapping window of {@code data} (a less noisy figure than 20 random batches). */
    double lossOverAllWindows(Gpt model, int[] data) {
        int windows = (data.length - 1) / blockSize;
        double sum = 0;
        for (int from = 0; from < windows; from += batchSize) {
            int b = Math.min(batchSize, windows - from);
            int[] x = new int[b * blockSize], y = new int[b * blockSize];
            for (int i = 0; i < b; i++) {
                System.arraycopy(data, (from + i) * blockSize, x, i * blockSize, blockSize);
                System.arraycopy(data, (from + i) * blockSize + 1, y, i * blockSize, blockSize);
            }
            sum += b * Losses.crossEntropy(model.forward(codes(x, b, blockSize)).reshape(-1, model.wte.weight.shape()[0]), y).item();
        }
        return sum / windows;
    }

    void pictures(Gpt model, Corpus corpus, Map<String, double[]> curves, double[] steps) throws IOException {
        Plots.curves("char-transformer: loss on " + evalIters + " batches", "step", "cross entropy", steps, curves, out.resolve("loss.png"));
        int n = Math.min(blockSize, corpus.val().length - 1);
        int[] window = java.util.Arrays.copyOfRange(corpus.val(), 0, n);
        String text = corpus.decode(window);
        Images.png(Images.attentionMap(model.attention(window, layers - 1, 0).toDoubleArray(), labels(text), labels(text),
                "char-transformer: block " + (layers - 1) + ", head 0"), out.resolve("attention.png"));
        int[] start = {corpus.vocab()[0] == '\n' ? 0 : window[0]};                   // nanoGPT's sample.py starts from a line break
        String sample = corpus.decode(model.sample(start, sampleChars, 0.8, new Random(seed + 4)));
        Files.writeString(out.resolve("samples.txt"), sample);
        System.out.println("sample:\n" + sample + "\npictures in " + out);
    }

    /** One label per character, with visible stand-ins for a line break and a space. */
    private static String[] labels(String s) {
        return s.chars().mapToObj(c -> c == '\n' ? "\u21b5" : c == ' ' ? "\u2423" : String.valueOf((char) c)).toArray(String[]::new);
    }
}
