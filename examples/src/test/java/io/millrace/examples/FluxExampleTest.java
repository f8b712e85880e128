package io.millrace.examples;

import io.millrace.shm.ChildJvm;
import io.millrace.shm.ShmDirectory;
import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's reactive sample is {@link FluxExample}, and it works across two processes. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FluxExampleTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    final ShmTestDirectory dir = new ShmTestDirectory();

    @Test
    void shouldStreamTheTicksOfOneProcessThroughReactorOperatorsInAnother() throws Exception {
        List<String> options = List.of("-D" + ShmDirectory.DIR_PROPERTY + "=" + dir.path());
        try (ChildJvm publisher = ChildJvm.start(options, FluxExample.class, "publish")) {
            publisher.awaitLine("PUBLISHED ticks", WAIT);
            try (ChildJvm subscriber = ChildJvm.start(options, FluxExample.class, "subscribe")) {
                assertThat(subscriber.awaitLine("received", WAIT)).isEqualTo("received 100 ticks ending in 0");
                assertThat(subscriber.awaitExit(WAIT)).isZero();
            }
            assertThat(publisher.awaitLine("publisher done", WAIT)).isEqualTo("publisher done");
            assertThat(publisher.awaitExit(WAIT)).isZero();
        }
        assertThat(dir.files()).as("both sides removed their regions").isEmpty();
    }

    @Test
    void shouldHoldTheReadmeSampleLines() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("```java\n", readme.indexOf("### Reactive streams across processes"))
                + "```java\n".length();
        List<String> sample = readme.substring(start, readme.indexOf("```", start)).lines()
                .map(String::strip).filter(line -> !line.isEmpty()).toList();
        String example = Files.readString(Path.of("src/main/java/io/millrace/examples/FluxExample.java"));
        assertThat(sample).isNotEmpty().allSatisfy(line -> assertThat(example).contains(line));
    }
}
