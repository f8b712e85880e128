package io.millrace.perf.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TableFormatterTest {

    private static Report report() {
        List<Row> rows = Ratios.apply(List.of(
                new Row("limit", Scenario.SPSC, 65536, Summary.of(600_000, 500_000, 700_000),
                        Summary.of(36.6), null, null, null, null, null, null, null),
                new Row("agrona", Scenario.SPSC, 65536, Summary.of(300_000, 290_000, 310_000),
                        Summary.of(18.3), null, null, null, null, null, null, null, Summary.of(0.456),
                        Summary.of(657_894.7)),
                new Row("limit", Scenario.COPY, 65536, Summary.of(610_000), Summary.of(37.2),
                        null, null, null, null, null, null, null),
                new Row("limit", Scenario.PINGPONG, 64, Summary.of(5_000_000), null, Summary.of(150, 140, 160),
                        Summary.of(200), Summary.of(900), null, null, null, "same measurement as pingpong 64 B")));
        MachineInfo machine = new MachineInfo(2, "Test CPU", 8L << 30, "JDK 25", "Linux", null);
        return new Report(rows, List.of(new Omission("pipe", Scenario.MPSC3, 65536, "too big for PIPE_BUF")),
                List.of(), 1000, 1000, 5, machine, "./millrace bench");
    }

    @Test
    void shouldSayHowFiguresWereMeasured() {
        String text = TableFormatter.format(report());
        assertThat(text).contains("median of 5 repetitions of 1000 ms").contains("[min-max]")
                .contains("2 CPUs (nproc), Test CPU, 8.0 GiB memory").contains("jdk: JDK 25");
    }

    @Test
    void shouldShowMediansWithTheirSpreadAndRatios() {
        String table = TableFormatter.table(report().rows());
        List<String> lines = table.lines().toList();
        assertThat(lines.getFirst()).contains("scenario", "size", "system", "msgs/s median [min-max]", "GiB/s",
                "p50 ns [min-max]", "p99 ns", "p99.9 ns", "x best peer", "x limit", "x copy");
        String agrona = lines.stream().filter(l -> l.contains("agrona")).findFirst().orElseThrow();
        assertThat(agrona).contains("spsc", "64 KiB", "300.0k [290.0k-310.0k]", "18.300", "0.50");
        String ping = lines.stream().filter(l -> l.contains("pingpong")).findFirst().orElseThrow();
        assertThat(ping).contains("limit *", "150 [140-160]", "200", "900");
        assertThat(table).contains("* limit pingpong 64 B: same measurement as pingpong 64 B");
    }

    @Test
    void shouldShowTheConsumersCpuShareAndMessagesPerCpuSecondOrADashForAConsumerNotMeasured() {
        List<String> lines = TableFormatter.table(report().rows()).lines().toList();
        assertThat(lines.getFirst()).endsWith("x copy  cons cpu %  msgs/cpu-s");
        String agrona = lines.stream().filter(l -> l.contains("agrona")).findFirst().orElseThrow();
        assertThat(agrona).endsWith("  46      657.9k");
        String limit = lines.stream().filter(l -> l.startsWith("spsc") && l.contains("limit")).findFirst()
                .orElseThrow();
        assertThat(limit).endsWith("  -           -");
        String ping = lines.stream().filter(l -> l.contains("pingpong")).findFirst().orElseThrow();
        assertThat(ping).as("no consumer in a round trip: blank, not a dash").doesNotEndWith("-");
        String local = TableFormatter.table(List.of(new Row("pekko", Scenario.ACTOR_LOCAL, 64, Summary.of(4e6),
                Summary.of(0.26), null, null, null, null, null, null, null))).lines().toList().get(1);
        assertThat(local).as("a metered stream without a CPU figure (the receiver hopped threads)").endsWith("-");
    }

    @Test
    void shouldSeparateScenarioAndSizeGroupsWithABlankLine() {
        List<String> lines = TableFormatter.table(report().rows()).lines().toList();
        assertThat(lines.get(1)).contains("limit");
        assertThat(lines.get(2)).contains("agrona");
        assertThat(lines.get(3)).isEmpty();
        assertThat(lines.get(4)).contains("copy");
    }

    @Test
    void shouldAlignColumns() {
        List<String> lines = TableFormatter.table(report().rows()).lines().filter(l -> l.contains("spsc")).toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).indexOf("[")).isEqualTo(lines.get(1).indexOf("["));
    }

    @Test
    void shouldListRowsLeftOutWithTheirReason() {
        assertThat(TableFormatter.format(report())).contains("Rows left out:")
                .contains("pipe mpsc3 64 KiB: too big for PIPE_BUF");
    }

    @Test
    void shouldFormatMagnitudes() {
        assertThat(TableFormatter.si(12_345_678)).isEqualTo("12.35M");
        assertThat(TableFormatter.si(456_700)).isEqualTo("456.7k");
        assertThat(TableFormatter.si(789)).isEqualTo("789");
        assertThat(TableFormatter.si(1.5e9)).isEqualTo("1.50G");
        assertThat(TableFormatter.ratio(null)).isEmpty();
        assertThat(TableFormatter.ratio(0.456)).isEqualTo("0.46");
    }
}
