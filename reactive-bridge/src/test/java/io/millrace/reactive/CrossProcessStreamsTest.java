package io.millrace.reactive;

import io.millrace.shm.ChildJvm;
import io.millrace.shm.OfferStatus;
import io.millrace.shm.SharedRegion;
import io.millrace.shm.ShmDirectory;
import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** Each test has a real child JVM on the other side of the rings. */
@SuppressWarnings("try") // children and publications held open by try-with-resources for the test's length
class CrossProcessStreamsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();

    private Flux<String> strings(String name) {
        return Streams.flux(name, String.class, shm.directory());
    }

    @Test
    void shouldCompleteAfterEveryElementFromAnotherProcess() throws Exception {
        try (ExportingChild child = ExportingChild.start(shm.directory(), "range=range:5000")) {
            List<String> got = strings("range").collectList().block(WAIT);
            assertThat(got).hasSize(5000);
            assertThat(got.get(4999)).isEqualTo("4999");
        }
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldAskTheRemoteSourceForExactlyWhatWasRequestedAndCancelItThere() throws Exception {
        try (ExportingChild child = ExportingChild.start(shm.directory(), "counted=counted")) {
            StepVerifier.create(strings("counted"), 0)
                    .expectSubscription()
                    .thenRequest(3)
                    .expectNext("0", "1", "2")
                    .thenRequest(2)
                    .expectNext("3", "4")
                    .thenCancel()
                    .verify(WAIT);
            assertThat(child.jvm().awaitLine("CANCELLED", WAIT)).isEqualTo("CANCELLED emitted=5 requested=5");
            assertThat(child.jvm().transcript()).filteredOn(l -> l.startsWith("REQUESTED"))
                    .containsExactly("REQUESTED 3", "REQUESTED 5");
        }
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldHoldTheRemoteSourceAtTheRingsBoundForASlowSubscriber() throws Exception {
        int size = 16 * 1024;
        long ringHolds = StreamOptions.DEFAULT_DATA_RING_CAPACITY / (size + 8);
        try (ExportingChild child = ExportingChild.start(shm.directory(), "big=big");
             io.millrace.shm.SharedRegion counter = shm.directory().attach("emitted.big", WAIT)) {
            io.millrace.shm.SharedAtomicLong emitted = counter.atomicLong("emitted");
            AtomicLong delivered = new AtomicLong();
            AtomicLong maxAhead = new AtomicLong();
            StepVerifier.create(Streams.flux("big", byte[].class, shm.directory()).doOnNext(x -> {
                        maxAhead.accumulateAndGet(emitted.get() - delivered.incrementAndGet(), Math::max);
                        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // a slow subscriber
                    }))
                    .expectNextCount(300)
                    .thenCancel()
                    .verify(WAIT);
            // the ring's records, one element the source waits to write, one the subscriber holds
            assertThat(maxAhead.get()).isLessThanOrEqualTo(ringHolds + 2).isGreaterThanOrEqualTo(ringHolds / 2);
        }
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldDeliverTheRemoteErrorWithItsClassMessageStackAndCause() throws Exception {
        try (ExportingChild child = ExportingChild.start(shm.directory(), "failing=failing")) {
            StepVerifier.create(strings("failing"))
                    .expectNext("a", "b")
                    .expectErrorSatisfies(e -> {
                        RemoteException remote = (RemoteException) e;
                        assertThat(remote.remoteClassName()).isEqualTo("java.lang.IllegalStateException");
                        assertThat(remote.remoteMessage()).isEqualTo("producer failed");
                        assertThat(remote.getStackTrace()).anyMatch(f -> f.getClassName().equals(StreamChild.class.getName()));
                        assertThat(remote.getCause().remoteClassName()).isEqualTo("java.io.IOException");
                    })
                    .verify(WAIT);
        }
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldCancelTheRemoteSourceWhenTheSubscriberThrowsInOnNext() throws Exception {
        try (ExportingChild child = ExportingChild.start(shm.directory(), "counted=counted")) {
            StepVerifier.create(strings("counted").doOnNext(x -> {
                        if (x.equals("3")) {
                            throw new IllegalArgumentException("no 3");
                        }
                    }))
                    .expectNext("0", "1", "2")
                    .expectErrorMessage("no 3")
                    .verify(WAIT);
            assertThat(child.jvm().awaitLine("CANCELLED", WAIT)).startsWith("CANCELLED");
        }
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldNameBothTypesWhenTheRemoteStreamHasAnotherType() throws Exception {
        try (ExportingChild child = ExportingChild.start(shm.directory(), "typed=range:3")) {
            StepVerifier.create(Streams.flux("typed", byte[].class, shm.directory()))
                    .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("type=java.lang.String")
                            .hasMessageContaining("type=[B").hasMessageContaining("pid " + child.jvm().pid()))
                    .verify(WAIT);
        }
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldReportAnIdlePublisherKilledWithItsPidPromptly() throws Exception {
        try (ExportingChild child = ExportingChild.start(shm.directory(), "infinite=infinite")) {
            AtomicLong killedAt = new AtomicLong();
            StepVerifier.create(strings("infinite"), 0)
                    .thenRequest(10)
                    .expectNextCount(10)
                    .then(() -> {
                        killedAt.set(System.nanoTime());
                        kill(child.jvm());
                    })
                    .expectErrorSatisfies(e -> {
                        long millis = (System.nanoTime() - killedAt.get()) / 1_000_000;
                        System.out.println("publisher death seen " + millis + " ms after SIGKILL (idle subscriber)");
                        assertThat(e).isInstanceOf(StreamException.class)
                                .hasMessageContaining("pid " + child.jvm().pid());
                        assertThat(((StreamException) e).reason()).isEqualTo(StreamException.Reason.PUBLISHER_DIED);
                        assertThat(millis).as("ms from SIGKILL to onError").isLessThan(2_000);
                    })
                    .verify(WAIT);
        }
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldReportAPublisherKilledMidStream() throws Exception {
        try (ExportingChild child = ExportingChild.start(shm.directory(), "infinite=infinite")) {
            AtomicLong received = new AtomicLong();
            CountDownLatch flowing = new CountDownLatch(1);
            Thread killer = Thread.ofPlatform().start(() -> {
                try {
                    flowing.await();
                    kill(child.jvm());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            StepVerifier.create(strings("infinite").doOnNext(x -> {
                        if (received.incrementAndGet() == 10_000) {
                            flowing.countDown();
                        }
                    }))
                    .thenConsumeWhile(x -> true)
                    .expectErrorSatisfies(e -> assertThat(((StreamException) e).reason())
                            .isEqualTo(StreamException.Reason.PUBLISHER_DIED))
                    .verify(WAIT);
            killer.join();
            assertThat(received.get()).isGreaterThanOrEqualTo(10_000);
        }
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldCancelTheSourceAndRemoveTheRegionsWhenTheConsumerIsKilled() throws Exception {
        CountDownLatch cancelled = new CountDownLatch(1);
        Flux<String> source = Flux.range(0, Integer.MAX_VALUE).map(String::valueOf).doOnCancel(cancelled::countDown);
        try (Publication p = Streams.publish("feed", String.class, source, shm.directory());
             ChildJvm child = ChildJvm.start(List.of("-D" + ShmDirectory.DIR_PROPERTY + "=" + shm.path()),
                     StreamChild.class, "import", "feed")) {
            assertThat(child.awaitLine("GOT", WAIT)).isEqualTo("GOT 0");
            assertThat(p.activeSubscriptions()).isEqualTo(1);
            kill(child);
            assertThat(cancelled.await(10, TimeUnit.SECONDS)).as("source cancelled").isTrue();
            TestFiles.awaitOnly(shm, List.of("stream.feed.region"));
        }
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldFailASubscriptionToTheStreamOfAPublisherThatDiedAndRemoveIt() throws Exception {
        long pid;
        try (ExportingChild child = ExportingChild.start(shm.directory(), "stale=range:3")) {
            pid = child.jvm().pid();
            kill(child.jvm());
        }
        assertThat(shm.files()).contains("stream.stale.region");
        StepVerifier.create(strings("stale"))
                .expectErrorSatisfies(e -> {
                    assertThat(((StreamException) e).reason()).isEqualTo(StreamException.Reason.PUBLISHER_DIED);
                    assertThat(e).hasMessageContaining("pid " + pid);
                })
                .verify(WAIT);
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldReplaceTheStreamOfAPublisherThatDied() throws Exception {
        try (ExportingChild child = ExportingChild.start(shm.directory(), "reused=range:3")) {
            kill(child.jvm());
        }
        assertThat(shm.files()).contains("stream.reused.region");
        try (Publication p = Streams.publish("reused", String.class, Flux.just("mine"), shm.directory())) {
            StepVerifier.create(strings("reused")).expectNext("mine").verifyComplete();
        }
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldRemoveOnCloseTheRegionOfASubscriberKilledBeforeItsSubscribeWasRead() throws Exception {
        try (Publication p = Streams.publish("feed", String.class, Flux.just("x"), shm.directory());
             ChildJvm child = ChildJvm.start(List.of("-D" + ShmDirectory.DIR_PROPERTY + "=" + shm.path()),
                     StreamChild.class, "subscription", "feed")) {
            String region = child.awaitLine("CREATED", WAIT).substring("CREATED ".length());
            kill(child);
            p.close();
            assertThat(shm.files()).as("removed by the publisher's close").doesNotContain(region + ".region");
        }
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldRemoveTheRegionOfASubscriberThatDiedBeforeItsStreamEndedUnseen() throws Exception {
        try (Publication p = Streams.publish("feed", String.class, Flux.empty(), shm.directory());
             ChildJvm child = ChildJvm.start(List.of("-D" + ShmDirectory.DIR_PROPERTY + "=" + shm.path()),
                     StreamChild.class, "subscription", "feed");
             SharedRegion stream = shm.directory().attach("stream.feed", WAIT)) {
            String region = child.awaitLine("CREATED", WAIT).substring("CREATED ".length());
            kill(child);
            // a SUBSCRIBE naming a live pid (ours): no death is told, the stream completes, the publisher detaches
            assertThat(stream.ring(StreamDescriptor.SUBSCRIBE).send(StreamDescriptor.SUBSCRIBE_TYPE,
                    Export.subscribeRecord(region), WAIT)).isEqualTo(OfferStatus.ACCEPTED);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (shm.files().contains(region + ".region") && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(1_000_000);
            }
            assertThat(shm.files()).as("removed by the publisher as it detached").doesNotContain(region + ".region");
        }
        TestFiles.awaitNone(shm);
    }

    private static void kill(ChildJvm child) {
        try {
            child.kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
