package dev.tapegrad.nn.train;

import java.io.PrintStream;
import java.util.Map;
import java.util.stream.Collectors;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Reports training progress: a progress bar on a terminal, plain log lines otherwise. */
public interface Progress {
    /** {@code AUTO}: a bar when {@link System#console()} is a terminal, else {@code LINES}. */
    enum Mode { AUTO, BAR, LINES, SILENT }

    void epochBegin(int epoch, int epochs, int steps);

    void step(int step, double loss, Map<String, Double> metrics, double samplesPerSecond);

    void epochEnd(int epoch, Map<String, Double> logs, double seconds);

    /** A line of its own (a warning from {@link Model#fit}); silent progress prints nothing. */
    default void message(String line) { System.out.println(line); }

    static Progress of(Mode mode) {
        Mode m = mode == Mode.AUTO ? (System.console() != null ? Mode.BAR : Mode.LINES) : mode;
        return switch (m) {
            case BAR -> new Bar();
            case LINES -> new Lines(System.out);
            default -> new Progress() {
                public void epochBegin(int e, int n, int s) {}
                public void step(int s, double l, Map<String, Double> m2, double r) {}
                public void epochEnd(int e, Map<String, Double> l, double s) {}
                public void message(String line) {}
            };
        };
    }

    static String format(Map<String, Double> values) {
        return values.entrySet().stream().map(e -> e.getKey() + " " + String.format("%.4f", e.getValue())).collect(Collectors.joining("  "));
    }

    /** One line per tenth of an epoch and one at its end. */
    final class Lines implements Progress {
        private final PrintStream out;
        private int epoch, epochs, steps;

        Lines(PrintStream out) { this.out = out; }

        public void epochBegin(int e, int n, int s) {
            epoch = e;
            epochs = n;
            steps = s;
        }

        public void step(int s, double loss, Map<String, Double> metrics, double rate) {
            if (steps >= 10 && s % (steps / 10) == 0 && s < steps)
                out.printf("epoch %d/%d  step %d/%d  loss %.4f  %s  %.0f samples/s%n", epoch + 1, epochs, s, steps, loss, format(metrics), rate);
        }

        public void epochEnd(int e, Map<String, Double> logs, double seconds) {
            out.printf("epoch %d/%d  %s  (%.1f s)%n", e + 1, epochs, format(logs), seconds);
        }
    }

    /** A live bar (me.tongfei progressbar) with loss, metrics and throughput. */
    final class Bar implements Progress {
        private ProgressBar bar;
        private int epochs;

        public void epochBegin(int e, int n, int s) {
            epochs = n;
            bar = new ProgressBarBuilder().setTaskName("epoch " + (e + 1) + "/" + n).setInitialMax(s).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250).continuousUpdate().build();
        }

        public void step(int s, double loss, Map<String, Double> metrics, double rate) {
            bar.stepTo(s);
            bar.setExtraMessage(String.format(" loss %.4f  %s  %.0f samples/s", loss, format(metrics), rate));
        }

        public void epochEnd(int e, Map<String, Double> logs, double seconds) {
            bar.close();
            System.out.printf("epoch %d/%d  %s  (%.1f s)%n", e + 1, epochs, format(logs), seconds);
        }
    }
}
