package io.millrace.examples;

import java.io.PrintWriter;
import java.io.StringWriter;

import picocli.CommandLine;

/** Runs the {@code millrace} command line in this JVM and captures what it prints. */
final class Cli {
    private Cli() {
    }

    /** What a run returned and printed. */
    record Result(int exitCode, String out, String err) {
    }

    static Result run(String... args) {
        return run(new StringWriter(), args);
    }

    /** Runs with {@code out} as standard output, for a test that watches the output as it comes. */
    static Result run(StringWriter out, String... args) {
        StringWriter err = new StringWriter();
        CommandLine commandLine = MillraceCli.commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }
}
