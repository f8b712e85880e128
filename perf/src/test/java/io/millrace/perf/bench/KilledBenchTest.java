package io.millrace.perf.bench;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code bench} run killed (SIGTERM, or SIGINT as Ctrl-C sends it) mid-run leaves no run directory, even when its
 * main thread goes on to the next trial after the shutdown hook removed the directory (the interleaving
 * {@link KilledBenchChild} forces).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class KilledBenchTest {

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT"})
    void shouldLeaveNoRunDirectoryWhenTheNextTrialStartsAfterTheShutdownHook(String signal, @TempDir Path work,
                                                                             @TempDir Path logs) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = logs.resolve("child.log");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                KilledBenchChild.class.getName(), work.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(log).contains("STARTED")) {
                assertThat(child.isAlive()).as("the child runs; output: %s", Files.readString(log)).isTrue();
                assertThat(System.nanoTime() - deadline).as("STARTED within 60 s; output: %s", Files.readString(log))
                        .isNegative();
                LockSupport.parkNanos(10_000_000);
            }
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(child.pid())).inheritIO().start();
            assertThat(kill.waitFor()).as("kill -%s", signal).isZero();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("exited; output: %s", Files.readString(log)).isTrue();
        } finally {
            child.destroyForcibly();
            child.waitFor();
        }
        String output = Files.readString(log);
        assertThat(output).as("the second trial started after the hook removed the run's directory")
                .contains("RESUMED").contains("ENDED");
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left.toList()).as("left in the work directory; output: %s", output).isEmpty();
        }
    }
}
