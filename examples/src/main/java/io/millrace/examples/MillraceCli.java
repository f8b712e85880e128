package io.millrace.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code millrace} command line. */
@Command(name = "millrace", mixinStandardHelpOptions = true, version = "millrace 0.1.0",
        description = "Actors and reactive streams across processes through shared memory.",
        subcommands = {CommandLine.HelpCommand.class})
public final class MillraceCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new MillraceCli()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
