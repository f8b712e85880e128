package io.millrace.perf.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tiny end-to-end runs of the new systems through the harness, on the one-process scenarios (the {@code driver}
 * role) so that each costs one child process: three 20 ms repetitions each. Proves that the systems play the
 * protocol and leave no process or file behind; the two-JVM variants are run by {@code ./millrace bench}.
 */
class PeerSmokeTest {

    private static Report run(Path work, String system, Scenario scenario, int size) throws Exception {
        Harness.Config config = new Harness.Config(List.of(Systems.byName(system).orElseThrow()),
                List.of(scenario), List.of(size), 20, 20, 3, work, false, false, "test");
        Report report = Harness.run(config);
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList()).isEmpty();
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left.toList()).isEmpty();
        }
        return report;
    }

    @Test
    void shouldStreamBetweenTwoThreadsOfOneProcessOverTheRing(@TempDir Path work) throws Exception {
        Report report = run(work, "ring", Scenario.ACTOR_LOCAL, 64);

        assertThat(report.omissions()).isEmpty();
        Row row = report.rows().getFirst();
        assertThat(row.msgsPerSec().count()).isEqualTo(3);
        assertThat(row.msgsPerSec().min()).isPositive();
        assertThat(row.ratioToLimit()).as("the ring is the actors' limit").isEqualTo(1.0);
    }

    @Test
    void shouldStreamBetweenTwoMillraceActorsOfOneSystem(@TempDir Path work) throws Exception {
        Report report = run(work, "millrace-actors", Scenario.ACTOR_LOCAL, 64);

        assertThat(report.omissions()).isEmpty();
        assertThat(report.rows().getFirst().msgsPerSec().min()).isPositive();
    }

    @Test
    void shouldTimeAsksMadeFromInsideAnActorToAnActorOfAnotherJvm(@TempDir Path work) throws Exception {
        Report report = run(work, "millrace-actors-a2a", Scenario.ACTOR_ASK, 64);

        assertThat(report.omissions()).isEmpty();
        assertThat(report.rows().getFirst().p50ns().min()).isPositive();
        assertThat(Systems.isPeer("millrace-actors-a2a")).isFalse();
    }

    @Test
    void shouldTimeRequestOneRoundTripsOfTheFluxBridgeBetweenTwoJvms(@TempDir Path work) throws Exception {
        Report report = run(work, "millrace", Scenario.FLUX_REQUEST1, 64);

        assertThat(report.omissions()).isEmpty();
        assertThat(report.rows().getFirst().p50ns().min()).isPositive();
    }

    @Test
    void shouldStreamBetweenTwoPekkoActorsOfOneSystem(@TempDir Path work) throws Exception {
        Report report = run(work, "pekko", Scenario.ACTOR_LOCAL, 64);

        assertThat(report.omissions()).isEmpty();
        assertThat(report.rows().getFirst().msgsPerSec().min()).isPositive();
    }

    @Test
    void shouldTimeRequestOneRoundTripsOverTheLocalTransport(@TempDir Path work) throws Exception {
        Report report = run(work, "rsocket-local", Scenario.FLUX_REQUEST1, 64);

        assertThat(report.omissions()).isEmpty();
        Row row = report.rows().getFirst();
        assertThat(row.p50ns().min()).isPositive();
        assertThat(row.p99ns().median()).isGreaterThanOrEqualTo(row.p50ns().median());
    }

    @Test
    void shouldTimeNoOpTasksOnAWarmMillracePoolAndStreamFromAWorkersGenerator(@TempDir Path work) throws Exception {
        Report tasks = run(work, "millrace", Scenario.TASK_DISPATCH, 0);
        Report generator = run(work, "millrace", Scenario.GENERATOR_STREAM, 64);

        assertThat(tasks.omissions()).isEmpty();
        assertThat(tasks.rows().getFirst().p50ns().min()).isPositive();
        assertThat(generator.omissions()).isEmpty();
        assertThat(generator.rows().getFirst().msgsPerSec().min()).isPositive();
    }

    @Test
    void shouldTimeNoOpTasksOnAWarmPythonPool(@TempDir Path work) throws Exception {
        assumeTrue(MachineInfo.pythonVersion() != null, "no python3 on PATH");
        Report report = run(work, "python-pool", Scenario.TASK_DISPATCH, 0);

        assertThat(report.omissions()).isEmpty();
        assertThat(report.rows().getFirst().p50ns().min()).isPositive();
    }
}
