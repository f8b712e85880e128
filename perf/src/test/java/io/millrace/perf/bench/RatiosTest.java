package io.millrace.perf.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RatiosTest {

    private static Row stream(String system, Scenario scenario, int size, double msgsPerSec) {
        Summary m = Summary.of(msgsPerSec);
        return new Row(system, scenario, size, m, Summary.of(msgsPerSec * size / (1L << 30)),
                null, null, null, null, null, null, null);
    }

    private static Row ping(String system, double p50) {
        return new Row(system, Scenario.PINGPONG, 64, Summary.of(1e9 / p50), null,
                Summary.of(p50), Summary.of(p50 * 2), Summary.of(p50 * 3), null, null, null, null);
    }

    private static Row find(List<Row> rows, String system, Scenario scenario) {
        return rows.stream().filter(r -> r.system().equals(system) && r.scenario() == scenario).findFirst().orElseThrow();
    }

    @Test
    void shouldRelateStreamRowsToTheBestPeerAndTheLimitOfTheirScenarioAndSize() {
        List<Row> rows = Ratios.apply(List.of(
                stream("limit", Scenario.SPSC, 64, 100e6),
                stream("millrace", Scenario.SPSC, 64, 40e6),
                stream("agrona", Scenario.SPSC, 64, 20e6),
                stream("tcp", Scenario.SPSC, 64, 1e6),
                stream("agrona", Scenario.SPSC, 1024, 99e6)));   // another size: not a peer of the 64 B rows
        Row millrace = find(rows, "millrace", Scenario.SPSC);
        assertThat(millrace.ratioToBestPeer()).isCloseTo(2.0, within(1e-9));
        assertThat(millrace.ratioToLimit()).isCloseTo(0.4, within(1e-9));
        assertThat(find(rows, "tcp", Scenario.SPSC).ratioToBestPeer()).isCloseTo(0.05, within(1e-9));
        assertThat(find(rows, "limit", Scenario.SPSC).ratioToLimit()).isEqualTo(1.0);
        assertThat(find(rows, "limit", Scenario.SPSC).ratioToBestPeer()).isCloseTo(5.0, within(1e-9));
    }

    @Test
    void shouldNeverCountMillraceOrTheLimitAsAPeer() {
        List<Row> rows = Ratios.apply(List.of(
                stream("limit", Scenario.SPSC, 64, 100e6),
                stream("millrace", Scenario.SPSC, 64, 40e6)));
        assertThat(find(rows, "millrace", Scenario.SPSC).ratioToBestPeer()).isNull();
        assertThat(find(rows, "millrace", Scenario.SPSC).ratioToLimit()).isCloseTo(0.4, within(1e-9));
    }

    @Test
    void shouldInvertLatencyRatiosSoThatAboveOneIsBetter() {
        List<Row> rows = Ratios.apply(List.of(ping("limit", 100), ping("millrace", 200), ping("agrona", 250),
                ping("uds", 5000)));
        Row millrace = find(rows, "millrace", Scenario.PINGPONG);
        assertThat(millrace.ratioToBestPeer()).isCloseTo(1.25, within(1e-9));
        assertThat(millrace.ratioToLimit()).isCloseTo(0.5, within(1e-9));
        assertThat(find(rows, "uds", Scenario.PINGPONG).ratioToBestPeer()).isCloseTo(0.05, within(1e-9));
    }

    @Test
    void shouldLeaveRatiosNullWithoutALimitRow() {
        List<Row> rows = Ratios.apply(List.of(stream("agrona", Scenario.MPSC3, 64, 1e6)));
        assertThat(rows.getFirst().ratioToLimit()).isNull();
        assertThat(rows.getFirst().ratioToBestPeer()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void shouldRelateStreamBandwidthToTheCopyRowOfTheSameSize() {
        List<Row> rows = Ratios.apply(List.of(
                stream("limit", Scenario.COPY, 65536, 400_000),
                stream("agrona", Scenario.SPSC, 65536, 100_000),
                stream("agrona", Scenario.SPSC, 64, 100_000)));
        assertThat(find(rows, "agrona", Scenario.SPSC).ratioToCopy()).isCloseTo(0.25, within(1e-9));
        assertThat(rows.get(2).ratioToCopy()).isNull();
        assertThat(find(rows, "limit", Scenario.COPY).ratioToCopy()).isNull();
    }

    @Test
    void shouldRelateActorRowsToTheRingAndNotCountTheRingAsAPeer() {
        List<Row> rows = Ratios.apply(List.of(
                actorStream("ring", 10e6),
                actorStream("pekko-artery", 1e6),
                actorStream("limit", 99e6)));   // a limit row of another family's meaning is not the actors' limit
        Row pekko = rows.stream().filter(r -> r.system().equals("pekko-artery")).findFirst().orElseThrow();
        assertThat(pekko.ratioToLimit()).isCloseTo(0.1, within(1e-9));
        Row ring = rows.stream().filter(r -> r.system().equals("ring")).findFirst().orElseThrow();
        assertThat(ring.ratioToBestPeer()).as("ring over the best peer").isCloseTo(10.0, within(1e-9));
        assertThat(Systems.isPeer("ring")).isFalse();
    }

    @Test
    void shouldCompareRoundTripScenariosOfTheNewFamiliesOnTheirP50() {
        List<Row> rows = Ratios.apply(List.of(
                new Row("rsocket-tcp", Scenario.FLUX_REQUEST1, 64, Summary.of(1e3), null, Summary.of(40_000),
                        null, null, null, null, null, null),
                new Row("rsocket-local", Scenario.FLUX_REQUEST1, 64, Summary.of(1e5), null, Summary.of(4_000),
                        null, null, null, null, null, null)));
        assertThat(rows.getFirst().ratioToBestPeer()).isCloseTo(0.1, within(1e-9));
        assertThat(rows.getFirst().ratioToLimit()).as("no limit for flux scenarios").isNull();
    }

    private static Row actorStream(String system, double msgs) {
        return new Row(system, Scenario.ACTOR_TELL, 64, Summary.of(msgs), Summary.of(msgs * 64 / (1 << 30)),
                null, null, null, null, null, null, null);
    }
}
