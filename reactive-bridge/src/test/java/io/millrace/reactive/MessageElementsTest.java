package io.millrace.reactive;

import io.millrace.actors.codec.SharedTypeRegistry;
import io.millrace.actors.codec.UnsupportedMessageException;
import io.millrace.reactive.Orders.Event;
import io.millrace.reactive.Orders.Line;
import io.millrace.reactive.Orders.Order;
import io.millrace.shm.ChildJvm;
import io.millrace.shm.ShmDirectory;
import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Records, sealed interfaces, enums and lists as stream elements, through the actors' message codec. */
@SuppressWarnings("try") // publications and children held open by try-with-resources for the test's length
class MessageElementsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();

    /**
     * The shared type registry outlives the streams (as for actor nodes): the test removes it. Subscriptions release
     * it on their own threads after their last signal, so this waits for that; a test that failed has ended its
     * sources and subscriptions in its own finally, so nothing of it is left to the next.
     */
    @AfterEach
    void removeTypeRegistry() {
        try {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (MessageElementCodecs.openRegistries() != 0 && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(1_000_000);
            }
            assertThat(MessageElementCodecs.openRegistries()).as("registries left open").isZero();
        } finally {
            shm.directory().unlink(SharedTypeRegistry.REGION);
        }
    }

    @Test
    void shouldCarryRecordsWithNestedRecordsListsAndEnumsInOrder() throws Exception {
        List<Order> sent = Flux.range(0, 500).map(Orders::order).collectList().block();
        try (Publication p = Streams.publish("orders", Order.class, Flux.fromIterable(sent), shm.directory())) {
            List<Order> got = Streams.flux("orders", Order.class, shm.directory()).collectList().block(WAIT);
            assertThat(got).containsExactlyElementsOf(sent);
            assertThat(MessageElementCodecs.openRegistries()).as("one registry while the publication lasts")
                    .isEqualTo(1);
        }
        TestFiles.awaitOnly(shm, List.of(SharedTypeRegistry.REGION + ".region"));
    }

    @Test
    void shouldKeepTheTypeRegistryOpenForASubscriptionThatOutlivesItsPublication() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch established = new CountDownLatch(1);
        Flux<Order> late = Flux.range(0, 50).map(Orders::order)
                .delaySubscription(Mono.fromRunnable(() -> awaitQuietly(go)).subscribeOn(
                        Schedulers.boundedElastic()))
                // the subscriber sends its first credit once its handshake is done (the name checked still there)
                .doOnRequest(n -> established.countDown());
        Publication p = Streams.publish("late", Order.class, late, shm.directory());
        CompletableFuture<List<Order>> got = Streams.flux("late", Order.class, shm.directory())
                .collectList().toFuture();
        try {
            assertThat(established.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("subscription established")
                    .isTrue();
            p.close();
            assertThat(MessageElementCodecs.openRegistries()).as("held by the subscription").isEqualTo(1);
            go.countDown();
            assertThat(got.get(20, TimeUnit.SECONDS))
                    .containsExactlyElementsOf(Flux.range(0, 50).map(Orders::order).toIterable());
            TestFiles.awaitOnly(shm, List.of(SharedTypeRegistry.REGION + ".region"));
        } finally {
            go.countDown(); // on failure too: the source ends and the subscription releases its registry
            got.cancel(true);
            p.close();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void shouldCarryTheRecordsOfASealedInterface() {
        try (Publication p = Streams.publish("events", Event.class, Flux.range(0, 20).map(Orders::event),
                shm.directory())) {
            StepVerifier.create(Streams.flux("events", Event.class, shm.directory()))
                    .expectNextSequence(Flux.range(0, 20).map(Orders::event).toIterable())
                    .verifyComplete();
        }
    }

    @Test
    void shouldCarryBoxesAndSendLongOnesInFragments() {
        try (Publication p = Streams.publish("longs", Long.class, Flux.range(0, 100).map(i -> (long) i * i),
                shm.directory());
             Publication big = Streams.publish("big", Order.class, Flux.just(bigOrder()), shm.directory())) {
            assertThat(Streams.flux("longs", Long.class, shm.directory()).collectList().block(WAIT))
                    .containsExactlyElementsOf(Flux.range(0, 100).map(i -> (long) i * i).toIterable());
            StreamOptions small = StreamOptions.of(shm.directory()).withDataRingCapacity(4096);
            assertThat(Streams.mono("big", Order.class, small).block(WAIT)).isEqualTo(bigOrder());
        }
    }

    private static Order bigOrder() {
        List<Line> lines = Flux.range(0, 400).map(i -> new Line("sku-" + i, i, i / 3.0)).collectList().block();
        return new Order(7, "big", lines, Orders.Status.PAID, Optional.empty());
    }

    @Test
    void shouldRefuseAnUncarriedTypeAtOnceNamingTheClassAndTheField() {
        for (Runnable call : List.<Runnable>of(
                () -> Streams.flux("bad", Orders.Uncarried.class, shm.directory()),
                () -> Streams.publish("bad", Orders.Uncarried.class, Flux.empty(), shm.directory()))) {
            assertThatThrownBy(call::run)
                    .isInstanceOfSatisfying(StreamException.class,
                            e -> assertThat(e.reason()).isEqualTo(StreamException.Reason.NO_CODEC))
                    .hasMessageContaining("type=" + Orders.Uncarried.class.getName())
                    .hasMessageContaining(Orders.Uncarried.class.getName() + ".owner of type java.lang.Thread")
                    .cause().isInstanceOfSatisfying(UnsupportedMessageException.class, e -> {
                        assertThat(e.owner()).isEqualTo(Orders.Uncarried.class.getName());
                        assertThat(e.field()).isEqualTo("owner");
                    });
        }
        assertThat(shm.directory().exists("stream.bad")).isFalse();
    }

    @Test
    void shouldNameBothRecordTypesWhenTheStreamHasAnother() {
        try (Publication p = Streams.publish("typed", Order.class, Flux.just(Orders.order(1)), shm.directory())) {
            StepVerifier.create(Streams.flux("typed", Line.class, shm.directory()))
                    .expectErrorSatisfies(e -> {
                        assertThat(((StreamException) e).reason()).isEqualTo(StreamException.Reason.TYPE_MISMATCH);
                        assertThat(e).hasMessageContaining("type=" + Order.class.getName())
                                .hasMessageContaining("type=" + Line.class.getName());
                    })
                    .verify(WAIT);
        }
    }

    @Test
    void shouldReceiveRecordsPublishedInAnotherJvm() throws Exception {
        try (ChildJvm child = ChildJvm.start(List.of("-D" + ShmDirectory.DIR_PROPERTY + "=" + shm.path()),
                OrderChild.class, "publish", "remote-orders", "300")) {
            assertThat(child.awaitLine("READY", WAIT)).isEqualTo("READY");
            List<Order> got = Streams.flux("remote-orders", Order.class, shm.directory()).collectList().block(WAIT);
            assertThat(got).containsExactlyElementsOf(Flux.range(0, 300).map(Orders::order).toIterable());
            try (Publication stop = Streams.publish("remote-orders.stop", String.class, Flux.empty(),
                    shm.directory())) {
                assertThat(child.awaitLine("DONE", WAIT)).isEqualTo("DONE");
                assertThat(child.awaitExit(WAIT)).isZero();
            }
        }
        TestFiles.awaitOnly(shm, List.of(SharedTypeRegistry.REGION + ".region"));
    }
}
