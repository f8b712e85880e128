package io.millrace.state;

import io.millrace.shm.ChildJvm;
import io.millrace.shm.Jvm;
import io.millrace.shm.ShmDirectory;
import io.millrace.shm.ShmTestDirectory;
import io.millrace.shm.UserModule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shared state works on the module path: a user module ({@code src/test/modules/example.state}, compiled here) runs
 * in two JVMs as {@code -m example.state/...} with io.millrace.state and its dependencies on the module path; the
 * first creates a struct array of the module's struct interface (its flyweight generated into io.millrace.state) and
 * a map with the module's record keys, the second opens both, reads and writes, the first sees its writes. Native
 * access is denied to every module but {@link Jvm#NATIVE_ACCESS_MODULES}, so a restricted call from any other fails.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StateModulePathTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Set<String> MODULES = Set.of("io.millrace.state", "io.millrace.actors", "io.millrace.shm",
            "com.lmax.disruptor", "org.slf4j");

    @RegisterExtension
    final ShmTestDirectory dir = new ShmTestDirectory();

    @TempDir
    static Path compiled;
    static String modulePath;

    @BeforeAll
    static void compileTheUserModule() throws IOException {
        modulePath = UserModule.compile(Path.of("src", "test", "modules", "example.state"), MODULES, compiled);
    }

    @Test
    void shouldShareAStructAndAMapBetweenTwoJvmsOnTheModulePath() throws Exception {
        try (ChildJvm first = app("first")) {
            assertThat(first.awaitLine("READY", WAIT)).as("the flyweight's module").isEqualTo("READY io.millrace.state");
            try (ChildJvm second = app("second")) {
                assertThat(second.awaitLine("GOT", WAIT)).isEqualTo("GOT Value[hits=5, misses=1] ann=10");
                assertThat(second.awaitExit(WAIT)).as("second's exit; it printed %s", second.transcript()).isZero();
                assertThat(second.transcript()).noneMatch(line -> line.contains("WARNING"));
            }
            assertThat(first.awaitLine("SEEN", WAIT)).isEqualTo("SEEN Value[hits=12, misses=1] ann=15 bob=7");
            assertThat(first.awaitExit(WAIT)).as("first's exit; it printed %s", first.transcript()).isZero();
            assertThat(first.transcript()).contains("DONE")
                    .noneMatch(line -> line.contains("WARNING")); // no restricted-method or module warnings
        }
        assertThat(dir.files()).as("the first JVM removed the regions").isEmpty();
    }

    private ChildJvm app(String role) {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=" + Jvm.NATIVE_ACCESS_MODULES, "--illegal-native-access=deny", "-Xmx128m",
                "--module-path", modulePath, "-m", "example.state/example.state.StateApp", role);
        return ChildJvm.exec(command, Map.of(ShmDirectory.DIR_ENV, dir.path().toString()));
    }
}
