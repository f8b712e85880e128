package io.millrace.perf.waiting;

import io.millrace.shm.ShmDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class WaitProbeTest {

    @TempDir
    Path dir;

    @Test
    void shouldMeasureWakeUpsAndTheFutexBaselineWithAChildJvmAndLeaveNothingBehind() throws Exception {
        ShmDirectory directory = ShmDirectory.at(dir.resolve("base"));
        Path scratch = Files.createDirectory(dir.resolve("scratch")); // this run's own: others' probes are elsewhere

        WaitProbe.Result result = WaitProbe.run(directory, scratch, 1, 20);

        assertThat(result.samples()).isEqualTo(20);
        assertThat(result.wakeP50Nanos()).isPositive().isLessThanOrEqualTo(result.wakeP99Nanos());
        assertThat(result.wakeP99Nanos()).isLessThanOrEqualTo(result.wakeMaxNanos());
        if (BareFutex.available()) {
            assertThat(result.floorP50Nanos()).isPositive().isLessThanOrEqualTo(result.floorP99Nanos());
            assertThat(result.toString()).contains("baseline, a bare futex wake-up");
        } else {
            assertThat(result.floorP50Nanos()).isEqualTo(-1);
            assertThat(result.toString()).doesNotContain("baseline");
        }
        assertThat(directory.list()).as("the probe's region is unlinked").isEmpty();
        try (Stream<Path> left = Files.list(scratch)) {
            assertThat(left.toList()).as("the floor file is removed").isEmpty();
        }
        assertThat(ProcessHandle.current().children()).as("the child JVM is reaped").isEmpty();
    }
}
