package dev.tapegrad.examples;

import dev.tapegrad.autodiff.DType;
import dev.tapegrad.autodiff.Gradients;
import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.Embedding;
import dev.tapegrad.nn.LSTM;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.Losses;
import dev.tapegrad.nn.Module;
import dev.tapegrad.nn.RecurrentOutput;
import dev.tapegrad.nn.RecurrentState;
import dev.tapegrad.nn.data.DataFiles;
import dev.tapegrad.optim.Adam;
import dev.tapegrad.optim.Clipping;
import dev.tapegrad.optim.LrSchedule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A character-level LSTM language model on Tiny Shakespeare (char-rnn): embedding, a multi-layer
 * {@link LSTM} with dropout between layers, and a linear read-out to the vocabulary; softmax cross entropy on
 * the next character. Training is truncated back-propagation through time: the training text (the first
 * 90 %) is cut into {@code batch} contiguous streams, each step reads the next {@code seq} characters of every
 * stream and starts from the previous step's final state, detached. Adam with a cosine learning-rate decay,
 * gradient clipping by global norm. Every {@code sample-every} steps it prints the validation loss on a part of
 * the validation text and a sample drawn with temperature {@code temperature}.
 *
 * <p>The reported {@code val_loss} is the mean cross entropy in nats per character over the whole validation
 * text (the last 10 %), read as {@code batch} streams with the state carried across chunks, in eval mode.
 */
@Command(name = "char-lstm", mixinStandardHelpOptions = true,
        description = "Character-level LSTM language model on Tiny Shakespeare (truncated BPTT, clipping, sampling); val loss in nats per character.")
