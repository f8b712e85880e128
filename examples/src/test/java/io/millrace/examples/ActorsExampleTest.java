package io.millrace.examples;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.millrace.shm.ChildJvm;
import io.millrace.shm.ShmDirectory;
import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's first actor sample is {@link ActorsExample}, and it plays its rally across three JVMs. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ActorsExampleTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @RegisterExtension
    final ShmTestDirectory dir = new ShmTestDirectory();

    @Test
    void shouldPlayTheRallyBetweenTwoChildNodesAndRemoveEveryFile() throws Exception {
        List<String> options = List.of("-D" + ShmDirectory.DIR_PROPERTY + "=" + dir.path());
        try (ChildJvm referee = ChildJvm.start(options, ActorsExample.class, "101")) {
            assertThat(referee.awaitLine("rally of", WAIT))
                    .isEqualTo("rally of 101 balls across two processes: last hit by pong");
            assertThat(referee.awaitExit(WAIT)).as("exit; output: %s", referee.transcript()).isZero();
        }
        assertThat(dir.files()).as("files left").isEmpty();
    }
}
