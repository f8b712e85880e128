package io.millrace.reactive;

import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bridge with both sides in this JVM: every signal still crosses the rings of a real region. */
@SuppressWarnings("try") // publications held open by try-with-resources for the test's length
class StreamsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();

    private Flux<String> strings(String name) {
        return Streams.flux(name, String.class, shm.directory());
    }

    @Test
    void shouldDeliverEveryElementInOrderThenComplete() throws Exception {
        try (Publication p = Streams.publish("range", String.class, Flux.range(0, 1000).map(String::valueOf),
                shm.directory())) {
            List<String> got = strings("range").collectList().block(WAIT);
            assertThat(got).hasSize(1000);
            assertThat(got).containsExactlyElementsOf(Flux.range(0, 1000).map(String::valueOf).toIterable());
        }
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldAskTheSourceForExactlyWhatWasRequested() throws Exception {
        AtomicLong requested = new AtomicLong();
        AtomicLong emitted = new AtomicLong();
        CountDownLatch cancelled = new CountDownLatch(1);
        Flux<String> source = Flux.range(0, Integer.MAX_VALUE).map(String::valueOf)
                .doOnRequest(requested::addAndGet).doOnNext(x -> emitted.incrementAndGet())
                .doOnCancel(cancelled::countDown);
        try (Publication p = Streams.publish("demand", String.class, source, shm.directory())) {
            StepVerifier.create(strings("demand"), 0)
                    .expectSubscription()
                    .thenRequest(3)
                    .expectNext("0", "1", "2")
                    .then(() -> assertThat(requested.get()).isEqualTo(3))
                    .thenRequest(2)
                    .expectNext("3", "4")
                    .thenCancel()
                    .verify(WAIT);
            assertThat(cancelled.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(requested.get()).isEqualTo(5);
            assertThat(emitted.get()).isEqualTo(5);
        }
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldKeepAtMostPrefetchElementsInFlightForAnUnboundedSubscriber() throws Exception {
        AtomicLong emitted = new AtomicLong();
        List<Long> requests = new CopyOnWriteArrayList<>();
        Flux<String> source = Flux.range(0, 2000).map(String::valueOf)
                .doOnRequest(requests::add).doOnNext(x -> emitted.incrementAndGet());
        try (Publication p = Streams.publish("window", String.class, source, shm.directory())) {
            AtomicLong maxAhead = new AtomicLong();
            AtomicLong delivered = new AtomicLong();
            strings("window").doOnNext(x -> maxAhead.accumulateAndGet(emitted.get() - delivered.incrementAndGet(),
                    Math::max)).blockLast(WAIT);
            assertThat(delivered.get()).isEqualTo(2000);
            assertThat(maxAhead.get()).isLessThanOrEqualTo(StreamOptions.DEFAULT_PREFETCH);
            assertThat(requests.getFirst()).isEqualTo(256L);
            assertThat(requests.subList(1, requests.size() - 1)).allMatch(n -> n == 192L);
        }
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldHoldAFastProducerAtTheRingsBoundForASlowConsumer() throws Exception {
        int size = 16 * 1024;
        int ring = StreamOptions.DEFAULT_DATA_RING_CAPACITY;
        long bound = ring / (size + 8) + 2; // records the ring holds, one being written, one being delivered
        AtomicLong emitted = new AtomicLong();
        Flux<byte[]> source = Flux.range(0, 200).map(i -> new byte[size]).doOnNext(x -> emitted.incrementAndGet());
        try (Publication p = Streams.publish("slow", byte[].class, source, shm.directory())) {
            AtomicLong maxAhead = new AtomicLong();
            AtomicLong delivered = new AtomicLong();
            Streams.flux("slow", byte[].class, shm.directory()).doOnNext(x -> {
                maxAhead.accumulateAndGet(emitted.get() - delivered.incrementAndGet(), Math::max);
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // a slow consumer
            }).blockLast(WAIT);
            assertThat(delivered.get()).isEqualTo(200);
            assertThat(maxAhead.get()).isLessThanOrEqualTo(bound).isGreaterThanOrEqualTo(bound / 2);
        }
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldCarryTheProducersErrorWithClassMessageStackAndCause() throws Exception {
        Flux<String> source = Flux.concat(Flux.just("a", "b"),
                Flux.error(new IllegalStateException("boom", new IOException("disk full"))));
        try (Publication p = Streams.publish("failing", String.class, source, shm.directory())) {
            StepVerifier.create(strings("failing"))
                    .expectNext("a", "b")
                    .expectErrorSatisfies(e -> {
                        assertThat(e).isInstanceOf(RemoteException.class);
                        RemoteException remote = (RemoteException) e;
                        assertThat(remote.remoteClassName()).isEqualTo(IllegalStateException.class.getName());
                        assertThat(remote.remoteMessage()).isEqualTo("boom");
                        assertThat(remote.getStackTrace()).anyMatch(f -> f.getClassName().equals(StreamsTest.class.getName()));
                        assertThat(remote.getCause().remoteClassName()).isEqualTo(IOException.class.getName());
                        assertThat(remote.getCause().remoteMessage()).isEqualTo("disk full");
                    })
                    .verify(WAIT);
        }
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldSendElementsLargerThanARecordInFragments() throws Exception {
        Random random = new Random(14);
        int[] sizes = {0, 1, 32 * 1024 - 9, 32 * 1024 - 8, 32 * 1024, 100_000, 1 << 20, 3 * 1024 * 1024 + 17};
        List<byte[]> elements = new java.util.ArrayList<>();
        for (int size : sizes) {
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            elements.add(bytes);
        }
        try (Publication p = Streams.publish("large", byte[].class, Flux.fromIterable(elements), shm.directory())) {
            List<byte[]> got = Streams.flux("large", byte[].class, shm.directory()).collectList().block(WAIT);
            assertThat(got).hasSize(sizes.length);
            for (int i = 0; i < sizes.length; i++) {
                assertThat(got.get(i)).as("element %d of %d bytes", i, sizes[i]).isEqualTo(elements.get(i));
            }
        }
        TestFiles.awaitNone(shm);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(longs = {1, 2, 3, 4, 5})
    void shouldDeliverRandomSizesThroughSmallRingsWithAnyPrefetchAndDemand(long seed) throws Exception {
        Random random = new Random(seed);
        int ring = 4096 << random.nextInt(5); // 4 to 64 KiB: records of 504 B to 8 KiB - 8
        int prefetch = 1 + random.nextInt(300);
        List<byte[]> elements = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            byte[] bytes = new byte[random.nextInt(4) == 0 ? random.nextInt(40_000) : random.nextInt(600)];
            random.nextBytes(bytes);
            elements.add(bytes);
        }
        StreamOptions options = StreamOptions.of(shm.directory()).withPrefetch(prefetch).withDataRingCapacity(ring);
        try (Publication p = Streams.publish("random", byte[].class, Flux.fromIterable(elements), shm.directory())) {
            List<byte[]> got = Streams.flux("random", byte[].class, options)
                    .limitRate(1 + random.nextInt(50))
                    .collectList().block(WAIT);
            assertThat(got).as("seed=%d ring=%d prefetch=%d", seed, ring, prefetch).hasSize(elements.size());
            for (int i = 0; i < elements.size(); i++) {
                assertThat(got.get(i)).as("seed=%d element %d", seed, i).isEqualTo(elements.get(i));
            }
        }
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldCopyMemorySegmentsOutOfTheRing() throws Exception {
        MemorySegment segment = MemorySegment.ofArray(new long[]{1, 2, 3});
        try (Publication p = Streams.publish("segments", MemorySegment.class, Flux.just(segment, segment),
                shm.directory())) {
            List<MemorySegment> got = Streams.flux("segments", MemorySegment.class, shm.directory())
                    .collectList().block(WAIT);
            assertThat(got).hasSize(2);
            assertThat(got.get(0).isNative()).isFalse();
            assertThat(got.get(1).get(ValueLayout.JAVA_LONG_UNALIGNED, 16)).isEqualTo(3L);
        }
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldResubscribeForEachRetry() throws Exception {
        AtomicInteger subscriptions = new AtomicInteger();
        Flux<String> source = Flux.defer(() -> subscriptions.incrementAndGet() < 3
                ? Flux.just("x").concatWith(Flux.error(new IllegalStateException("again")))
                : Flux.just("x", "done"));
        try (Publication p = Streams.publish("retry", String.class, source, shm.directory())) {
            StepVerifier.create(strings("retry").retry(5))
                    .expectNext("x", "x", "x", "done")
                    .verifyComplete();
            assertThat(subscriptions.get()).isEqualTo(3);
        }
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldCancelTheSourceWhenTheSubscriberThrowsInOnNext() throws Exception {
        CountDownLatch cancelled = new CountDownLatch(1);
        Flux<String> source = Flux.range(0, Integer.MAX_VALUE).map(String::valueOf).doOnCancel(cancelled::countDown);
        try (Publication p = Streams.publish("throwing", String.class, source, shm.directory())) {
            AtomicReference<Throwable> error = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(1);
            strings("throwing").subscribe(new BaseSubscriber<>() {
                @Override
                protected void hookOnSubscribe(Subscription subscription) {
                    request(10);
                }

                @Override
                protected void hookOnNext(String value) {
                    if (value.equals("3")) {
                        throw new IllegalArgumentException("subscriber fails at 3");
                    }
                }

                @Override
                protected void hookOnError(Throwable throwable) {
                    error.set(throwable);
                    done.countDown();
                }
            });
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(error.get()).hasMessage("subscriber fails at 3");
            assertThat(cancelled.await(10, TimeUnit.SECONDS)).isTrue();
        }
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldWithdrawTheNameOnClose() throws Exception {
        Publication p = Streams.publish("withdrawn", String.class, Flux.just("a"), shm.directory());
        StepVerifier.create(strings("withdrawn")).expectNext("a").verifyComplete();
        p.close();
        assertThat(shm.directory().exists("stream.withdrawn")).isFalse();
        StepVerifier.create(strings("withdrawn"))
                .expectErrorSatisfies(e -> assertThat(((StreamException) e).reason())
                        .isEqualTo(StreamException.Reason.NOT_PUBLISHED))
                .verify(WAIT);
        p.close(); // idempotent
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldCancelASourceThatWaitsForRoomInAFullRing() throws Exception {
        int size = 16 * 1024;
        AtomicLong emitted = new AtomicLong();
        CountDownLatch cancelled = new CountDownLatch(1);
        Flux<byte[]> source = Flux.range(0, Integer.MAX_VALUE).map(i -> new byte[size])
                .doOnNext(x -> emitted.incrementAndGet()).doOnCancel(cancelled::countDown);
        try (Publication p = Streams.publish("full", byte[].class, source, shm.directory())) {
            CountDownLatch first = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            reactor.core.Disposable subscription = Streams.flux("full", byte[].class, shm.directory())
                    .subscribe(x -> {
                        first.countDown();
                        await(release);
                    });
            assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
            long ringHolds = StreamOptions.DEFAULT_DATA_RING_CAPACITY / (size + 8);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (emitted.get() < ringHolds && System.nanoTime() - deadline < 0) {
                Thread.onSpinWait(); // the source fills the ring, then waits for room
            }
            assertThat(emitted.get()).isGreaterThanOrEqualTo(ringHolds);
            subscription.dispose();
            release.countDown();
            assertThat(cancelled.await(10, TimeUnit.SECONDS)).as("source cancelled").isTrue();
        }
        TestFiles.awaitNone(shm);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A record type with a codec of its own, registered as the actors' codec will be. */
    record Point(int x, int y) {
    }

    static final class PointCodec implements ElementCodec<Point> {
        @Override
        public Class<Point> type() {
            return Point.class;
        }

        @Override
        public int sizeOf(Point element) {
            return 8;
        }

        @Override
        public void write(Point element, MemorySegment segment, long offset) {
            if (element.x() < 0) {
                throw new IllegalArgumentException("x=" + element.x() + " cannot be encoded");
            }
            segment.set(ValueLayout.JAVA_INT_UNALIGNED, offset, element.x());
            segment.set(ValueLayout.JAVA_INT_UNALIGNED, offset + 4, element.y());
        }

        @Override
        public Point read(MemorySegment segment, long offset, int length) {
            return new Point(segment.get(ValueLayout.JAVA_INT_UNALIGNED, offset),
                    segment.get(ValueLayout.JAVA_INT_UNALIGNED, offset + 4));
        }
    }

    @Test
    void shouldUseARegisteredCodecAndSendItsFailureAsTheStreamsError() throws Exception {
        ElementCodecs.register(new PointCodec());
        try (Publication p = Streams.publish("points", Point.class, Flux.just(new Point(1, 2), new Point(-1, 0),
                new Point(3, 4)), shm.directory())) {
            StepVerifier.create(Streams.flux("points", Point.class, shm.directory()))
                    .expectNext(new Point(1, 2))
                    .expectErrorSatisfies(e -> assertThat(((RemoteException) e).remoteMessage())
                            .isEqualTo("x=-1 cannot be encoded"))
                    .verify(WAIT);
        }
        TestFiles.awaitNone(shm);
    }

    /** Another record type, whose codec comes from a provider (as every record will from the actors' codec). */
    record Label(String text) {
    }

    @Test
    void shouldAskARegisteredProviderForTypesWithoutACodec() throws Exception {
        ElementCodec<String> strings = ElementCodecs.forType(String.class);
        ElementCodecs.register(new ElementCodecProvider() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> java.util.Optional<ElementCodec<T>> codecFor(Class<T> type) {
                if (type != Label.class) {
                    return java.util.Optional.empty();
                }
                return java.util.Optional.of((ElementCodec<T>) new ElementCodec<Label>() {
                    @Override
                    public Class<Label> type() {
                        return Label.class;
                    }

                    @Override
                    public int sizeOf(Label element) {
                        return strings.sizeOf(element.text());
                    }

                    @Override
                    public void write(Label element, MemorySegment segment, long offset) {
                        strings.write(element.text(), segment, offset);
                    }

                    @Override
                    public Label read(MemorySegment segment, long offset, int length) {
                        return new Label(strings.read(segment, offset, length));
                    }
                });
            }
        });
        try (Publication p = Streams.publish("labels", Label.class, Flux.just(new Label("a"), new Label("ü")),
                shm.directory())) {
            StepVerifier.create(Streams.flux("labels", Label.class, shm.directory()))
                    .expectNext(new Label("a"), new Label("ü"))
                    .verifyComplete();
        }
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldStopWaitingForTheNameWhenCancelled() throws Exception {
        StreamOptions options = StreamOptions.of(shm.directory()).withTimeout(Duration.ofMinutes(5));
        CountDownLatch ended = new CountDownLatch(1);
        reactor.core.Disposable waiting = Streams.flux("never", String.class, options)
                .doFinally(signal -> ended.countDown()).subscribe();
        waiting.dispose();
        assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("millrace-import-never"))) {
            assertThat(System.nanoTime() - deadline).as("the receiving thread ends").isNegative();
            Thread.sleep(10);
        }
    }

    @Test
    void shouldSendAnErrorLargerThanARecordInFragments() throws Exception {
        String big = "m".repeat(15_000);
        Exception error = new IllegalStateException(big + 1, new IllegalStateException(big + 2,
                new IllegalStateException(big + 3)));
        try (Publication p = Streams.publish("bigerror", String.class, Flux.error(error), shm.directory())) {
            StepVerifier.create(strings("bigerror"))
                    .expectErrorSatisfies(e -> {
                        RemoteException remote = (RemoteException) e;
                        assertThat(remote.remoteMessage()).isEqualTo(big + 1);
                        assertThat(remote.getCause().getCause().remoteMessage()).isEqualTo(big + 3);
                    })
                    .verify(WAIT);
        }
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldFailAtOnceWhenTheNameIsNotPublished() {
        StepVerifier.create(strings("nobody"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(StreamException.class)
                        .hasMessageContaining("'nobody'")
                        .extracting(x -> ((StreamException) x).reason()).isEqualTo(StreamException.Reason.NOT_PUBLISHED))
                .verify(WAIT);
    }

    /**
     * A stream region whose file is still empty (its creator between the file's creation and its header, which a
     * loaded machine can stretch past an attach slice) is waited for within the timeout, not taken for a bad file.
     */
    @Test
    void shouldWaitWithinTheTimeoutForAStreamRegionStillBeingMade() throws Exception {
        StreamOptions options = StreamOptions.of(shm.directory()).withTimeout(Duration.ofSeconds(30));
        Path empty = shm.directory().file(StreamDescriptor.streamRegion("made"));
        Files.createFile(empty, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        AtomicReference<Publication> made = new AtomicReference<>();
        StepVerifier.create(Streams.flux("made", String.class, options))
                .then(() -> {
                    LockSupport.parkNanos(300_000_000L); // not a synchronisation: the file stays empty 3 slices
                    try {
                        Files.delete(empty);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    made.set(Streams.publish("made", String.class, Flux.just("here"), shm.directory()));
                })
                .expectNext("here")
                .verifyComplete();
        made.get().close();
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldWaitForTheNameWithinTheTimeout() throws Exception {
        StreamOptions options = StreamOptions.of(shm.directory()).withTimeout(Duration.ofSeconds(10));
        AtomicReference<Publication> late = new AtomicReference<>();
        StepVerifier.create(Streams.flux("late", String.class, options))
                .then(() -> late.set(Streams.publish("late", String.class, Flux.just("here"), shm.directory())))
                .expectNext("here")
                .verifyComplete();
        late.get().close();
        StepVerifier.create(Streams.flux("later", String.class, options.withTimeout(Duration.ofMillis(50))))
                .expectErrorSatisfies(e -> assertThat(((StreamException) e).reason())
                        .isEqualTo(StreamException.Reason.NOT_PUBLISHED))
                .verify(WAIT);
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldSignalOnOneThreadAtATimeAndWorkWithPublishOnAndSubscribeOn() throws Exception {
        try (Publication p = Streams.publish("threads", String.class, Flux.range(0, 5000).map(String::valueOf),
                shm.directory())) {
            java.util.Set<Thread> receivers = java.util.concurrent.ConcurrentHashMap.newKeySet();
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger overlaps = new AtomicInteger();
            Long count = strings("threads")
                    .doOnNext(x -> {
                        receivers.add(Thread.currentThread());
                        if (inside.incrementAndGet() != 1) {
                            overlaps.incrementAndGet();
                        }
                        inside.decrementAndGet();
                    })
                    .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic())
                    .publishOn(reactor.core.scheduler.Schedulers.parallel())
                    .count()
                    .block(WAIT);
            assertThat(count).isEqualTo(5000L);
            assertThat(overlaps.get()).isZero();
            assertThat(receivers).hasSize(1)
                    .allMatch(t -> t.getName().equals("millrace-import-threads"));
        }
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldNameBothTypesOnAMismatch() throws Exception {
        try (Publication p = Streams.publish("typed", String.class, Flux.just("a"), shm.directory())) {
            StepVerifier.create(Streams.flux("typed", byte[].class, shm.directory()))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(StreamException.class)
                            .hasMessageContaining("type=java.lang.String").hasMessageContaining("type=[B"))
                    .verify(WAIT);
        }
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldNameTheClassThatHasNoCodec() {
        assertThatThrownBy(() -> Streams.flux("x", Thread.class, shm.directory()))
                .isInstanceOf(StreamException.class).hasMessageContaining("type=java.lang.Thread");
        assertThatThrownBy(() -> Streams.publish("x", Thread.class, Flux.<Thread>empty(), shm.directory()))
                .isInstanceOf(StreamException.class).hasMessageContaining("type=java.lang.Thread");
    }

    @Test
    void shouldRefuseASecondPublisherOfTheSameName() {
        try (Publication p = Streams.publish("once", String.class, Flux.just("a"), shm.directory())) {
            assertThatThrownBy(() -> Streams.publish("once", String.class, Flux.just("b"), shm.directory()))
                    .isInstanceOf(StreamException.class)
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
        }
    }

    @Test
    void shouldCarryAStreamRefAsASerializedValue() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(StreamRef.of("carried", byte[].class));
        }
        Object back;
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            back = in.readObject();
        }
        assertThat(back).isEqualTo(StreamRef.of("carried", byte[].class));
    }

    @Test
    void shouldEndWithTheErrorOfASourceThatThrowsFromSubscribe() throws Exception {
        org.reactivestreams.Publisher<String> broken = s -> {
            throw new IllegalStateException("cannot subscribe");
        };
        try (Publication p = Streams.publish("broken", String.class, broken, shm.directory())) {
            StepVerifier.create(strings("broken"))
                    .expectErrorSatisfies(e -> assertThat(((RemoteException) e).remoteMessage())
                            .isEqualTo("cannot subscribe"))
                    .verify(WAIT);
        }
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldRefuseBadNames() {
        assertThatThrownBy(() -> Streams.flux("../etc", String.class, shm.directory()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name='../etc'");
        assertThatThrownBy(() -> StreamRef.of("", String.class)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRefuseANameWhoseRegionReadsAsASubscriptionOfAnotherStream() {
        // stream.a.1.2 would be both stream a.1.2's region and subscription 2 of pid 1 to stream a
        for (Runnable use : List.<Runnable>of(
                () -> Streams.publish("a.1.2", String.class, Flux.just("x"), shm.directory()),
                () -> Streams.flux("a.1.2", String.class, shm.directory()),
                () -> StreamRef.of("a.1.2", String.class),
                () -> Streams.removeDeadRegions("a.1.2", shm.directory()))) {
            assertThatThrownBy(use::run).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("name='a.1.2'").hasMessageContaining("stream 'a'");
        }
        assertThatThrownBy(() -> StreamRef.of("x.y.10.20", String.class)).hasMessageContaining("stream 'x.y'");
        assertThat(shm.directory().list()).isEmpty();
        // one all-digit component, or two not at the end, cannot be read as a subscription's PID.N
        for (String name : List.of("a.1", "a.1.x", "a.x.2", "v1.2", "1.2", "a.1-2.3")) {
            assertThat(StreamRef.of(name, String.class).name()).isEqualTo(name);
        }
    }

    @Test
    void shouldSubscribeThroughAStreamRef() throws Exception {
        StreamRef<String> ref = StreamRef.of("ref", String.class);
        try (Publication p = Streams.publish(ref.name(), ref.elementType(), Flux.just("a", "b"), shm.directory())) {
            StepVerifier.create(ref.flux(shm.directory())).expectNext("a", "b").verifyComplete();
            StepVerifier.create(Streams.mono("ref", String.class, shm.directory())).expectNext("a").verifyComplete();
        }
        TestFiles.awaitNone(shm);
    }
}
