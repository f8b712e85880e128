package io.millrace.perf.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The systems of the actor, Flux-bridge and process-pool scenarios, and how the harness plans their rows. */
class PeerSystemsTest {

    private static final List<String> NEW_SYSTEMS = List.of("ring", "millrace-actors",
            "millrace-actors-yielding", "pekko", "pekko-artery", "pekko-aeron", "rsocket-tcp", "rsocket-local", "python-pool", "python-executor",
            "chm", "chronicle-map", "python-value", "python-manager");
    private static final boolean PYTHON = MachineInfo.pythonVersion() != null;

    private static BenchSystem system(String name) {
        return Systems.byName(name).orElseThrow();
    }

    private static Harness.Config config(List<String> systems, List<Scenario> scenarios) {
        return new Harness.Config(systems.stream().map(PeerSystemsTest::system).toList(), scenarios,
                List.of(64, 1024, 65536), 1, 1, 3, Path.of("/tmp"), false, false, "test", false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ring", "millrace-actors", "millrace-actors-yielding", "pekko", "pekko-artery",
        "pekko-aeron", "rsocket-tcp", "rsocket-local", "python-pool", "python-executor"})
    void shouldRunEveryDeclaredScenarioAtItsSizesAndOmitTheOthersWithAReason(String name) {
        BenchSystem system = system(name);
        assertThat(system.scenarios()).isNotEmpty().doesNotContain(Scenario.SPSC, Scenario.MPSC3, Scenario.PINGPONG,
                Scenario.COPY);
        assertThat(system.scenarios().stream().map(Scenario::family).distinct()).as("one family").hasSize(1);
        for (Scenario scenario : Scenario.values()) {
            for (int size : scenario.sizes(List.of(64), false)) {
                if (system.scenarios().contains(scenario)) {
                    if (PYTHON || !name.startsWith("python")) {
                        assertThat(system.omission(scenario, size)).as(scenario + " " + size).isEmpty();
                    }
                } else {
                    assertThat(system.omission(scenario, size)).as(scenario + " " + size).get().asString()
                            .startsWith("plays only the scenarios");
                }
            }
        }
    }

    @Test
    void shouldDeclareTheScenariosOfTheirIssues() {
        assertThat(system("ring").scenarios()).isEqualTo(Set.copyOf(Scenario.of(Scenario.Family.ACTOR)));
        assertThat(system("millrace-actors").scenarios()).isEqualTo(system("ring").scenarios());
        assertThat(system("millrace-actors").omission(Scenario.ACTOR_TELL, 1024)).get().asString()
                .contains("size=1024");
        assertThat(system("pekko").scenarios()).containsExactly(Scenario.ACTOR_LOCAL);
        assertThat(system("pekko-artery").scenarios())
                .containsExactlyInAnyOrder(Scenario.ACTOR_TELL, Scenario.ACTOR_FANIN, Scenario.ACTOR_ASK);
        assertThat(system("pekko-aeron").scenarios()).isEqualTo(system("pekko-artery").scenarios());
        assertThat(system("rsocket-tcp").scenarios()).isEqualTo(Set.copyOf(Scenario.of(Scenario.Family.FLUX)));
        assertThat(system("rsocket-local").scenarios()).isEqualTo(system("rsocket-tcp").scenarios());
        assertThat(system("python-pool").scenarios())
                .containsExactlyInAnyOrder(Scenario.TASK_DISPATCH, Scenario.PARALLEL_MAP, Scenario.WORKER_START);
        assertThat(system("python-executor").scenarios()).isEqualTo(system("python-pool").scenarios());
        assertThat(system("python-pipe").scenarios()).contains(Scenario.GENERATOR_STREAM, Scenario.SPSC);
        assertThat(system("chm").scenarios()).containsExactlyInAnyOrder(Scenario.MAP_GET, Scenario.MAP_PUT);
        assertThat(system("python-manager").scenarios()).isEqualTo(system("chm").scenarios());
        assertThat(system("python-value").scenarios()).containsExactly(Scenario.STRUCT_INC);
    }

    @Test
    void shouldKeepTheFirstComparisonsSystemsOnTheTransportScenarios() {
        Set<Scenario> transportFluxAndPool = EnumSet.copyOf(Scenario.of(Scenario.Family.TRANSPORT));
        transportFluxAndPool.addAll(Scenario.of(Scenario.Family.FLUX));
        transportFluxAndPool.addAll(Scenario.of(Scenario.Family.POOL));
        transportFluxAndPool.addAll(Scenario.of(Scenario.Family.STATE));
        assertThat(system("millrace").scenarios()).isEqualTo(transportFluxAndPool);
        assertThat(system("millrace").omission(Scenario.ACTOR_TELL, 64)).isPresent();
        assertThat(system("millrace").omission(Scenario.FLUX_STREAM, 1024)).isEmpty();
        assertThat(system("millrace").omission(Scenario.TASK_DISPATCH, 0)).isEmpty();
        assertThat(system("millrace").omission(Scenario.WORKER_START, Scenario.START_FORK)).get().asString()
                .contains("cannot fork");
        for (String name : List.of("limit", "millrace-batch", "agrona", "aeron", "chronicle", "pipe",
                "uds", "tcp")) {
            assertThat(system(name).scenarios()).as(name).isEqualTo(EnumSet.copyOf(Scenario.of(Scenario.Family.TRANSPORT)));
            assertThat(system(name).omission(Scenario.ACTOR_TELL, 64)).as(name).isPresent();
        }
    }

    @Test
    void shouldPlanTheDefaultRunWithoutAnyRowOrOmissionOfTheNewSystems() {
        Harness.Plan plan = Harness.plan(config(Systems.names(), Scenario.DEFAULTS));

        assertThat(plan.planned()).extracting(p -> p.system().name()).doesNotContainAnyElementsOf(NEW_SYSTEMS);
        assertThat(plan.omissions()).extracting(Omission::system).doesNotContainAnyElementsOf(NEW_SYSTEMS);
        assertThat(plan.planned()).extracting(Harness.Planned::scenario).allMatch(s -> s.family()
                == Scenario.Family.TRANSPORT);
    }

    @Test
    void shouldPlanActorRowsForActorSystemsOnlyAtTheirOwnSize() {
        Harness.Plan plan = Harness.plan(config(List.of("agrona", "ring", "pekko", "pekko-artery"),
                List.of(Scenario.ACTOR_TELL, Scenario.ACTOR_LOCAL)));

        assertThat(plan.planned()).extracting(p -> p.system().name() + " " + p.scenario() + " " + p.size())
                .containsExactly("ring actor-tell 64", "pekko-artery actor-tell 64", "ring actor-local 64",
                        "pekko actor-local 64");
        assertThat(plan.omissions()).extracting(o -> o.system() + " " + o.scenario())
                .containsExactly("pekko actor-tell", "pekko-artery actor-local");
    }

    @Test
    void shouldShareTheExecutorsDefaultChunksizeWithItsChunksizeOne() {
        Harness.Plan plan = Harness.plan(config(List.of("python-pool", "python-executor"),
                List.of(Scenario.PARALLEL_MAP)));
        if (!PYTHON) {
            return;
        }
        assertThat(plan.planned()).hasSize(4);
        assertThat(plan.toMeasure().keySet()).extracting(m -> m.system() + " " + m.size())
                .containsExactly("python-pool 0", "python-executor 1", "python-pool 1");
    }
}
