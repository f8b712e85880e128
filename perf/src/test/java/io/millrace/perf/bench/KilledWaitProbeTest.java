package io.millrace.perf.bench;

import io.millrace.shm.Jvm;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code bench} run killed (SIGTERM, or SIGINT as Ctrl-C sends it) during its wait probe leaves no
 * {@code millrace-wait-*} directory (the probe's region and futex file in it) and no probe child JVM: the signal
 * comes once the probe's region exists and its child runs, seconds before the probe ends.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class KilledWaitProbeTest {

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT"})
    void shouldLeaveNoProbeDirectoryNorChildWhenKilledDuringTheWaitProbe(String signal, @TempDir Path work,
                                                                        @TempDir Path logs) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = logs.resolve("child.log");
        Process child = new ProcessBuilder(java, Jvm.NATIVE_ACCESS_FLAG, "-cp", System.getProperty("java.class.path"),
                KilledWaitProbeChild.class.getName(), work.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        List<ProcessHandle> probes = List.of();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!probing(work) || (probes = child.descendants().toList()).isEmpty()) {
                assertThat(child.isAlive()).as("the child runs; output: %s", Files.readString(log)).isTrue();
                assertThat(System.nanoTime() - deadline).as("the probe within 60 s; output: %s",
                        Files.readString(log)).isNegative();
                LockSupport.parkNanos(10_000_000);
            }
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(child.pid())).inheritIO().start();
            assertThat(kill.waitFor()).as("kill -%s", signal).isZero();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("exited; output: %s", Files.readString(log)).isTrue();
            for (ProcessHandle probe : probes) {
                assertThat(probe.onExit().get(30, TimeUnit.SECONDS).isAlive()).as("probe child pid %d",
                        probe.pid()).isFalse();
            }
        } finally {
            probes.forEach(ProcessHandle::destroyForcibly);
            child.destroyForcibly();
            child.waitFor();
        }
        String output = Files.readString(log);
        assertThat(output).as("killed before the probe ended").doesNotContain("wake-up after publish");
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left.toList()).as("left in the work directory; output: %s", output).isEmpty();
        }
    }

    /** Whether the probe's directory holds its region. */
    private static boolean probing(Path work) throws IOException {
        try (Stream<Path> dirs = Files.list(work)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith(BenchCommand.WAIT_DIR_PREFIX))
                    .anyMatch(d -> {
                        try (Stream<Path> files = Files.list(d)) {
                            return files.anyMatch(f -> f.getFileName().toString().endsWith(".region"));
                        } catch (IOException gone) {
                            return false;
                        }
                    });
        }
    }
}
