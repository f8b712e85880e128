package io.millrace.perf.cmap;

import io.millrace.perf.bench.Harness;
import io.millrace.perf.bench.Report;
import io.millrace.perf.bench.Row;
import io.millrace.perf.bench.Scenario;
import io.millrace.perf.bench.Systems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tiny run of {@code chronicle-map} through the harness (one 20 ms repetition of map-get and of map-put): proves
 * its child starts on its own class path (found next to perf's classes), plays the protocol, reports latencies and
 * leaves no process or file behind. Not a measurement.
 */
class ChronicleMapSmokeTest {

    @Test
    void shouldTimeGetsAndPutsOfAChronicleMapInAChildOnItsOwnClassPath(@TempDir Path work) throws Exception {
        Harness.Config config = new Harness.Config(List.of(Systems.byName("chronicle-map").orElseThrow()),
                List.of(Scenario.MAP_GET, Scenario.MAP_PUT), List.of(64), 20, 20, 1, work, false, false, "test",
                false);
        Report report = Harness.run(config);
        assertThat(report.omissions()).isEmpty();
        assertThat(report.rows()).extracting(Row::scenario).containsExactly(Scenario.MAP_GET, Scenario.MAP_PUT);
        assertThat(report.rows()).allSatisfy(r -> assertThat(r.p50ns().min()).isPositive());
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList()).isEmpty();
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left.toList()).isEmpty();
        }
    }
}
