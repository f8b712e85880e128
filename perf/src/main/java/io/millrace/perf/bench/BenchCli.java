package io.millrace.perf.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Main class of {@code perf/target/millrace-perf.jar}; {@code ./millrace bench ...} runs
 * {@code java -jar millrace-perf.jar bench ...}. Named {@code millrace}, as the user typed it: usage and errors
 * read {@code millrace bench}.
 */
@Command(name = "millrace", mixinStandardHelpOptions = true, version = "millrace-perf 0.1.0",
        description = "Millrace's performance tools.",
        subcommands = {BenchCommand.class, CommandLine.HelpCommand.class})
public final class BenchCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        BenchCommand.originalArgs = args.clone();
        System.exit(commandLine().execute(args));
    }

    /** The command line with its converters and error handling; tests execute it with their own streams. */
    public static CommandLine commandLine() {
        return new CommandLine(new BenchCli());
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
