package io.millrace.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.millrace.shm.ChildJvm;
import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's code sample is {@link ReadmeExample}, and it does what the README says, across two processes. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadmeExampleTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final ShmTestDirectory dir = new ShmTestDirectory();

    @Test
    void shouldDeliverEveryRecordOfProcessBToProcessAAndRemoveTheRegion() throws Exception {
        List<String> options = List.of("-D" + io.millrace.shm.ShmDirectory.DIR_PROPERTY + "=" + dir.path());
        long bytes = "an order".length() + 64 + IntStream.range(0, 1000).map(i -> ("message " + i).length()).sum();
        try (ChildJvm a = ChildJvm.start(options, ReadmeExample.class, "a");
             ChildJvm b = ChildJvm.start(options, ReadmeExample.class, "b")) {
            assertThat(b.awaitLine("B sent", WAIT)).isEqualTo("B sent 1002 records");
            assertThat(b.awaitExit(WAIT)).as("B's exit; output: %s", b.transcript()).isZero();

            assertThat(a.awaitLine("A received", WAIT)).isEqualTo("A received " + bytes + " bytes, seen=1");
            assertThat(a.awaitExit(WAIT)).as("A's exit; output: %s", a.transcript()).isZero();
        }
        assertThat(dir.files()).as("process A removed the region").isEmpty();
    }

    @Test
    void shouldHoldEveryLineOfTheReadmeSampleInOrder() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("```java\n", readme.indexOf("## Using it")) + "```java\n".length();
        List<String> sample = lines(readme.substring(start, readme.indexOf("```", start)));
        List<String> example = lines(Files.readString(
                Path.of("src/main/java", ReadmeExample.class.getName().replace('.', '/') + ".java")));

        assertThat(sample).hasSizeGreaterThan(20);
        int at = 0;
        for (String line : sample) {
            int found = example.subList(at, example.size()).indexOf(line);
            assertThat(found).as("README line '%s' in ReadmeExample.java after its line %s", line, at)
                    .isNotNegative();
            at += found + 1;
        }
    }

    private static List<String> lines(String text) {
        return text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }
}
