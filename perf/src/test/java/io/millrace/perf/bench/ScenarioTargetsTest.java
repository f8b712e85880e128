package io.millrace.perf.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ScenarioTargetsTest {

    private static Summary of(double median) {
        return new Summary(median, median, median, 3);
    }

    private static Row stream(String system, Scenario scenario, double msgs) {
        return new Row(system, scenario, 64, of(msgs), of(1), null, null, null, null, null, null, null);
    }

    private static Row roundTrip(String system, Scenario scenario, double p50) {
        return new Row(system, scenario, 64, of(1), null, of(p50), of(p50), of(p50), null, null, null, null);
    }

    private static final List<Row> ROWS = List.of(
            stream("millrace-actors", Scenario.ACTOR_TELL, 5_000_000),
            stream("pekko-artery", Scenario.ACTOR_TELL, 400_000),
            stream(Systems.RING, Scenario.ACTOR_TELL, 8_000_000),
            roundTrip("millrace-actors", Scenario.ACTOR_ASK, 2_000),
            roundTrip(Systems.RING, Scenario.ACTOR_ASK, 500),
            stream("millrace-actors", Scenario.ACTOR_LOCAL, 20_000_000),
            stream("pekko", Scenario.ACTOR_LOCAL, 10_000_000),
            stream(Systems.MILLRACE, Scenario.FLUX_STREAM, 3_000_000),
            stream("rsocket-tcp", Scenario.FLUX_STREAM, 200_000),
            roundTrip(Systems.MILLRACE, Scenario.FLUX_REQUEST1, 1_200));

    @Test
    void shouldJudgeStreamRatiosAtLeastAndRoundTripRatiosAtMostTheBound() {
        List<ScenarioTargets.Check> checks = ScenarioTargets.evaluate(ROWS);
        assertThat(checks).extracting(c -> c.target().what()).containsExactly(
                "actor-tell 64 B: millrace-actors msgs/s / pekko-artery",
                "actor-tell 64 B: millrace-actors msgs/s / ring",
                "actor-ask 64 B: millrace-actors p50 / ring round trip p50",
                "actor-local 64 B: millrace-actors msgs/s / pekko",
                "flux-stream 64 B: millrace elements/s / rsocket-tcp",
                "flux-stream 64 B: millrace elements/s / ring actor-tell",
                "flux-request1 64 B: millrace p50 / ring round trip p50");
        assertThat(checks).extracting(ScenarioTargets.Check::ratio)
                .containsExactly(12.5, 0.625, 4.0, 2.0, 15.0, 0.375, 2.4);
        assertThat(checks).extracting(ScenarioTargets.Check::met)
                .containsExactly(true, true, false, true, true, true, true);
        assertThat(ScenarioTargets.format(checks))
                .contains("4.00  (target <= 3.00)  MISSED")
                .contains("12.50  (target >= 10.00)  met");
    }

    @Test
    void shouldPrintOnlyTargetsWhoseTwoRowsAreInTheRun() {
        List<Row> rows = List.of(stream(Systems.MILLRACE, Scenario.FLUX_STREAM, 3_000_000),
                stream(Systems.RING, Scenario.ACTOR_TELL, 6_000_000),
                stream("millrace-actors", Scenario.ACTOR_TELL, 1_000_000));
        List<ScenarioTargets.Check> checks = ScenarioTargets.evaluate(rows);
        assertThat(checks).extracting(c -> c.target().what()).containsExactly(
                "actor-tell 64 B: millrace-actors msgs/s / ring",
                "flux-stream 64 B: millrace elements/s / ring actor-tell");
        assertThat(checks).extracting(ScenarioTargets.Check::met).containsExactly(false, true);
    }

    private static Row counter(String system, Scenario scenario, int procs, double rate) {
        return new Row(system, scenario, procs, of(rate), null, null, null, null, null, null, null, null);
    }

    @Test
    void shouldBoundTheStateRowsOwnFiguresAndRelateThemToTheirPeers() {
        List<Row> rows = List.of(counter(Systems.MILLRACE, Scenario.STRUCT_INC, 1, 50e6),
                counter("python-value", Scenario.STRUCT_INC, 1, 1e6),
                roundTrip(Systems.MILLRACE, Scenario.MAP_GET, 150),
                roundTrip("chronicle-map", Scenario.MAP_GET, 300),
                roundTrip(Systems.MILLRACE, Scenario.MAP_PUT, 900),
                counter(Systems.MILLRACE, Scenario.TX_COMMIT, 2, 1e6));
        List<ScenarioTargets.Check> checks = ScenarioTargets.evaluate(rows);
        assertThat(checks).extracting(c -> c.target().what()).containsExactly(
                "struct-inc 1 proc: millrace increments/s",
                "struct-inc 1 proc: millrace increments/s / python-value",
                "map-get 64 B: millrace p50 ns",
                "map-get 64 B: millrace p50 / chronicle-map p50",
                "map-put 64 B: millrace p50 ns",
                "tx-commit 2 procs: millrace commits/s contended");
        assertThat(checks).extracting(ScenarioTargets.Check::ratio).containsExactly(50e6, 50.0, 150.0, 0.5, 900.0, 1e6);
        assertThat(checks).extracting(ScenarioTargets.Check::met)
                .containsExactly(true, false, true, true, false, false);
    }

    @Test
    void shouldPrintNothingWithoutTheRowsOfAnyTarget() {
        assertThat(ScenarioTargets.format(ScenarioTargets.evaluate(List.of(
                stream(Systems.MILLRACE, Scenario.SPSC, 1_000_000))))).isEmpty();
    }
}
