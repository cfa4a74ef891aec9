package dev.tapegrad.benchmarks.peers;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs JMH with the given command-line options (default: every {@code Peer} benchmark), then prints a
 * Markdown table: one row per workload, each engine's score (and GFLOP/s for {@code n x n} products), and
 * each peer's time divided by tapegrad's (above 1: tapegrad is faster). Started by {@code benchmarks/run-peers}.
 */
public final class PeerRun {
    private PeerRun() {}

    private static final String[] ENGINES = {"tapegrad", "pytorch", "dl4j"};

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        CommandLineOptions options = new CommandLineOptions(args.length == 0 ? new String[] {"Peer"} : args);
        print(new Runner(options).run());
    }

    static void print(Collection<RunResult> results) {
        Map<String, Map<String, Result<?>>> rows = new LinkedHashMap<>();
        Map<String, Double> sizes = new LinkedHashMap<>();
        for (RunResult run : results) {
            var params = run.getParams();
            StringBuilder key = new StringBuilder(params.getBenchmark().replaceAll(".*\\.Peer(\\w+)Benchmark\\.(\\w+)$", "$1 $2")
                    .replaceAll(" (step|product)$", ""));
            for (String p : params.getParamsKeys()) if (!p.equals("engine")) key.append(' ').append(params.getParam(p));
            rows.computeIfAbsent(key.toString(), k -> new LinkedHashMap<>()).put(params.getParam("engine"), run.getPrimaryResult());
            if (params.getParam("n") != null) sizes.put(key.toString(), Double.parseDouble(params.getParam("n")));
        }
        System.out.println();
        System.out.println("| workload | unit | tapegrad | PyTorch (DJL) | DL4J | PyTorch / tapegrad | DL4J / tapegrad |");
        System.out.println("|---|---|---|---|---|---|---|");
        rows.forEach((key, byEngine) -> {
            Result<?> any = byEngine.values().iterator().next();
            StringBuilder line = new StringBuilder("| " + key + " | " + any.getScoreUnit() + " |");
            for (String e : ENGINES) line.append(' ').append(cell(sizes.get(key), byEngine.get(e))).append(" |");
            Result<?> t = byEngine.get("tapegrad");
            for (String e : new String[] {"pytorch", "dl4j"}) {
                Result<?> p = byEngine.get(e);
                line.append(t == null || p == null ? " - |" : String.format(Locale.ROOT, " %.2f |", p.getScore() / t.getScore()));
            }
            System.out.println(line);
        });
    }

    /** {@code score ± error}, plus GFLOP/s for an {@code n x n} product ({@code n} not null) timed in microseconds. */
    private static String cell(Double n, Result<?> r) {
        if (r == null) return "-";
        String text = String.format(Locale.ROOT, "%.4g ± %.2g", r.getScore(), r.getScoreError());
        if (n != null) text += String.format(Locale.ROOT, " (%.1f GFLOP/s)", 2 * n * n * n / (r.getScore() * 1e3));
        return text;
    }
}
