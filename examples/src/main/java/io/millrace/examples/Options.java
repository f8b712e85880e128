package io.millrace.examples;

import java.nio.file.Files;
import java.nio.file.Path;

import io.millrace.shm.ShmDirectory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Checks of option values; each failure names the option, and picocli reports it as a usage error (exit 2). */
final class Options {
    private Options() {
    }

    /** Refuses {@code value < min}: "{@code --messages must be at least 1, not -1}". */
    static void atLeast(CommandSpec spec, String option, long value, long min) {
        if (value < min) {
            throw new ParameterException(spec.commandLine(),
                    option + " must be at least " + Formats.count(min) + ", not " + value);
        }
    }

    /**
     * The base directory named by {@code option}, or the default one ({@link ShmDirectory#defaultPath()}) when it
     * was not given; refused when it is empty or exists and is not a directory. Neither created nor checked further
     * here.
     */
    static Path directory(CommandSpec spec, String option, Path given) {
        if (given != null && given.toString().isEmpty()) {
            throw new ParameterException(spec.commandLine(), option + " must name a directory, not an empty path");
        }
        Path path = (given != null ? given : ShmDirectory.defaultPath()).toAbsolutePath().normalize();
        if (Files.exists(path) && !Files.isDirectory(path)) {
            throw new ParameterException(spec.commandLine(), option + " " + path + " is not a directory");
        }
        return path;
    }
}