final class CharLstm implements Callable<Integer> {
    @Option(names = "--steps", defaultValue = "600", description = "training steps (default ${DEFAULT-VALUE})")
    int steps;
    @Option(names = "--layers", defaultValue = "2", description = "LSTM layers (default ${DEFAULT-VALUE})")
    int layers;
    @Option(names = "--hidden", defaultValue = "256", description = "LSTM hidden size (default ${DEFAULT-VALUE})")
    int hidden;
    @Option(names = "--embedding", defaultValue = "64", description = "character embedding size (default ${DEFAULT-VALUE})")
    int embedding;
    @Option(names = "--seq", defaultValue = "64", description = "characters per truncated BPTT segment (default ${DEFAULT-VALUE})")
    int seq;
    @Option(names = "--batch", defaultValue = "32", description = "parallel text streams per step (default ${DEFAULT-VALUE})")
    int batch;
    @Option(names = "--lr", defaultValue = "3e-3", description = "Adam learning rate, decayed by a cosine to 10%% of it (default ${DEFAULT-VALUE})")
    double lr;
    @Option(names = "--dropout", defaultValue = "0.1", description = "dropout between LSTM layers (default ${DEFAULT-VALUE})")
    double dropout;
    @Option(names = "--clip", defaultValue = "1", description = "maximal global gradient norm (default ${DEFAULT-VALUE})")
    double clip;
    @Option(names = "--temperature", defaultValue = "0.8", description = "sampling temperature (default ${DEFAULT-VALUE})")
    double temperature;
    @Option(names = "--sample-every", defaultValue = "100", description = "steps between validation estimates and samples (default ${DEFAULT-VALUE})")
    int sampleEvery;
    @Option(names = "--sample-length", defaultValue = "300", description = "characters per sample (default ${DEFAULT-VALUE})")
    int sampleLength;
    @Option(names = "--limit", defaultValue = "0", description = "use only the first N characters of the text (default: all)")
    int limit;
    @Option(names = "--seed", defaultValue = "1", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--data", description = "Tiny Shakespeare directory (default ../shared/data/tinyshakespeare)")
    Path data;
    @Option(names = "--out", defaultValue = "out/char-lstm", description = "folder for the loss plot (default ${DEFAULT-VALUE})")
    Path out;

    /** Embedding, LSTM, read-out: character indices {@code [T, B]} to logits {@code [T, B, V]}. */
    static final class CharModel extends Module {
        final Embedding embedding;
        final LSTM lstm;
        final Linear head;

        CharModel(int vocab, int embeddingSize, int hidden, int layers, double dropout, Random r) {
            embedding = child("embedding", new Embedding(vocab, embeddingSize, r));
            lstm = child("lstm", new LSTM(embeddingSize, hidden, layers, true, false, dropout, false, r));
            head = child("head", new Linear(hidden, vocab, r));
        }

        /** Logits {@code [T, B, V]} and the final state, from {@code state} ({@code null}: zeros). */
        RecurrentOutput logits(Tensor indices, RecurrentState state) {
            RecurrentOutput o = lstm.forward(embedding.forward(indices), state);
            return new RecurrentOutput(head.forward(o.output()), o.state());
        }

        @Override
        public Tensor forward(Tensor indices) { return logits(indices, null).output(); }
    }

    /** The training curve (loss per step), the validation estimates (step, loss), the final validation loss and the last sample. */
    record Result(double[] trainLoss, List<double[]> valLoss, double finalValLoss, String sample, double seconds) {}

    Result run() throws IOException {
        CharCorpus corpus = CharCorpus.tinyShakespeare(data != null ? data : DataFiles.dir("tinyshakespeare"), limit);
        Random random = new Random(seed);
        CharModel model = new CharModel(corpus.size(), embedding, hidden, layers, dropout, random);
        System.out.printf("vocabulary %d characters, %,d training and %,d validation characters%n", corpus.size(), corpus.train().length, corpus.val().length);
        System.out.print(model.summary(1));
        Adam opt = new Adam(model.parameters(), lr);
        LrSchedule schedule = LrSchedule.cosine(steps, lr * 0.1);
        Streams train = new Streams(corpus.train(), batch, seq);
        double[] losses = new double[steps];
        List<double[]> val = new ArrayList<>();
        RecurrentState state = null;
        String sample = "";
        long start = System.nanoTime();
        for (int step = 0; step < steps; step++) {
            if (train.position == 0) state = null;              // a new pass over the text starts from zeros
            Streams.Chunk chunk = train.next();
            schedule.applyTo(opt, step, lr);
            model.train();
            Gradients grads;
            try (GradientTape tape = GradientTape.record()) {
                RecurrentOutput o = model.logits(chunk.inputs(), state);
                Tensor loss = Losses.crossEntropy(o.output().reshape(-1, corpus.size()), chunk.targets());
                losses[step] = loss.item();
                grads = Clipping.byGlobalNorm(loss.backward(), clip);
                state = new RecurrentState(o.state().h().detach(), o.state().c().detach());
            }
            opt.step(grads);
            if ((step + 1) % sampleEvery == 0 || step == steps - 1) {
                double v = validationLoss(model, corpus, 20);
                val.add(new double[] {step + 1, v});
                sample = sample(model, corpus, sampleLength, temperature, new Random(seed + step));
                System.out.printf("step %5d  train loss %.4f  val loss (20 chunks) %.4f  %.0f s%n--- sample ---%n%s%n--------------%n", step + 1,
                        losses[step], v, (System.nanoTime() - start) / 1e9, sample);
            } else if ((step + 1) % Math.max(1, sampleEvery / 10) == 0) {
                System.out.printf("step %5d  train loss %.4f%n", step + 1, losses[step]);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(losses, val, validationLoss(model, corpus, 0), sample, seconds);
    }

    @Override
    public Integer call() throws IOException {
        Result r = run();
        Plots.trainingCurve("char-lstm: cross entropy per character", r.trainLoss(), r.valLoss(), "loss (nats per character)", out.resolve("loss.png"));
        System.out.println("loss plot in " + out);
        System.out.printf("RESULT char-lstm val_loss=%.4f train_loss=%.4f steps=%d train_seconds=%.0f%n", r.finalValLoss(),
                java.util.Arrays.stream(r.trainLoss(), Math.max(0, steps - 20), steps).average().orElse(Double.NaN), steps, r.seconds());
        return 0;
    }

    /** {@code batch} contiguous streams over a text, read {@code seq} characters at a time. */
    static final class Streams {
        /** Character indices {@code [seq, batch]} and the next characters, flattened in the same order. */
        record Chunk(Tensor inputs, int[] targets) {}

        final int[] text;
        final int batch, seq, length;
        int position;

        Streams(int[] text, int batch, int seq) {
            this.text = text;
            this.batch = batch;
            this.seq = seq;
            this.length = text.length / batch;
            if (length < seq + 1)
                throw new IllegalArgumentException("char-lstm: " + text.length + " characters are too few for " + batch + " streams of " + (seq + 1));
        }

        /** The number of full chunks per pass. */
        int chunks() { return (length - 1) / seq; }

        /** The next chunk; wraps to the start after the last full chunk. */
        Chunk next() {
            double[] x = new double[seq * batch];
            int[] y = new int[seq * batch];
            for (int t = 0; t < seq; t++)
                for (int b = 0; b < batch; b++) {
                    int i = b * length + position + t;
                    x[t * batch + b] = text[i];
                    y[t * batch + b] = text[i + 1];
                }
            position += seq;
            if (position + seq + 1 > length) position = 0;
            return new Chunk(Tensor.of(x, seq, batch).to(DType.FLOAT32), y);
        }
    }

    /** Mean cross entropy per character of the validation text, in eval mode, state carried; {@code chunks} 0 means all of it. */
    double validationLoss(CharModel model, CharCorpus corpus, int chunks) {
        model.eval();
        Streams s = new Streams(corpus.val(), batch, seq);
        int n = chunks == 0 ? s.chunks() : Math.min(chunks, s.chunks());
        double sum = 0;
        RecurrentState state = null;
        for (int k = 0; k < n; k++) {
            Streams.Chunk chunk = s.next();
            RecurrentOutput o = model.logits(chunk.inputs(), state);
            sum += Losses.crossEntropy(o.output().reshape(-1, corpus.size()), chunk.targets()).item();
            state = o.state();
        }
        model.train();
        return sum / n;
    }

    /** {@code length} characters drawn one at a time from softmax(logits / temperature), starting after a newline. */
    static String sample(CharModel model, CharCorpus corpus, int length, double temperature, Random random) {
        model.eval();
        StringBuilder b = new StringBuilder();
        int c = corpus.index('\n');
        RecurrentState state = null;
        for (int i = 0; i < length; i++) {
            RecurrentOutput o = model.logits(Tensor.of(new float[] {c}, 1, 1), state);
            state = o.state();
            double[] p = o.output().reshape(-1).div(temperature).softmax(0).toDoubleArray();
            double u = random.nextDouble(), acc = 0;
            c = p.length - 1;
            for (int k = 0; k < p.length; k++) if ((acc += p[k]) > u) { c = k; break; }
            b.append(corpus.vocab()[c]);
        }
        model.train();
        return b.toString();
    }
}
