package io.millrace.perf.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ScenarioTest {

    private static final List<Integer> GIVEN = List.of(64, 1024, 65536);

    @Test
    void shouldRunOnlyTheTransportScenariosByDefault() {
        assertThat(Scenario.DEFAULTS).containsExactly(Scenario.SPSC, Scenario.MPSC3, Scenario.PINGPONG);
        assertThat(Scenario.DEFAULTS).allMatch(s -> s.family() == Scenario.Family.TRANSPORT);
    }

    @Test
    void shouldGiveTransportScenariosTheGivenSizesAndOthersTheirOwnUnlessSizesWereNamed() {
        assertThat(Scenario.SPSC.sizes(GIVEN, false)).isEqualTo(GIVEN);
        assertThat(Scenario.ACTOR_TELL.sizes(GIVEN, false)).containsExactly(64);
        assertThat(Scenario.ACTOR_TELL.sizes(List.of(1024), true)).containsExactly(1024);
        assertThat(Scenario.FLUX_STREAM.sizes(GIVEN, false)).containsExactly(64, 1024);
        assertThat(Scenario.GENERATOR_STREAM.sizes(GIVEN, false)).containsExactly(64);
    }

    @Test
    void shouldIgnoreNamedSizesForVariantScenarios() {
        assertThat(Scenario.PARALLEL_MAP.sizes(GIVEN, true)).containsExactly(Scenario.DEFAULT_CHUNKSIZE, 1);
        assertThat(Scenario.WORKER_START.sizes(GIVEN, true)).containsExactly(Scenario.START_FORK, Scenario.START_SPAWN);
        assertThat(Scenario.TASK_DISPATCH.sizes(GIVEN, true)).containsExactly(0);
    }

    @Test
    void shouldNameTheVariantsInTheSizeColumn() {
        assertThat(Scenario.PARALLEL_MAP.formatSize(0)).isEqualTo("chunk dflt");
        assertThat(Scenario.PARALLEL_MAP.formatSize(1)).isEqualTo("chunk 1");
        assertThat(Scenario.WORKER_START.formatSize(0)).isEqualTo("fork");
        assertThat(Scenario.WORKER_START.formatSize(1)).isEqualTo("spawn");
        assertThat(Scenario.TASK_DISPATCH.formatSize(0)).isEqualTo("-");
        assertThat(Scenario.ACTOR_TELL.formatSize(64)).isEqualTo("64 B");
        assertThat(Scenario.STRUCT_INC.formatSize(Scenario.ONE_PROCESS)).isEqualTo("1 proc");
        assertThat(Scenario.TX_COMMIT.formatSize(Scenario.TWO_PROCESSES)).isEqualTo("2 procs");
    }

    @Test
    void shouldRunStateCountersInOneAndTwoProcessesAndTheMapAt64BytesUnlessSizesWereNamed() {
        assertThat(Scenario.STRUCT_INC.sizes(GIVEN, true)).containsExactly(1, 2);
        assertThat(Scenario.TX_COMMIT.checkSize(3)).get().asString().contains("size=3");
        assertThat(Scenario.MAP_GET.sizes(GIVEN, false)).containsExactly(64);
        assertThat(Scenario.MAP_PUT.sizes(GIVEN, true)).isEqualTo(GIVEN);
        assertThat(Scenario.of(Scenario.Family.STATE)).containsExactly(Scenario.STRUCT_INC, Scenario.MAP_GET,
                Scenario.MAP_PUT, Scenario.TX_COMMIT);
    }

    @Test
    void shouldAcceptVariantCodesOnlyForVariantScenariosAndBytesOtherwise() {
        assertThat(Scenario.PARALLEL_MAP.checkSize(1)).isEmpty();
        assertThat(Scenario.PARALLEL_MAP.checkSize(64)).get().asString().contains("size=64")
                .contains("not a variant of parallel-map");
        assertThat(Scenario.ACTOR_ASK.checkSize(1)).get().asString().contains("size=1").contains("outside");
        assertThat(Scenario.ACTOR_ASK.checkSize(64)).isEmpty();
    }

    @Test
    void shouldRejectATrialWhoseSizeIsNotValidForItsScenario() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TrialSpec("python-pool", Scenario.WORKER_START,
                        7, 0, 1, 1, java.nio.file.Path.of("/tmp")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size=7");
        assertThat(new TrialSpec("python-pool", Scenario.PARALLEL_MAP, 0, 0, 1, 1, java.nio.file.Path.of("/tmp"))
                .size()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void shouldMeasureWithOneOfItsOwnRoles(Scenario scenario) {
        assertThat(scenario.roles()).contains(scenario.measuringRole());
        assertThat(scenario.count(scenario.measuringRole())).isEqualTo(1);
        assertThat(Scenario.byId(scenario.id())).contains(scenario);
    }

    @Test
    void shouldReportLatencyForRoundTripScenariosOnly() {
        assertThat(List.of(Scenario.values())).filteredOn(Scenario::isRoundTrip).containsExactly(Scenario.PINGPONG,
                Scenario.ACTOR_ASK, Scenario.FLUX_REQUEST1, Scenario.TASK_DISPATCH, Scenario.WORKER_START,
                Scenario.WATCH_LATENCY, Scenario.RESTART, Scenario.JOIN, Scenario.MAP_GET, Scenario.MAP_PUT);
        Row ask = Row.of("x", Scenario.ACTOR_ASK, 64, List.of(new RepResult(1, 10, 1000, 5L, 6L, 7L)), null);
        assertThat(ask.gibPerSec()).isNull();
        assertThat(ask.p50ns().median()).isEqualTo(5);
        Row map = Row.of("x", Scenario.PARALLEL_MAP, 1, List.of(RepResult.throughput(1, 10, 1000)), null);
        assertThat(map.gibPerSec()).as("a chunksize is not a message size").isNull();
    }
}
