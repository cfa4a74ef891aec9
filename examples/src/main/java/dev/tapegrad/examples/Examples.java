package dev.tapegrad.examples;

import dev.tapegrad.examples.rl.CartPoleDqn;
import dev.tapegrad.examples.rl.CartPoleReinforce;
import dev.tapegrad.examples.rl.GridWorldExample;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * Entry point of {@code examples/run}: with no arguments lists the examples, otherwise runs the one
 * named by the first argument with the remaining arguments as its options. Every example prints
 * progress and ends with one line {@code RESULT <name> <key>=<value> ...}; pictures go to {@code out/<name>/}.
 */
public final class Examples {
    private Examples() {}

    /** The registered examples, each a picocli command. */
    static final List<Supplier<Object>> ALL = List.of(CurveFit::new, LogicGates::new, Regression::new, Uat::new, Iris::new, MnistMlp::new, FashionMlp::new, Optimizers::new,
            MnistCnn::new, FashionCnn::new, LeNet5Cifar10::new, ConvAutoencoder::new, CartPoleReinforce::new, CartPoleDqn::new, GridWorldExample::new,
            CharLstm::new, SineLstm::new, CharTransformer::new, Seq2SeqTransformer::new,
            SampleQuality.Tool::new, Vae::new, Gan::new, Dcgan::new, WganGp::new);

    public static void main(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println("usage: examples/run NAME [options]   (examples/run NAME --help for the options)");
            for (Supplier<Object> s : ALL) {
                CommandLine.Model.CommandSpec spec = new CommandLine(s.get()).getCommandSpec();
                System.out.printf("  %-19s %s%n", spec.name(), String.join(" ", spec.usageMessage().description()).replace("%%", "%"));
            }
            return;
        }
        for (Supplier<Object> s : ALL) {
            CommandLine cmd = new CommandLine(s.get()).setExecutionExceptionHandler((e, c, parsed) -> {
                if (!(e instanceof IllegalArgumentException)) throw e;
                c.getErr().println(e.getMessage());
                return 2;
            });
            if (cmd.getCommandName().equals(args[0])) System.exit(cmd.execute(Arrays.copyOfRange(args, 1, args.length)));
        }
        System.err.println("examples/run: no example named '" + args[0] + "'; run examples/run to list them");
        System.exit(2);
    }
}
