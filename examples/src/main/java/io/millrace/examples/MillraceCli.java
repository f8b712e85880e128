package io.millrace.examples;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import io.millrace.shm.ShmException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code millrace} command line: {@code demo}, {@code stat} and {@code clean} run here; {@code bench} is
 * listed here but the launcher script runs it from the {@code perf} module's jar.
 *
 * <p>Exit codes: 0 success, 1 failure (the message says what failed), 2 a usage error (the message names the
 * option).
 */
@Command(name = "millrace", mixinStandardHelpOptions = true, version = "millrace 0.1.0",
        description = "Actors and reactive streams across processes through shared memory.",
        subcommands = {DemoCommand.class, ActorsCommand.class, StatCommand.class, CleanCommand.class, MillraceCli.Bench.class,
                CommandLine.HelpCommand.class})
public final class MillraceCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with its error handling; tests call this with their own writers. */
    public static CommandLine commandLine() {
        return new CommandLine(new MillraceCli())
                .setParameterExceptionHandler(MillraceCli::onUsageError)
                .setExecutionExceptionHandler(MillraceCli::onFailure);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A bad option: one line that names it, and where to read more; no wall of usage text. */
    private static int onUsageError(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        String name = command.getCommandSpec().qualifiedName();
        err.println(name + ": " + e.getMessage());
        err.println("Try '" + name + " --help' for the options.");
        err.flush();
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** A failure while running: the message for the project's own exceptions, a stack trace for bugs. */
    private static int onFailure(Exception e, CommandLine command, CommandLine.ParseResult parseResult) {
        PrintWriter err = command.getErr();
        String name = command.getCommandSpec().qualifiedName();
        if (e instanceof ShmException) {
            err.println(name + ": " + e.getMessage());
        } else {
            err.println(name + ": unexpected error: " + e);
            e.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    /** Keeps {@code bench} in the list; the launcher sends it to the perf module's jar before it gets here. */
    @Command(name = "bench", description = "Benchmarks against peers and physical limits (module perf).",
            mixinStandardHelpOptions = false)
    static final class Bench implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Unmatched
        String[] ignored;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            err.println("millrace bench: the benchmarks live in module perf; run them through the launcher: "
                    + "./millrace bench");
            err.flush();
            return 2;
        }
    }
}
