package io.millrace.examples;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code millrace actors} end to end: two child JVM nodes and this one. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ActorsCommandTest {

    @RegisterExtension
    final ShmTestDirectory dir = new ShmTestDirectory();

    @Test
    void shouldPlayARallyBetweenTwoChildNodesAndRemoveEveryFile() throws IOException {
        Cli.Result result = Cli.run("actors", "--rounds=1001", "--dir", dir.path().toString());

        assertThat(result.exitCode()).as("exit code; stderr: %s", result.err()).isZero();
        assertThat(result.out()).contains("rally of 1,001 balls between two processes: last hit by pong")
                .contains("nodes stopped, files removed").containsPattern("players: millrace://ping@\\p{XDigit}+/user/player");
        assertThat(dir.files()).isEmpty();
    }

    @Test
    void shouldRefuseARallyOfNoBalls() {
        Cli.Result result = Cli.run("actors", "--rounds=0", "--dir", dir.path().toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--rounds must be at least 1, not 0");
    }
}
