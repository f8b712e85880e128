package io.millrace.perf.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One tiny end-to-end run of the harness: the bare SPSC probe of the {@code limit} system at 64 B, two real
 * child JVMs, three 20 ms repetitions. Proves the protocol, the reaping of children and the removal of files.
 */
class HarnessSmokeTest {

    @Test
    void shouldRemoveRunDirectoriesOfKilledRunsOnly(@TempDir Path work) throws Exception {
        Path dead = Files.createDirectories(work.resolve(Harness.RUN_DIR_PREFIX + Long.MAX_VALUE).resolve("x"));
        Path alive = Files.createDirectories(work.resolve(Harness.RUN_DIR_PREFIX + ProcessHandle.current().pid()));
        Path other = Files.createDirectories(work.resolve("someone-else"));

        Harness.removeLeftovers(work);

        assertThat(dead.getParent()).doesNotExist();
        assertThat(alive).exists();
        assertThat(other).exists();
    }

    @Test
    void shouldTimeACopyRoundTripOfTheMessageSizeAboveOneCacheLine(@TempDir Path work) throws Exception {
        BenchSystem limit = Systems.byName("limit").orElseThrow();
        Harness.Config config = new Harness.Config(List.of(limit), List.of(Scenario.PINGPONG), List.of(56, 64, 1024),
                20, 20, 3, work, false, false, "test");

        Report report = Harness.run(config);

        assertThat(report.omissions()).isEmpty();
        assertThat(report.rows()).extracting(r -> r.system() + " " + r.size() + " " + r.note())
                .as("up to 64 B the cache-line round trip stands in; 1 KiB is a trial of its own")
                .containsExactly("limit 56 same measurement as pingpong 64 B", "limit 64 null", "limit 1024 null");
        Row copy = report.rows().getLast();
        assertThat(copy.p50ns().count()).isEqualTo(3);
        assertThat(copy.p50ns().min()).isPositive();
        assertThat(copy.ratioToLimit()).isEqualTo(1.0);
        assertEveryChildReapedAndEveryFileRemoved(work);
    }

    @Test
    void shouldMeasureReapChildrenAndRemoveEveryFile(@TempDir Path work) throws Exception {
        Report report = runLimitSpsc64(work);

        assertThat(report.omissions()).isEmpty();
        assertThat(report.rows()).extracting(r -> r.system() + " " + r.scenario().id() + " " + r.size())
                .containsExactly("limit spsc 64", "limit copy 64");
        Row spsc = report.rows().getFirst();
        assertThat(spsc.msgsPerSec().count()).isEqualTo(3);
        assertThat(spsc.msgsPerSec().min()).isPositive();
        assertThat(spsc.ratioToLimit()).isEqualTo(1.0);
        assertEveryChildReapedAndEveryFileRemoved(work);
    }

    @Test
    void shouldCarryTheConsumersCpuTimeFromItsProcessIntoTheTableAndJson(@TempDir Path work) throws Exception {
        Report report = runLimitSpsc64(work);

        Row spsc = report.rows().getFirst();
        assertThat(spsc.scenario()).isEqualTo(Scenario.SPSC);
        assertThat(spsc.consumerCpuShare().count()).isEqualTo(3);
        assertThat(spsc.consumerCpuShare().min()).as("a spinning consumer is on a CPU some of the time").isPositive();
        assertThat(spsc.consumerCpuShare().max()).as("one thread's CPU time within its window").isLessThan(1.05);
        assertThat(spsc.msgsPerCpuSec().min()).isPositive();
        Row copy = report.rows().getLast();
        assertThat(copy.scenario()).isEqualTo(Scenario.COPY);
        assertThat(copy.consumerCpuShare()).isNull();

        String table = TableFormatter.table(report.rows());
        String header = table.lines().findFirst().orElseThrow();
        String line = table.lines().filter(l -> l.startsWith("spsc")).findFirst().orElseThrow();
        String[] cells = line.trim().split("\\s{2,}");
        assertThat(header).endsWith("cons cpu %  msgs/cpu-s");
        assertThat(cells[cells.length - 2]).isEqualTo(String.format(java.util.Locale.ROOT, "%.0f",
                spsc.consumerCpuShare().median() * 100));
        assertThat(cells[cells.length - 1]).isEqualTo(TableFormatter.si(spsc.msgsPerCpuSec().median()));
        assertThat(JsonWriter.toJson(report.rows())).contains("\"consumerCpuShare\": 0.")
                .contains("\"consumerCpuShare\": null");
        assertEveryChildReapedAndEveryFileRemoved(work);
    }

    /** The bare probe's spsc trial at 64 B (and the copy row it brings), three repetitions of 20 ms. */
    private static Report runLimitSpsc64(Path work) throws Exception {
        BenchSystem limit = Systems.byName("limit").orElseThrow();
        return Harness.run(new Harness.Config(List.of(limit), List.of(Scenario.SPSC), List.of(64),
                20, 20, 3, work, false, false, "test"));
    }

    private static void assertEveryChildReapedAndEveryFileRemoved(Path work) throws Exception {
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList()).isEmpty();
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left.toList()).isEmpty();
        }
    }
}
