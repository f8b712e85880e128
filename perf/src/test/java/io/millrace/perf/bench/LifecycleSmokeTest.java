package io.millrace.perf.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tiny runs of {@code millrace-lifecycle} through the harness: three 20 ms repetitions (a sample at least each) of
 * watch-latency, restart (actor and node) and join; proves the scenarios play the protocol, report latencies and
 * leave no process or file behind. Not a measurement.
 */
class LifecycleSmokeTest {

    private static Report run(Path work, Scenario scenario, List<Integer> sizes) throws Exception {
        Harness.Config config = new Harness.Config(List.of(Systems.byName("millrace-lifecycle").orElseThrow()),
                List.of(scenario), sizes, 20, 20, 3, work, false, false, "test");
        Report report = Harness.run(config);
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList()).isEmpty();
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left.toList()).isEmpty();
        }
        assertThat(report.omissions()).isEmpty();
        return report;
    }

    @Test
    void shouldTimeTheTerminatedOfAWatcherAfterEachKill(@TempDir Path work) throws Exception {
        Row row = run(work, Scenario.WATCH_LATENCY, List.of(0)).rows().getFirst();
        assertThat(row.p50ns().count()).isEqualTo(3);
        assertThat(row.p50ns().min()).isPositive();
    }

    @Test
    void shouldTimeActorAndNodeRestartsAndJoins(@TempDir Path work) throws Exception {
        List<Row> restarts = run(work, Scenario.RESTART, List.of(Scenario.RESTART_ACTOR, Scenario.RESTART_NODE)).rows();
        assertThat(restarts).extracting(Row::size).containsExactly(Scenario.RESTART_ACTOR, Scenario.RESTART_NODE);
        assertThat(restarts).allSatisfy(row -> assertThat(row.p50ns().min()).isPositive());
        Row join = run(work, Scenario.JOIN, List.of(0)).rows().getFirst();
        assertThat(join.p50ns().min()).isPositive();
    }
}
