package io.millrace.perf.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SummaryTest {

    @Test
    void shouldTakeTheMiddleValueOfAnOddCount() {
        Summary s = Summary.of(5.0, 1.0, 3.0);
        assertThat(s.median()).isEqualTo(3.0);
        assertThat(s.min()).isEqualTo(1.0);
        assertThat(s.max()).isEqualTo(5.0);
        assertThat(s.count()).isEqualTo(3);
    }

    @Test
    void shouldAverageTheTwoMiddleValuesOfAnEvenCount() {
        Summary s = Summary.of(List.of(10, 40, 20, 30));
        assertThat(s.median()).isEqualTo(25.0);
        assertThat(s.min()).isEqualTo(10.0);
        assertThat(s.max()).isEqualTo(40.0);
    }

    @Test
    void shouldBeRobustToOneOutlier() {
        Summary s = Summary.of(100.0, 101.0, 99.0, 102.0, 1.0);
        assertThat(s.median()).isEqualTo(100.0);
        assertThat(s.min()).isEqualTo(1.0);
    }

    @Test
    void shouldNotReorderTheCallersArray() {
        double[] values = {3, 1, 2};
        Summary.of(values);
        assertThat(values).containsExactly(3, 1, 2);
    }

    @Test
    void shouldRefuseNoValues() {
        assertThatThrownBy(Summary::of).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldTurnRepetitionsIntoRatesPerSecondAndGibPerSecond() {
        List<RepResult> reps = List.of(RepResult.throughput(1, 1_000, 1_000_000),     // 1e6 msgs/s
                RepResult.throughput(2, 3_000, 1_000_000),                               // 3e6 msgs/s
                RepResult.throughput(3, 2_000, 1_000_000));                              // 2e6 msgs/s
        Row row = Row.of("x", Scenario.SPSC, 1024, reps, null);
        assertThat(row.msgsPerSec().median()).isCloseTo(2e6, within(1e-6));
        assertThat(row.msgsPerSec().min()).isCloseTo(1e6, within(1e-6));
        assertThat(row.gibPerSec().median()).isCloseTo(2e6 * 1024 / (1L << 30), within(1e-9));
        assertThat(row.p50ns()).isNull();
    }

    @Test
    void shouldTakeMediansOfPercentilesForPingPong() {
        List<RepResult> reps = List.of(new RepResult(1, 10, 1_000, 100L, 200L, 300L),
                new RepResult(2, 10, 1_000, 120L, 260L, 900L),
                new RepResult(3, 10, 1_000, 110L, 250L, 400L));
        Row row = Row.of("x", Scenario.PINGPONG, 64, reps, null);
        assertThat(row.p50ns().median()).isEqualTo(110.0);
        assertThat(row.p99ns().median()).isEqualTo(250.0);
        assertThat(row.p999ns().median()).isEqualTo(400.0);
        assertThat(row.gibPerSec()).isNull();
    }
}
