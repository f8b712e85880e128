package io.millrace.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line as a whole: the subcommands it lists, and how it reports bad options. */
class MillraceCliTest {

    @Test
    void shouldListTheSubcommandsWithOneLineEach() {
        Cli.Result result = Cli.run("--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).containsPattern("\\n  demo +\\S")
                .containsPattern("\\n  actors +\\S")
                .containsPattern("\\n  stat +\\S")
                .containsPattern("\\n  clean +\\S")
                .containsPattern("\\n  bench +\\S")
                .containsPattern("\\n  help +\\S");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "demo --messages=-1        | millrace demo: --messages must be at least 1, not -1",
        "demo --messages=0         | millrace demo: --messages must be at least 1, not 0",
        "demo --messages=lots      | millrace demo: Invalid value for option '--messages'",
        "demo --seed=x             | millrace demo: Invalid value for option '--seed'",
        "demo --kill-producer-after=0 | millrace demo: --kill-producer-after must be at least 1, not 0",
        "stat --interval=0         | millrace stat: --interval must be at least 10, not 0",
        "stat --region=a/b         | millrace stat: --region must be a region name or a glob without '/'",
        "stat --frobnicate         | millrace stat: Unknown option: '--frobnicate'",
        "clean --dir               | millrace clean: Missing required parameter for option '--dir'",
        "clean --dir=              | millrace clean: --dir must name a directory, not an empty path",
        "stat --dir=               | millrace stat: --dir must name a directory, not an empty path",
        "demo --dir=               | millrace demo: --dir must name a directory, not an empty path",
        "nonsense                  | millrace: Unmatched argument at index 0: 'nonsense'",
    })
    void shouldRefuseABadOptionNamingIt(String args, String message) {
        Cli.Result result = Cli.run(args.split(" "));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith(message).contains("--help' for the options.");
    }

    @Test
    void shouldRefuseADirectoryThatIsAFile() throws IOException {
        Path file = Files.createTempFile("millrace-cli-test-", ".txt");
        try {
            for (String command : new String[] {"demo", "actors", "stat", "clean"}) {
                Cli.Result result = Cli.run(command, "--dir", file.toString());

                assertThat(result.exitCode()).isEqualTo(2);
                assertThat(result.err()).startsWith("millrace " + command + ": --dir " + file + " is not a directory");
            }
        } finally {
            Files.delete(file);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo", "actors", "stat", "clean"})
    void shouldNameTheDefaultDirectoryOfShmDirectoryInEveryHelp(String command) {
        Cli.Result result = Cli.run(command, "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out().replaceAll("\\s+", " "))
                .contains("(default: $MILLRACE_DIR, else /dev/shm/millrace-$USER)");
    }

    @Test
    void shouldSendBenchToTheLauncher() {
        Cli.Result result = Cli.run("bench", "--anything");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("./millrace bench");
    }
}
