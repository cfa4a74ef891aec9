package dev.tapegrad.benchmarks.peers;

import dev.tapegrad.benchmarks.PeerTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs JMH with the given command-line options (default: every {@code Peer} benchmark; {@code -h}, {@code -l} and
 * the other lists as JMH's own), then prints the {@link PeerTable}: these results merged with the JMH-shaped JSON file named by the environment variable
 * {@code TAPEGRAD_PEERS_EAGER} (PyTorch eager's, from {@code peers.py}), under the machine header read from the
 * file named by {@code TAPEGRAD_PEERS_MACHINE} (from {@code fma_peak}). Either variable may be unset. Started by
 * {@code benchmarks/run-peers}, which sets both.
 */
public final class PeerRun {
    private PeerRun() {}

    public static void main(String[] args) throws RunnerException, CommandLineOptionException, IOException {
        CommandLineOptions options = new CommandLineOptions(args.length == 0 ? new String[] {"Peer"} : args);
        if (options.shouldHelp() || options.shouldList() || options.shouldListWithParams() || options.shouldListProfilers()
                || options.shouldListResultFormats()) {
            org.openjdk.jmh.Main.main(args);    // JMH's help and lists, no run
            return;
        }
        List<PeerTable.Score> scores = new ArrayList<>();
        for (RunResult run : new Runner(options).run()) scores.add(PeerTable.score(run));
        String eager = System.getenv("TAPEGRAD_PEERS_EAGER"), machine = System.getenv("TAPEGRAD_PEERS_MACHINE");
        if (eager != null) scores.addAll(PeerTable.read(Path.of(eager)));
        System.out.print(PeerTable.markdown(scores, machine == null ? null : PeerTable.machine(Path.of(machine))));
    }
}
