package io.millrace.reactive;

import io.millrace.actors.ActorRef;
import io.millrace.actors.ActorSystem;
import io.millrace.actors.Behaviors;
import io.millrace.reactive.SinkProbe.Msg;
import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link ActorSink} in one JVM: demand only as the actor acks, terminal signals as messages, cancel on stop. */
class ActorSinkTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();

    private ActorSystem<Void> system;

    @BeforeEach
    void start() {
        system = TestActors.system(shm.path(), "actor-sink");
    }

    @AfterEach
    void stop() {
        system.close();
    }

    private ActorRef<Msg> spawn(SinkProbe probe) {
        return system.systemActorOf(probe.behavior(), "probe");
    }

    @Test
    void shouldRequestTheWindowAfterTheInitAckThenReplenishEachThreeQuartersOfItAcked() throws Exception {
        List<Long> requests = new CopyOnWriteArrayList<>();
        SinkProbe probe = new SinkProbe(20, null, i -> { });
        ActorRef<Msg> ref = spawn(probe);
        Flux.range(0, 40).doOnRequest(requests::add).subscribe(SinkProbe.sink(system, ref, 8));
        // 8 at the init's ack, then 6 for each 6 acks: 20 acked, 26 requested and received, the rest held
        assertThat(probe.awaitReceived(26, WAIT)).containsExactlyElementsOf(IntStream.range(0, 26).boxed().toList());
        assertThat(requests).containsExactly(8L, 6L, 6L, 6L);
        ref.tell(new SinkProbe.Release());
        probe.completed.get(20, TimeUnit.SECONDS);
        assertThat(probe.received()).containsExactlyElementsOf(IntStream.range(0, 40).boxed().toList());
        assertThat(requests).containsExactly(8L, 6L, 6L, 6L, 6L, 6L, 6L); // the last at the 36th ack
    }

    @Test
    void shouldRequestNothingBeforeTheActorAcksTheInitMessage() throws Exception {
        AtomicLong requested = new AtomicLong();
        CompletableFuture<Long> requestedAtInit = new CompletableFuture<>();
        ActorRef<Msg> silent = system.systemActorOf(Behaviors.<Msg>receiveMessage(msg -> {
            if (msg instanceof SinkProbe.Init) { // never acked
                requestedAtInit.complete(requested.get());
            }
            return Behaviors.same();
        }), "silent");
        Flux.range(0, 10).doOnRequest(requested::addAndGet).subscribe(SinkProbe.sink(system, silent, 4));
        assertThat(requestedAtInit.get(20, TimeUnit.SECONDS)).as("demand when the init message arrived").isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 7, 16, 100})
    void shouldNeverHaveMoreThanTheWindowRequestedBeyondTheAcks(int window) throws Exception {
        AtomicLong requested = new AtomicLong();
        AtomicLong worst = new AtomicLong();
        Random random = new Random(window * 31L + 7);
        int[] pauses = IntStream.range(0, 500).map(i -> random.nextInt(10) == 0 ? 200 : 0).toArray();
        SinkProbe[] self = new SinkProbe[1];
        SinkProbe probe = new SinkProbe(Integer.MAX_VALUE, null, i -> {
            worst.accumulateAndGet(requested.get() - self[0].acked(), Math::max); // before acking element i
            java.util.concurrent.locks.LockSupport.parkNanos(pauses[i] * 1_000L);
        });
        self[0] = probe;
        ActorRef<Msg> ref = spawn(probe);
        Flux.range(0, 500).doOnRequest(requested::addAndGet).subscribe(SinkProbe.sink(system, ref, window));
        probe.completed.get(20, TimeUnit.SECONDS);
        assertThat(probe.received()).containsExactlyElementsOf(IntStream.range(0, 500).boxed().toList());
        assertThat(worst.get()).isLessThanOrEqualTo(window).isPositive();
    }

    @Test
    void shouldTellTheElementsThenTheFailureWithItsError() throws Exception {
        SinkProbe probe = new SinkProbe();
        IllegalStateException boom = new IllegalStateException("boom");
        Flux.just("a", "b").concatWith(Flux.error(boom)).subscribe(SinkProbe.sink(system, spawn(probe), 4));
        assertThat(probe.failed.get(20, TimeUnit.SECONDS)).isSameAs(boom);
        assertThat(probe.received()).containsExactly("a", "b");
        assertThat(probe.completed).isNotDone();
    }

    @Test
    void shouldTellTheInitThenTheCompletionOfAnEmptyStream() throws Exception {
        SinkProbe probe = new SinkProbe();
        Flux.<String>empty().subscribe(SinkProbe.sink(system, spawn(probe), 4));
        probe.completed.get(20, TimeUnit.SECONDS);
        assertThat(probe.initialized).isDone();
    }

    @Test
    void shouldCancelTheSourceWhenTheActorStops() throws Exception {
        CountDownLatch cancelled = new CountDownLatch(1);
        SinkProbe probe = new SinkProbe(5, null, i -> { });
        ActorRef<Msg> ref = spawn(probe);
        ActorSink<Integer> sink = SinkProbe.sink(system, ref, 2);
        Flux.range(0, Integer.MAX_VALUE).doOnCancel(cancelled::countDown).subscribe(sink);
        probe.awaitReceived(6, WAIT);
        ref.tell(new SinkProbe.Stop());
        assertThat(cancelled.await(20, TimeUnit.SECONDS)).as("source cancelled").isTrue();
        assertThat(sink.isDisposed()).isTrue();
    }

    @Test
    void shouldNotTellItsStoppedAckReceiverToStopWhenDisposedAfterTheActorStopped() throws Exception {
        CompletableFuture<ActorRef<SinkProbe.Ack>> ackRef = new CompletableFuture<>();
        ActorRef<Msg> quitter = system.systemActorOf(Behaviors.<Msg>receiveMessage(msg -> {
            if (msg instanceof SinkProbe.Init init) {
                ackRef.complete(init.ack());
                init.ack().tell(SinkProbe.Ack.ACK);
                return Behaviors.same();
            }
            return Behaviors.stopped(); // at the first element
        }), "quitter");
        CountDownLatch cancelled = new CountDownLatch(1);
        ActorSink<Integer> sink = SinkProbe.sink(system, quitter, 4);
        Flux.range(0, 100).doOnCancel(cancelled::countDown).subscribe(sink);
        ActorRef<SinkProbe.Ack> receiver = ackRef.get(20, TimeUnit.SECONDS);
        CompletableFuture<Void> receiverStopped = new CompletableFuture<>();
        system.systemActorOf(Behaviors.<Void>setup(context -> {
            context.watch(receiver);
            return Behaviors.receive((ctx, msg) -> Behaviors.same(), (ctx, signal) -> {
                receiverStopped.complete(null);
                return Behaviors.same();
            });
        }), "receiver-watcher");
        assertThat(cancelled.await(20, TimeUnit.SECONDS)).as("source cancelled").isTrue();
        receiverStopped.get(20, TimeUnit.SECONDS);
        List<Object> deadLetters = new CopyOnWriteArrayList<>();
        CountDownLatch sentinel = new CountDownLatch(1);
        try (AutoCloseable listener = system.deadLetters().subscribe(letter -> {
            deadLetters.add(letter.message());
            if (letter.message() == SinkProbe.Ack.ACK) {
                sentinel.countDown();
            }
        })) {
            sink.dispose();
            receiver.tell(SinkProbe.Ack.ACK); // dead letters come in order: a Stop would come before it

            assertThat(sentinel.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(deadLetters).containsExactly(SinkProbe.Ack.ACK);
        }
    }

    @Test
    void shouldCancelTheSourceWhenTheActorFails() throws Exception {
        CountDownLatch cancelled = new CountDownLatch(1);
        SinkProbe probe = new SinkProbe(Integer.MAX_VALUE, 3, i -> { });
        Flux.range(0, Integer.MAX_VALUE).doOnCancel(cancelled::countDown)
                .subscribe(SinkProbe.sink(system, spawn(probe), 2));
        assertThat(cancelled.await(20, TimeUnit.SECONDS)).as("source cancelled").isTrue();
        assertThat(probe.received()).containsExactly(0, 1, 2, 3);
    }

    @Test
    void shouldCancelTheSourceAndTellNothingMoreWhenDisposed() throws Exception {
        CountDownLatch cancelled = new CountDownLatch(1);
        SinkProbe probe = new SinkProbe(3, null, i -> { });
        ActorSink<Integer> sink = SinkProbe.sink(system, spawn(probe), 4);
        Flux.range(0, 100).doOnCancel(cancelled::countDown).subscribe(sink);
        probe.awaitReceived(7, WAIT); // 3 acked (the 75 % of 4 that replenishes), 4 outstanding
        sink.dispose();
        assertThat(cancelled.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(sink.isDisposed()).isTrue();
        assertThat(probe.completed).isNotDone();
        assertThat(probe.received()).hasSize(7);
    }

    @Test
    void shouldRefuseAWindowBelowOneAndNullArguments() {
        ActorRef<Msg> ref = spawn(new SinkProbe());
        assertThatThrownBy(() -> SinkProbe.sink(system, ref, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("window=0");
        assertThatThrownBy(() -> ActorSink.<String, Msg, SinkProbe.Ack>actorRefWithBackpressure(system, null,
                SinkProbe.Element::new, SinkProbe.Init::new, SinkProbe.Ack.ACK, new SinkProbe.Done(),
                SinkProbe.Failed::new)).isInstanceOf(NullPointerException.class).hasMessageContaining("ref");
    }
}
