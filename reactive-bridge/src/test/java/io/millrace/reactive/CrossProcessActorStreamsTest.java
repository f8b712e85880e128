package io.millrace.reactive;

import io.millrace.actors.ActorRef;
import io.millrace.actors.ActorSystem;
import io.millrace.reactive.SinkProbe.Msg;
import io.millrace.shm.ChildJvm;
import io.millrace.shm.SharedAtomicLong;
import io.millrace.shm.SharedRegion;
import io.millrace.shm.ShmDirectory;
import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Actors and streams across JVMs: {@link ActorSink} on an imported Flux, {@link ActorSource} consumed elsewhere. */
@SuppressWarnings("try") // children, systems and regions held open by try-with-resources for the test's length
class CrossProcessActorStreamsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();

    private Flux<String> strings(String name) {
        return Streams.flux(name, String.class, shm.directory());
    }

    private static List<String> numbers(int from, int to) {
        return IntStream.range(from, to).mapToObj(String::valueOf).toList();
    }

    @Test
    void shouldGiveAnActorTheRemoteElementsInOrderWithNoMoreRequestedThereThanItsWindowBeyondItsAcks()
            throws Exception {
        int window = 8;
        try (ExportingChild child = ExportingChild.start(shm.directory(), "counted=counted");
             ActorSystem<Void> system = TestActors.system(shm.path(), "sink-parent")) {
            SinkProbe probe = new SinkProbe(20, null, i -> { });
            ActorRef<Msg> consumer = system.systemActorOf(probe.behavior(), "consumer");
            strings("counted").subscribe(SinkProbe.sink(system, consumer, window));
            // acks held from the 21st element: 8 at the init's ack + 6 per 6 acks = 26, and no more
            assertThat(probe.awaitReceived(26, WAIT)).containsExactlyElementsOf(numbers(0, 26));
            child.jvm().awaitLine("REQUESTED 26", WAIT);
            assertThat(requestedTotals(child)).allSatisfy(total -> assertThat(total).isLessThanOrEqualTo(26))
                    .last().isEqualTo(26L);
            consumer.tell(new SinkProbe.Release());
            probe.awaitReceived(300, WAIT);
            consumer.tell(new SinkProbe.Stop());
            Matcher cancelled = Pattern.compile("CANCELLED emitted=(\\d+) requested=(\\d+)")
                    .matcher(child.jvm().awaitLine("CANCELLED", WAIT));
            assertThat(cancelled.matches()).isTrue();
            List<Object> got = probe.received(); // the actor has stopped: no more arrive
            assertThat(got).containsExactlyElementsOf(numbers(0, got.size()));
            long emitted = Long.parseLong(cancelled.group(1));
            long requested = Long.parseLong(cancelled.group(2));
            assertThat(emitted).isGreaterThanOrEqualTo(got.size()).isLessThanOrEqualTo(requested);
            assertThat(requested).as("requested at the source, acked %d", probe.acked())
                    .isLessThanOrEqualTo(probe.acked() + window);
        }
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldHoldTheRemoteProducerOfASlowActorWithinItsWindowNotTheRingsBound() throws Exception {
        int window = 4;
        long ringHolds = StreamOptions.DEFAULT_DATA_RING_CAPACITY / (16 * 1024 + 8);
        try (ExportingChild child = ExportingChild.start(shm.directory(), "big=big");
             SharedRegion counter = shm.directory().attach("emitted.big", WAIT);
             ActorSystem<Void> system = TestActors.system(shm.path(), "slow-parent")) {
            SharedAtomicLong emitted = counter.atomicLong("emitted");
            AtomicLong maxAhead = new AtomicLong();
            SinkProbe probe = new SinkProbe(Integer.MAX_VALUE, null, i -> {
                // element i is handled: i acked, so at most i + window requested and emitted there
                maxAhead.accumulateAndGet(emitted.get() - (i + 1), Math::max);
                LockSupport.parkNanos(1_000_000); // a slow actor
            });
            ActorRef<Msg> consumer = system.systemActorOf(probe.behavior(), "consumer");
            Streams.flux("big", byte[].class, shm.directory()).subscribe(SinkProbe.sink(system, consumer, window));
            probe.awaitReceived(150, WAIT);
            consumer.tell(new SinkProbe.Stop());
            assertThat(maxAhead.get()).as("emitted beyond the element handled (the ring holds %d)", ringHolds)
                    .isLessThanOrEqualTo(window - 1);
        }
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldCancelTheRemoteSourceWhenTheActorFails() throws Exception {
        try (ExportingChild child = ExportingChild.start(shm.directory(), "counted=counted");
             ActorSystem<Void> system = TestActors.system(shm.path(), "failing-parent")) {
            SinkProbe probe = new SinkProbe(Integer.MAX_VALUE, "3", i -> { });
            strings("counted").subscribe(SinkProbe.sink(system,
                    system.systemActorOf(probe.behavior(), "consumer"), 4));
            assertThat(child.jvm().awaitLine("CANCELLED", WAIT)).startsWith("CANCELLED");
            assertThat(probe.received()).containsExactly("0", "1", "2", "3");
        }
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldTellTheActorTheElementsThenTheRemoteErrorAsItsFailureMessage() throws Exception {
        try (ExportingChild child = ExportingChild.start(shm.directory(), "failing=failing");
             ActorSystem<Void> system = TestActors.system(shm.path(), "error-parent")) {
            SinkProbe probe = new SinkProbe();
            strings("failing").subscribe(SinkProbe.sink(system, system.systemActorOf(probe.behavior(), "consumer"),
                    ActorSink.DEFAULT_WINDOW));
            Throwable error = probe.failed.get(30, TimeUnit.SECONDS);
            assertThat(error).isInstanceOf(RemoteException.class);
            assertThat(((RemoteException) error).remoteClassName()).isEqualTo("java.lang.IllegalStateException");
            assertThat(((RemoteException) error).remoteMessage()).isEqualTo("producer failed");
            assertThat(probe.received()).containsExactly("a", "b");
            assertThat(probe.completed).isNotDone();
        }
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldServeAnActorExposedFluxToAnotherJvmWithItsExactDemandAndStopTheRefOnCancel() throws Exception {
        try (ExportingChild child = ExportingChild.start(ActorStreamChild.class, "source", shm.directory(),
                "ticks", "1000", "NONE")) {
            StepVerifier.create(strings("ticks"), 0)
                    .expectSubscription()
                    .thenRequest(3)
                    .expectNext("0", "1", "2")
                    .then(() -> awaitLine(child, "SENT 3")) // the 4th is told and held: no demand for it
                    .then(() -> assertThat(acks(child)).containsExactly("ACK 1", "ACK 2", "ACK 3"))
                    .thenRequest(2)
                    .expectNext("3", "4")
                    .then(() -> awaitLine(child, "SENT 5"))
                    .then(() -> assertThat(acks(child)).containsExactly("ACK 1", "ACK 2", "ACK 3", "ACK 4", "ACK 5"))
                    .thenCancel()
                    .verify(WAIT);
            assertThat(child.jvm().awaitLine("TERMINATED", WAIT)).isEqualTo("TERMINATED acks=5");
        }
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldLetAnActorConsumeTheFluxAnActorInAnotherJvmExposesThroughAStreamRef() throws Exception {
        try (ExportingChild child = ExportingChild.start(ActorStreamChild.class, "source", shm.directory(),
                "feed", "300", "COMPLETE");
             ActorSystem<Void> system = TestActors.system(shm.path(), "ref-parent")) {
            SinkProbe probe = new SinkProbe();
            StreamRef<String> feed = StreamRef.of("feed", String.class);
            feed.flux(shm.directory()).subscribe(SinkProbe.sink(system,
                    system.systemActorOf(probe.behavior(), "consumer"), 16));
            probe.completed.get(30, TimeUnit.SECONDS);
            assertThat(probe.received()).containsExactlyElementsOf(numbers(0, 300));
        }
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldTellTheActorThePublishersDeathNamingItsPid() throws Exception {
        try (ExportingChild child = ExportingChild.start(shm.directory(), "infinite=infinite");
             ActorSystem<Void> system = TestActors.system(shm.path(), "death-parent")) {
            SinkProbe probe = new SinkProbe();
            strings("infinite").subscribe(SinkProbe.sink(system, system.systemActorOf(probe.behavior(), "consumer"),
                    ActorSink.DEFAULT_WINDOW));
            probe.awaitReceived(100, WAIT);
            child.jvm().kill();
            Throwable error = probe.failed.get(30, TimeUnit.SECONDS);
            assertThat(error).isInstanceOf(StreamException.class).hasMessageContaining("pid " + child.jvm().pid());
            assertThat(((StreamException) error).reason()).isEqualTo(StreamException.Reason.PUBLISHER_DIED);
            List<Object> got = probe.received();
            assertThat(got).containsExactlyElementsOf(numbers(0, got.size()));
        }
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldStopTheSourcesRefWhenTheConsumingJvmIsKilled() throws Exception {
        try (ActorSystem<Void> system = TestActors.system(shm.path(), "source-parent")) {
            SourceProbe probe = new SourceProbe(1000, SourceProbe.Ending.NONE, event -> { });
            Flux<String> ticks = SourceProbe.flux(system, system.systemActorOf(probe.behavior(), "producer"));
            try (Publication p = Streams.publish("ticks", String.class, ticks, shm.directory());
                 ChildJvm child = ChildJvm.start(
                         List.of("-D" + ShmDirectory.DIR_PROPERTY + "=" + shm.path()),
                         StreamChild.class, "import", "ticks")) {
                assertThat(child.awaitLine("GOT", WAIT)).isEqualTo("GOT 0");
                child.kill();
                assertThat(probe.terminated.get(30, TimeUnit.SECONDS)).as("acks when the ref stopped").isEqualTo(1);
            }
        }
        TestFiles.awaitNone(shm);
    }

    private static List<Long> requestedTotals(ExportingChild child) {
        return child.jvm().transcript().stream().filter(l -> l.startsWith("REQUESTED "))
                .map(l -> Long.parseLong(l.substring("REQUESTED ".length()))).toList();
    }

    private static List<String> acks(ExportingChild child) {
        return child.jvm().transcript().stream().filter(l -> l.startsWith("ACK ")).toList();
    }

    private static void awaitLine(ExportingChild child, String line) {
        try {
            child.jvm().awaitLine(line, WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
