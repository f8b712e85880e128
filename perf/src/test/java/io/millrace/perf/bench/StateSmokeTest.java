package io.millrace.perf.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tiny runs of the shared-state scenarios through the harness: one 20 ms repetition of each, on each system that
 * plays it; proves they play the protocol (the two-process variants with two drivers), report rates or latencies
 * and leave no process or file behind. Not a measurement.
 */
class StateSmokeTest {

    private static List<Row> run(Path work, String system, List<Scenario> scenarios) throws Exception {
        Harness.Config config = new Harness.Config(List.of(Systems.byName(system).orElseThrow()), scenarios,
                List.of(64), 20, 20, 1, work, false, false, "test", false);
        Report report = Harness.run(config);
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList()).isEmpty();
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left.toList()).isEmpty();
        }
        assertThat(report.omissions()).isEmpty();
        return report.rows();
    }

    @Test
    void shouldCountIncrementsAndCommitsOfOneAndTwoMillraceProcesses(@TempDir Path work) throws Exception {
        List<Row> rows = run(work, Systems.MILLRACE, List.of(Scenario.STRUCT_INC, Scenario.TX_COMMIT));
        assertThat(rows).extracting(Row::scenario, Row::size).containsExactly(
                tuple(Scenario.STRUCT_INC, 1),
                tuple(Scenario.STRUCT_INC, 2),
                tuple(Scenario.TX_COMMIT, 1),
                tuple(Scenario.TX_COMMIT, 2));
        assertThat(rows).allSatisfy(r -> assertThat(r.msgsPerSec().min()).isPositive());
    }

    @Test
    void shouldTimeMapGetsAndPutsOfMillraceAndConcurrentHashMap(@TempDir Path work) throws Exception {
        for (String system : List.of(Systems.MILLRACE, "chm")) {
            List<Row> rows = run(work, system, List.of(Scenario.MAP_GET, Scenario.MAP_PUT));
            assertThat(rows).hasSize(2).allSatisfy(r -> {
                assertThat(r.size()).isEqualTo(64);
                assertThat(r.p50ns().min()).isPositive();
            });
        }
    }

    @Test
    void shouldCountPythonValueIncrementsAndTimeManagerDictGets(@TempDir Path work) throws Exception {
        List<Row> value = run(work, "python-value", List.of(Scenario.STRUCT_INC));
        assertThat(value).hasSize(2).allSatisfy(r -> assertThat(r.msgsPerSec().min()).isPositive());
        List<Row> manager = run(work, "python-manager", List.of(Scenario.MAP_GET));
        assertThat(manager.getFirst().p50ns().min()).isPositive();
    }
}
