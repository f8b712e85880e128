package io.millrace.examples;

import io.millrace.shm.ChildJvm;
import io.millrace.shm.ShmDirectory;
import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
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
        List<String> sample = ReadmeSample.under("### Reactive streams across processes");
        String example = ReadmeSample.source("FluxExample");
        assertThat(sample).isNotEmpty().allSatisfy(line -> assertThat(example).contains(line));
    }
}
