package dev.tapegrad.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.ListStatistics;

/**
 * The peer table of {@code benchmarks/run-peers}: one Markdown row per workload (a benchmark and its parameters
 * other than {@code engine}), each engine's score, and each peer's time divided by tapegrad's (above 1: tapegrad is
 * faster). The scores come from JMH's run in the same JVM and from JMH-shaped JSON files such as the one
 * {@code benchmarks/peers-python/peers.py} writes for PyTorch eager; the header names the CPU and the FMA peak that
 * {@code benchmarks/peers-c/fma_peak.c} measured, and {@code n x n} products also show GFLOP/s ({@code 2 n^3 / time})
 * and their share of the two-core peak of their dtype (every engine runs on two threads).
 */
public final class PeerTable {
    private PeerTable() {}

    /** The engines' {@code engine} parameter values and column titles, in column order. */
    static final Map<String, String> ENGINES = Map.of("tapegrad", "tapegrad", "pytorch-eager", "PyTorch eager",
            "pytorch", "PyTorch (DJL)", "dl4j", "DL4J");
    private static final List<String> ORDER = List.of("tapegrad", "pytorch-eager", "pytorch", "dl4j");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One result: JMH's benchmark name, its parameters ({@code engine} among them), {@code score ± error} in
     * {@code unit} (such as {@code us/op}; the error is JMH's 99.9 % confidence half-width, NaN for one round) and
     * the engine's version as the source reports it (null when unknown). The parameters are kept in key order,
     * whatever order the source lists them in, so that every source names a workload alike.
     */
    public record Score(String benchmark, Map<String, String> params, double score, double error, String unit, String version) {
        public Score {
            Objects.requireNonNull(benchmark, "peer table: benchmark is null");
            params = Collections.unmodifiableSortedMap(new TreeMap<>(params));
        }
    }

    /** The machine: CPU model, its AVX2 / AVX-512F flags, fma_peak's build and its GFLOP/s by dtype and core count ("1", "2"). */
    public record Machine(String cpu, boolean avx2, boolean avx512f, String build, Map<String, Map<String, Double>> gflops) {}

    /** A JMH result of this JVM as a {@link Score}; the version is the JDK's. */
    public static Score score(RunResult run) {
        var params = run.getParams();
        Map<String, String> p = new HashMap<>();
        for (String key : params.getParamsKeys()) p.put(key, params.getParam(key));
        var r = run.getPrimaryResult();
        return new Score(params.getBenchmark(), p, r.getScore(), r.getScoreError(), r.getScoreUnit(),
                "JDK " + params.getJdkVersion() + " (" + params.getVmName() + ")");
    }

    /**
     * The results in a JMH JSON file ({@code -rf json}, or peers.py's {@code --out}): each record's {@code benchmark},
     * {@code params} and {@code primaryMetric} ({@code score}, {@code scoreUnit}, and {@code scoreError} or else the
     * {@code rawData} rounds, from which the error is computed as JMH does); {@code engineVersion} if present.
     */
    public static List<Score> read(Path json) {
        JsonNode root = tree(json);
        if (!root.isArray()) throw new IllegalArgumentException("peer results " + json + ": expected a JSON array of JMH results, got " + root.getNodeType());
        List<Score> scores = new ArrayList<>();
        for (JsonNode r : root) {
            JsonNode metric = r.path("primaryMetric");
            if (!r.path("benchmark").isTextual() || !metric.path("score").isNumber() || !metric.path("scoreUnit").isTextual())
                throw new IllegalArgumentException("peer results " + json + ": a record lacks benchmark, primaryMetric.score or primaryMetric.scoreUnit: " + r);
            Map<String, String> params = new HashMap<>();
            r.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
            double error = metric.path("scoreError").isNumber() ? metric.path("scoreError").asDouble() : rawError(metric.path("rawData"));
            scores.add(new Score(r.get("benchmark").asText(), params, metric.get("score").asDouble(), error,
                    metric.get("scoreUnit").asText(), r.path("engineVersion").isTextual() ? r.get("engineVersion").asText() : null));
        }
        return scores;
    }

    /** JMH's score error (99.9 % confidence half-width of the mean) of the rounds of every fork in {@code rawData}. */
    private static double rawError(JsonNode rawData) {
        ListStatistics stats = new ListStatistics();
        for (JsonNode fork : rawData) for (JsonNode round : fork) stats.addValue(round.asDouble());
        return stats.getN() == 0 ? Double.NaN : stats.getMeanErrorAt(0.999);
    }

    /** The machine file that fma_peak writes. */
    public static Machine machine(Path json) {
        JsonNode m = tree(json);
        if (!m.path("cpu").isTextual() || !m.path("gflops").isObject())
            throw new IllegalArgumentException("machine file " + json + ": expected fma_peak's output with cpu and gflops, got " + m);
        Map<String, Map<String, Double>> gflops = new TreeMap<>();
        m.get("gflops").properties().forEach(d -> d.getValue().properties().forEach(c -> gflops
                .computeIfAbsent(d.getKey(), k -> new TreeMap<>()).put(c.getKey(), c.getValue().asDouble())));
        return new Machine(m.get("cpu").asText(), m.path("avx2").asBoolean(), m.path("avx512f").asBoolean(), m.path("build").asText("?"), gflops);
    }

    private static JsonNode tree(Path json) {
        Objects.requireNonNull(json, "peer table: file is null");
        try {
            return JSON.readTree(json.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("peer table: cannot read " + json + ": " + e.getMessage(), e);
        }
    }

    /**
     * The Markdown table of {@code scores}, with a column per engine that has any score, and a header naming the
     * machine ({@code machine} may be null: then the header says the FMA peak was not measured).
     */
    public static String markdown(List<Score> scores, Machine machine) {
        Map<String, Map<String, Score>> rows = new LinkedHashMap<>();
        Set<String> present = new LinkedHashSet<>(), versions = new LinkedHashSet<>();
        for (Score s : scores) {
            String engine = s.params().getOrDefault("engine", "tapegrad");
            if (!ENGINES.containsKey(engine)) throw new IllegalArgumentException("peer table: unknown engine '" + engine + "' in " + s.benchmark() + "; known: " + ORDER);
            rows.computeIfAbsent(workload(s), k -> new LinkedHashMap<>()).put(engine, s);
            present.add(engine);
            if (s.version() != null) versions.add(s.version());
        }
        List<String> engines = ORDER.stream().filter(present::contains).toList();
        List<String> peers = engines.stream().filter(e -> !e.equals("tapegrad")).toList();
        StringBuilder out = new StringBuilder("\n").append(header(machine)).append("\nVersions: ").append(String.join("; ", versions)).append(".\n\n");
        out.append("| workload | unit |");
        engines.forEach(e -> out.append(' ').append(ENGINES.get(e)).append(" |"));
        peers.forEach(e -> out.append(' ').append(ENGINES.get(e)).append(" / tapegrad |"));
        out.append("\n|---|---|").append("---|".repeat(engines.size() + peers.size())).append('\n');
        rows.forEach((key, byEngine) -> {
            out.append("| ").append(key).append(" | ").append(byEngine.values().iterator().next().unit()).append(" |");
            for (String e : engines) out.append(' ').append(cell(byEngine.get(e), machine)).append(" |");
            Score t = byEngine.get("tapegrad");
            for (String e : peers) {
                Score p = byEngine.get(e);
                out.append(t == null || p == null ? " - |" : String.format(Locale.ROOT, " %.2f |", p.score() / t.score()));
            }
            out.append('\n');
        });
        if (machine != null) out.append("\n% of peak: a product's GFLOP/s over the two-core FMA peak of its dtype (every engine runs on 2 threads).\n");
        return out.toString();
    }

    /** "CPU ...; FMA peak ...", or what is missing. */
    static String header(Machine m) {
        if (m == null) return "CPU and FMA peak not measured (benchmarks/peers-c/fma_peak.c did not run).";
        StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "CPU: %s (avx2 %s, avx512f %s). FMA peak (fma_peak, %s build), GFLOP/s:",
                m.cpu(), yesNo(m.avx2()), yesNo(m.avx512f()), m.build()));
        m.gflops().forEach((dtype, byCores) -> h.append(String.format(Locale.ROOT, " %s %.1f on one core, %.1f on two;",
                dtype, byCores.getOrDefault("1", Double.NaN), byCores.getOrDefault("2", Double.NaN))));
        h.setCharAt(h.length() - 1, '.');
        return h.toString();
    }

