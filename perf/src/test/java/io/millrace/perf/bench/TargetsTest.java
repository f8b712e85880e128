package io.millrace.perf.bench;

import io.millrace.perf.waiting.WaitProbe;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TargetsTest {

    private static Summary of(double median) {
        return new Summary(median, median, median, 3);
    }

    private static Row stream(String system, Scenario scenario, int size, double msgs) {
        return new Row(system, scenario, size, of(msgs), of(1), null, null, null, 1.0, null, null, null);
    }

    private static Row pingpong(String system, double p50) {
        return new Row(system, Scenario.PINGPONG, 64, of(1), null, of(p50), of(p50), of(p50), 1.0, 1.0, null, null);
    }

    private static final List<Row> ROWS = List.of(
            stream(Systems.LIMIT, Scenario.SPSC, 64, 100),
            stream(Systems.MILLRACE, Scenario.SPSC, 64, 65),
            stream(Systems.MILLRACE_BATCH, Scenario.SPSC, 64, 55),
            stream(Systems.MILLRACE, Scenario.SPSC, 65536, 69),
            stream(Systems.LIMIT, Scenario.COPY, 65536, 100),
            pingpong(Systems.MILLRACE, 300), pingpong(Systems.LIMIT, 120));

    @Test
    void shouldJudgeEachTargetFromRowsOfTheSameRun() {
        List<Targets.Check> checks = Targets.evaluate(ROWS, new WaitProbe.Result(0.05, 0.3, 10_000, 20_000, 30_000, 10));
        assertThat(checks).extracting(Targets.Check::ratio).containsExactly(0.65, 0.55, 2.5, 0.69, 0.05);
        assertThat(checks).extracting(Targets.Check::met).containsExactly(true, false, false, false, true);
        assertThat(Targets.format(checks))
                .contains("pingpong 64 B: millrace p50 / cache-line round trip p50")
                .contains("spsc 64 B: millrace-batch msgs/s / bare probe (both batch 64)")
                .contains("2.50  (target <= 1.50)  MISSED")
                .contains("0.65  (target >= 0.60)  met")
                .doesNotContain("adjacent");
    }

    @Test
    void shouldJudgeOnTheMedianOfAdjacentPairsWhenTheyWereMeasuredAndShowTheTableBeside() {
        Map<String, List<Targets.Adjacent>> adjacent = Map.of(
                Targets.PAIRS.get(0).what(), steady(0.5, 0.58, 0.7),
                Targets.PAIRS.get(2).what(), steady(1.6, 1.4, 1.45));
        List<Targets.Check> checks = Targets.evaluate(ROWS, null, adjacent);
        assertThat(checks).extracting(Targets.Check::ratio).containsExactly(0.58, 0.55, 1.45, 0.69, null);
        assertThat(checks).extracting(Targets.Check::met).containsExactly(false, false, true, false, false);
        assertThat(checks.get(0).line()).contains("0.58  (target >= 0.60)  MISSED")
                .contains("the median of 3 adjacent pairs: 0.50 0.58 0.70; the table's rows gave 0.65");
        assertThat(checks.get(1).line()).doesNotContain("adjacent");
    }

    private static List<Targets.Adjacent> steady(double... ratios) {
        return java.util.Arrays.stream(ratios).mapToObj(r -> new Targets.Adjacent(r, true)).toList();
    }

    @Test
    void shouldLeaveOutThePairsAcrossWhichTheProbeMovedAndSaySo() {
        List<Targets.Adjacent> pairs = List.of(new Targets.Adjacent(0.9, false), new Targets.Adjacent(0.62, true),
                new Targets.Adjacent(0.3, false), new Targets.Adjacent(0.58, true), new Targets.Adjacent(0.66, true));
        Targets.Check check = Targets.evaluate(ROWS, null, Map.of(Targets.PAIRS.get(0).what(), pairs)).get(0);
        assertThat(check.ratio()).as("the median of the steady pairs only").isEqualTo(0.62);
        assertThat(check.met()).isTrue();
        assertThat(check.line()).contains("the median of 3 adjacent pairs: 0.62 0.58 0.66")
                .contains("2 more pair(s) left out: the probe moved by more than 25 % across the system's trial");
    }

    @Test
    void shouldGiveNoVerdictWhenNoPairWasSteadyRatherThanFallBackOnTheTable() {
        List<Targets.Adjacent> pairs = List.of(new Targets.Adjacent(0.9, false), new Targets.Adjacent(0.3, false));
        Targets.Check check = Targets.evaluate(ROWS, null, Map.of(Targets.PAIRS.get(0).what(), pairs)).get(0);
        assertThat(check.ratio()).isNull();
        assertThat(check.met()).isFalse();
        assertThat(check.line()).contains("UNDECIDED").doesNotContain("MISSED")
                .contains("no steady adjacent pair: the probe moved in all 2; the table's rows gave 0.65");
    }

    @Test
    void shouldCompareTheSystemWithTheGeometricMeanOfTheProbeAroundItAndCallItSteadyWithin25Percent() {
        Targets.Pair stream = Targets.PAIRS.get(0);
        Targets.Adjacent a = stream.adjacent(stream(Systems.LIMIT, Scenario.SPSC, 64, 100),
                stream(Systems.MILLRACE, Scenario.SPSC, 64, 60), stream(Systems.LIMIT, Scenario.SPSC, 64, 121));
        assertThat(a.ratio()).isCloseTo(60 / 110.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(a.steady()).isTrue();
        assertThat(stream.adjacent(stream(Systems.LIMIT, Scenario.SPSC, 64, 100),
                stream(Systems.MILLRACE, Scenario.SPSC, 64, 60), stream(Systems.LIMIT, Scenario.SPSC, 64, 126))
                .steady()).as("126 after 100").isFalse();
        assertThat(stream.adjacent(stream(Systems.LIMIT, Scenario.SPSC, 64, 126),
                stream(Systems.MILLRACE, Scenario.SPSC, 64, 60), stream(Systems.LIMIT, Scenario.SPSC, 64, 100))
                .steady()).as("100 after 126").isFalse();

        Targets.Pair roundTrip = Targets.PAIRS.get(2);
        Targets.Adjacent rt = roundTrip.adjacent(pingpong(Systems.LIMIT, 120), pingpong(Systems.MILLRACE, 200),
                pingpong(Systems.LIMIT, 130));
        assertThat(rt.ratio()).as("p50 over the probe's").isCloseTo(200 / Math.sqrt(120 * 130.0),
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(roundTrip.adjacent(null, pingpong(Systems.MILLRACE, 200), pingpong(Systems.LIMIT, 130)))
                .as("a failed probe trial").isNull();
        assertThat(roundTrip.adjacent(pingpong(Systems.LIMIT, 120), null, pingpong(Systems.LIMIT, 130)))
                .as("a failed system trial").isNull();
    }

    @Test
    void shouldMeasureAgainOnlyThePairsWhoseTwoRowsTheRunHas() {
        assertThat(Targets.measurable(ROWS)).extracting(Targets.Pair::probeScenario)
                .containsExactly(Scenario.SPSC, Scenario.SPSC, Scenario.PINGPONG, Scenario.COPY);
        assertThat(Targets.measurable(ROWS.subList(1, ROWS.size()))).extracting(Targets.Pair::probeScenario)
                .as("without the SPSC probe's row").containsExactly(Scenario.PINGPONG, Scenario.COPY);
        assertThat(Targets.measurable(List.of())).isEmpty();
    }

    @Test
    void shouldSayWhatThisRunDidNotMeasure() {
        List<Targets.Check> checks = Targets.evaluate(List.of(), null);
        assertThat(checks).allMatch(c -> c.ratio() == null && !c.met());
        assertThat(Targets.format(checks)).contains("not measured in this run").doesNotContain("MISSED");
    }
}
