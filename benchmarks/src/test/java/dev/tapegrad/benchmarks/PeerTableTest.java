package dev.tapegrad.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerTableTest {
    private static final String PEERS = "dev.tapegrad.benchmarks.peers.";
    private static final String EAGER = """
            [{"benchmark": "dev.tapegrad.benchmarks.peers.PeerMatMulBenchmark.product", "mode": "avgt",
              "engineVersion": "PyTorch 2.13.0+cpu eager, 2 threads",
              "params": {"n": "256", "dtype": "FLOAT32", "engine": "pytorch-eager"},
              "primaryMetric": {"score": 250.0, "scoreUnit": "us/op", "rawData": [[240.0, 250.0, 260.0]]}},
             {"benchmark": "dev.tapegrad.benchmarks.peers.PeerStepBenchmark.step",
              "params": {"model": "mlp-64", "engine": "pytorch-eager"},
              "primaryMetric": {"score": 1.5, "scoreError": 0.25, "scoreUnit": "ms/op"}}]
            """;
    private static final String MACHINE = """
            {"cpu": "Test CPU 9000", "avx2": true, "avx512f": false, "fma": true, "build": "AVX2+FMA", "vectorBytes": 32,
             "accumulators": 12, "gflops": {"FLOAT32": {"1": 100.0, "2": 200.0}, "FLOAT64": {"1": 50.0, "2": 100.0}}}
            """;

    @TempDir
    Path dir;

    private Path file(String name, String text) throws IOException { return Files.writeString(dir.resolve(name), text); }

    private static PeerTable.Score tapegrad(String benchmark, Map<String, String> params, double score, String unit) {
        return new PeerTable.Score(PEERS + benchmark, params, score, 10, unit, "JDK 25 (Test VM)");
    }

    private List<PeerTable.Score> merged() throws IOException {
        List<PeerTable.Score> scores = new ArrayList<>(List.of(
                tapegrad("PeerMatMulBenchmark.product", Map.of("dtype", "FLOAT32", "engine", "tapegrad", "n", "256"), 500, "us/op"),
                tapegrad("PeerStepBenchmark.step", Map.of("engine", "tapegrad", "model", "mlp-64"), 3, "ms/op"),
                tapegrad("PeerStepBenchmark.step", Map.of("engine", "dl4j", "model", "mlp-64"), 6, "ms/op")));
        scores.addAll(PeerTable.read(file("eager.json", EAGER)));
        return scores;
    }

    @Test
    void readsJmhShapedResultsAndComputesTheErrorFromTheRoundsAsJmhDoes() throws IOException {
        List<PeerTable.Score> eager = PeerTable.read(file("eager.json", EAGER));
        assertEquals(2, eager.size());
        PeerTable.Score product = eager.get(0);
        assertEquals(Map.of("dtype", "FLOAT32", "engine", "pytorch-eager", "n", "256"), product.params());
        assertEquals(250.0, product.score());
        // Student's t at 99.9 % with 2 degrees of freedom is 31.599; the rounds' deviation is 10: 31.599 * 10 / sqrt(3).
        assertEquals(182.44, product.error(), 0.01);
        assertEquals("PyTorch 2.13.0+cpu eager, 2 threads", product.version());
        assertEquals(0.25, eager.get(1).error());
        assertEquals(null, eager.get(1).version());
    }

    @Test
    void mergesEveryEngineIntoOneRowPerWorkloadWithRatiosGflopsAndShareOfPeak() throws IOException {
        String table = PeerTable.markdown(merged(), PeerTable.machine(file("machine.json", MACHINE)));
        assertTrue(table.contains("| workload | unit | tapegrad | PyTorch eager | DL4J | PyTorch eager / tapegrad | DL4J / tapegrad |"), table);
        // 2 * 256^3 flops in 500 us = 67.1 GFLOP/s, 34 % of the 200 GFLOP/s two-core FLOAT32 peak.
        assertTrue(table.contains("| MatMul FLOAT32 256 | us/op | 500.0 ± 10 (67.1 GFLOP/s, 34 % of peak) | 250.0 ± 1.8e+02 (134.2 GFLOP/s, 67 % of peak) | - | 0.50 | - |"), table);
        assertTrue(table.contains("| Step mlp-64 | ms/op | 3.000 ± 10 | 1.500 ± 0.25 | 6.000 ± 10 | 0.50 | 2.00 |"), table);
        assertTrue(table.contains("CPU: Test CPU 9000 (avx2 yes, avx512f no). FMA peak (fma_peak, AVX2+FMA build), GFLOP/s: "
                + "FLOAT32 100.0 on one core, 200.0 on two; FLOAT64 50.0 on one core, 100.0 on two."), table);
        assertTrue(table.contains("Versions: JDK 25 (Test VM); PyTorch 2.13.0+cpu eager, 2 threads."), table);
        assertFalse(table.contains("DJL"), "no DJL column without DJL results: " + table);
    }

    @Test
    void withoutTheMachineFileSaysSoAndGivesGflopsOnly() throws IOException {
        String table = PeerTable.markdown(merged(), null);
        assertTrue(table.contains("CPU and FMA peak not measured"), table);
        assertTrue(table.contains("500.0 ± 10 (67.1 GFLOP/s) |"), table);
        assertFalse(table.contains("of peak"), table);
    }

    @Test
    void namesWorkloadsByClassMethodAndParameters() {
        assertEquals("Overhead forwardNoTape", PeerTable.workload(tapegrad("PeerOverheadBenchmark.forwardNoTape", Map.of("engine", "tapegrad"), 1, "us/op")));
        assertEquals("Example lenet5-64", PeerTable.workload(tapegrad("PeerExampleBenchmark.run", Map.of("engine", "tapegrad", "model", "lenet5-64"), 1, "ms/op")));
        assertEquals("MatMul tapegrad", PeerTable.workload(new PeerTable.Score("dev.tapegrad.benchmarks.MatMulBenchmark.tapegrad", Map.of(), 1, 0, "us/op", null)));
    }

    @Test
    void badFilesAndRecordsAreNamed() throws IOException {
        Path object = file("object.json", "{\"benchmark\": \"x\"}");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PeerTable.read(object)).getMessage()
                .contains("object.json: expected a JSON array of JMH results, got OBJECT"));
        Path noMetric = file("nometric.json", "[{\"benchmark\": \"x\", \"params\": {}}]");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PeerTable.read(noMetric)).getMessage()
                .contains("nometric.json: a record lacks benchmark, primaryMetric.score or primaryMetric.scoreUnit"));
        Path missing = dir.resolve("missing.json");
        assertTrue(assertThrows(UncheckedIOException.class, () -> PeerTable.read(missing)).getMessage().contains("cannot read " + missing));
        Path machine = file("machine.json", "{\"cpu\": \"x\"}");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PeerTable.machine(machine)).getMessage()
                .contains("machine.json: expected fma_peak's output with cpu and gflops"));
        List<PeerTable.Score> unknown = List.of(tapegrad("PeerStepBenchmark.step", Map.of("engine", "jax"), 1, "ms/op"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PeerTable.markdown(unknown, null)).getMessage()
                .contains("unknown engine 'jax' in " + PEERS + "PeerStepBenchmark.step"));
        List<PeerTable.Score> unit = List.of(tapegrad("PeerMatMulBenchmark.product", Map.of("engine", "tapegrad", "n", "4"), 1, "ops/s"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PeerTable.markdown(unit, null)).getMessage()
                .contains("unit 'ops/s' is not a JMH average time per operation"));
    }
}
