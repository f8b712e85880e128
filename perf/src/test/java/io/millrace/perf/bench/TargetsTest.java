package io.millrace.perf.bench;

import io.millrace.perf.waiting.WaitProbe;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TargetsTest {

    private static Summary of(double median) {
        return new Summary(median, median, median, 3);
    }

    private static Row stream(String system, Scenario scenario, int size, Double toLimit, Double toCopy) {
        return new Row(system, scenario, size, of(1), of(1), null, null, null, 1.0, toLimit, toCopy, null);
    }

    private static Row pingpong(String system, double p50) {
        return new Row(system, Scenario.PINGPONG, 64, of(1), null, of(p50), of(p50), of(p50), 1.0, 1.0, null, null);
    }

    @Test
    void shouldJudgeEachTargetFromRowsOfTheSameRun() {
        List<Row> rows = List.of(
                stream(Systems.MILLRACE, Scenario.SPSC, 64, 0.65, null),
                stream(Systems.MILLRACE_BATCH, Scenario.SPSC, 64, 0.55, null),
                stream(Systems.MILLRACE, Scenario.SPSC, 65536, 0.9, 0.69),
                pingpong(Systems.MILLRACE, 300), pingpong(Systems.LIMIT, 120));
        List<Targets.Check> checks = Targets.evaluate(rows, new WaitProbe.Result(0.05, 0.3, 10_000, 20_000, 30_000, 10));
        assertThat(checks).extracting(Targets.Check::ratio).containsExactly(0.65, 0.55, 2.5, 0.69, 0.05);
        assertThat(checks).extracting(Targets.Check::met).containsExactly(true, false, false, false, true);
        assertThat(Targets.format(checks))
                .contains("pingpong 64 B: millrace p50 / cache-line round trip p50")
                .contains("spsc 64 B: millrace-batch msgs/s / bare probe (both batch 64)")
                .contains("2.50  (target <= 1.50)  MISSED")
                .contains("0.65  (target >= 0.60)  met");
    }

    @Test
    void shouldSayWhatThisRunDidNotMeasure() {
        List<Targets.Check> checks = Targets.evaluate(List.of(), null);
        assertThat(checks).allMatch(c -> c.ratio() == null && !c.met());
        assertThat(Targets.format(checks)).contains("not measured in this run").doesNotContain("MISSED");
    }
}
