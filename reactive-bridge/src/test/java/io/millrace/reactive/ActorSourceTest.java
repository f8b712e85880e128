package io.millrace.reactive;

import io.millrace.actors.ActorRef;
import io.millrace.actors.ActorSystem;
import io.millrace.actors.Behaviors;
import io.millrace.reactive.SourceProbe.Cmd;
import io.millrace.reactive.SourceProbe.Ending;
import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ActorSource} in one JVM: an element per ack, only with demand; markers, protocol errors, cancel. */
class ActorSourceTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();

    private ActorSystem<Void> system;
    private final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        system = TestActors.system(shm.path(), "actor-source");
    }

    @AfterEach
    void stop() {
        system.close();
    }

    private ActorRef<Cmd> spawn(SourceProbe probe) {
        return system.systemActorOf(probe.behavior(), "producer");
    }

    @Test
    void shouldAckEachElementOnlyOnceItWentDownstreamWithDemand() throws Exception {
        SourceProbe probe = new SourceProbe(1000, Ending.NONE, log::add);
        ActorRef<Cmd> producer = spawn(probe);
        StepVerifier.create(SourceProbe.flux(system, producer), 0)
                .expectSubscription()
                .thenRequest(3)
                .expectNext("0", "1", "2")
                .then(() -> awaitLog("SENT 3"))
                .then(() -> assertThat(probe.acks.get()).isEqualTo(3)) // "3" is held: no demand, so no ack
                .thenRequest(2)
                .expectNext("3", "4")
                .then(() -> awaitLog("SENT 5"))
                .then(() -> assertThat(probe.acks.get()).isEqualTo(5))
                .thenCancel()
                .verify(WAIT);
        assertThat(probe.terminated.get(20, TimeUnit.SECONDS)).as("acks when the ref stopped").isEqualTo(5);
    }

    @Test
    void shouldCompleteAtTheCompletionMarkerWithoutEmittingIt() {
        SourceProbe probe = new SourceProbe(5, Ending.COMPLETE, log::add);
        StepVerifier.create(SourceProbe.flux(system, spawn(probe)))
                .expectNext("0", "1", "2", "3", "4")
                .verifyComplete();
    }

    @Test
    void shouldFailWithTheErrorOfTheFailureMarker() {
        SourceProbe probe = new SourceProbe(2, Ending.FAIL, log::add);
        StepVerifier.create(SourceProbe.flux(system, spawn(probe)))
                .expectNext("0", "1")
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalStateException.class)
                        .hasMessage("boom"))
                .verify(WAIT);
    }

    @Test
    void shouldFailWhenTheActorTellsAnElementBeforeTheAckOfThePreviousOne() {
        SourceProbe probe = new SourceProbe(10, Ending.EAGER, log::add);
        StepVerifier.create(SourceProbe.flux(system, spawn(probe)), 0)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("element=1").hasMessageContaining("before the ack of element=0"))
                .verify(WAIT);
    }

    @Test
    void shouldFailWhenTheFeedingActorStops() {
        ActorRef<Cmd> quitter = system.systemActorOf(Behaviors.<Cmd>receiveMessage(cmd -> Behaviors.stopped()),
                "quitter");
        StepVerifier.create(SourceProbe.flux(system, quitter))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("ackTo=").hasMessageContaining("quitter")
                        .hasMessageContaining("stopped before it completed the stream"))
                .verify(WAIT);
    }

    @Test
    void shouldFailARequestThatIsNotPositive() {
        SourceProbe probe = new SourceProbe(10, Ending.NONE, log::add);
        StepVerifier.create(SourceProbe.flux(system, spawn(probe)), 0)
                .consumeSubscriptionWith(s -> s.request(0))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("n=0"))
                .verify(WAIT);
    }

    private void awaitLog(String line) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!log.contains(line)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no '" + line + "' in " + log);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }
}