    private static String yesNo(boolean b) { return b ? "yes" : "no"; }

    /** "Step mlp-64", "MatMul FLOAT32 256", "Overhead forwardNoTape": the class's name between Peer and Benchmark, the method (unless step, product or run), the parameters but engine in key order. */
    static String workload(Score s) {
        StringBuilder key = new StringBuilder(s.benchmark().replaceAll(".*\\.(?:Peer)?(\\w+?)(?:Benchmark)?\\.(\\w+)$", "$1 $2")
                .replaceAll(" (step|product|run)$", ""));
        s.params().forEach((k, v) -> { if (!k.equals("engine")) key.append(' ').append(v); });
        return key.toString();
    }

    /** {@code score ± error}, plus GFLOP/s and % of the two-core peak for an {@code n x n} product. */
    private static String cell(Score s, Machine machine) {
        if (s == null) return "-";
        String text = String.format(Locale.ROOT, "%.4g ± %.2g", s.score(), s.error());
        String n = s.params().get("n");
        if (n == null) return text;
        double size = Double.parseDouble(n), gflops = 2 * size * size * size / (s.score() * secondsPer(s.unit()) * 1e9);
        Double peak = machine == null ? null : machine.gflops().getOrDefault(s.params().get("dtype"), Map.of()).get("2");
        return text + (peak == null ? String.format(Locale.ROOT, " (%.1f GFLOP/s)", gflops)
                : String.format(Locale.ROOT, " (%.1f GFLOP/s, %.0f %% of peak)", gflops, 100 * gflops / peak));
    }

    /** Seconds in one unit of a JMH average-time unit such as {@code us/op}. */
    static double secondsPer(String unit) {
        return switch (unit) {
            case "ns/op" -> 1e-9;
            case "us/op" -> 1e-6;
            case "ms/op" -> 1e-3;
            case "s/op" -> 1;
            default -> throw new IllegalArgumentException("peer table: unit '" + unit + "' is not a JMH average time per operation");
        };
    }
}
