package io.millrace.shm;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RingTest {
    /** A participant reference nobody holds (slot 63, incarnation 1, never attached): not alive. */
    static final long DEAD_REF = Participants.ref(RegionDescriptor.MAX_PARTICIPANTS - 1, 1);

    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();

    enum Kind { SPSC, MPSC }

    private static final int CAPACITY = 4096;
    private SharedRegion region;

    private Ring ring(Kind kind) {
        RegionSpec.Builder builder = RegionSpec.named("rings");
        region = shm.directory().create((kind == Kind.SPSC ? builder.spscRing("r", CAPACITY)
                : builder.mpscRing("r", CAPACITY)).build());
        return region.ring("r");
    }

    @AfterEach
    void closeRegion() {
        if (region != null) {
            region.close();
            region.unlink();
        }
    }

    record Msg(int type, byte[] payload) {
    }

    /**
     * A claim (or zeroing) of this process under way when its region closes: the close frees the participant slot
     * only once the claim window is idle, since a freed slot reads as dead and another process could take over what
     * the claim still writes; a claim that takes the window after the close began sees the region closed.
     */
    @Test
    void shouldNotFreeTheSlotAtCloseWhileAClaimOfThisProcessIsUnderWay() throws Exception {
        Ring ring = ring(Kind.MPSC);
        assertThat(ring.producer().offer(1, new byte[8], 0, 8)).isEqualTo(OfferStatus.ACCEPTED);
        long window = ring.header().producers.announceOffset(region.slot());
        assertThat(ring.header().casWindowIdle(window)).as("a claim under way").isTrue();
        long self = ProcessHandle.current().pid();
        Thread closer = Thread.ofPlatform().start(region::close);
        closer.join(300); // not a synchronisation: how long the close is seen to wait
        assertThat(closer.isAlive()).as("the close waits for the claim").isTrue();
        assertThat(shm.directory().inspect("rings").participants()).extracting(ParticipantInfo::pid).contains(self);
        ring.header().releaseWindow(window);
        closer.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(closer.isAlive()).isFalse();
        assertThat(shm.directory().inspect("rings").participants()).extracting(ParticipantInfo::pid)
                .doesNotContain(self);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldAbortEveryOpenClaimAtLeaveThoughMoreAreOpenThanTheTrackerHasSlots(Kind kind) {
        Ring ring = ring(kind);
        Random random = new Random(20261201L);
        int claims = 3 * OpenWork.SLOTS;
        List<Long> open = new ArrayList<>();
        for (int i = 0; i < claims; i++) {
            long index = ring.tryClaim(1, 8);
            assertThat(index).isNotNegative();
            ring.buffer().set(ValueLayout.JAVA_LONG, index, i);
            open.add(index);
        }
        List<Long> committed = new ArrayList<>();
        for (int i = 0; i < claims / 2; i++) { // in a seeded random order: slots and overflow free out of order
            long index = open.remove(random.nextInt(open.size()));
            ring.commit(index);
            committed.add(ring.buffer().get(ValueLayout.JAVA_LONG, index));
        }
        ring.leaveAsProducer();
        List<Long> delivered = new ArrayList<>();
        ring.poll((type, buffer, offset, length) -> delivered.add(buffer.get(ValueLayout.JAVA_LONG, offset)), 1000);
        assertThat(delivered).as("the committed claims, in claim order; every open one aborted")
                .containsExactlyElementsOf(committed.stream().sorted().toList());
        for (long index : open) {
            assertThatThrownBy(() -> ring.commit(index)).as("aborted at leave").isInstanceOf(IllegalStateException.class);
        }
    }

    private static List<Msg> drain(Ring ring, int limit) {
        List<Msg> out = new ArrayList<>();
        ring.poll((type, buffer, offset, length) -> out.add(
                new Msg(type, buffer.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE))), limit);
        return out;
    }

    private static byte[] bytes(int length, int seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldDeliverTypesAndPayloadsInOrder(Kind kind) {
        Ring ring = ring(kind);
        assertThat(ring.offer(1, bytes(10, 1), 0, 10)).isEqualTo(OfferStatus.ACCEPTED);
        assertThat(ring.offer(2, MemorySegment.ofArray(bytes(0, 2)))).isEqualTo(OfferStatus.ACCEPTED);
        assertThat(ring.offer(Ring.MAX_TYPE, bytes(100, 3), 50, 20)).isEqualTo(OfferStatus.ACCEPTED);
        List<Msg> got = drain(ring, 10);
        assertThat(got).extracting(Msg::type).containsExactly(1, 2, Ring.MAX_TYPE);
        assertThat(got.get(0).payload()).isEqualTo(bytes(10, 1));
        assertThat(got.get(1).payload()).isEmpty();
        assertThat(got.get(2).payload()).isEqualTo(java.util.Arrays.copyOfRange(bytes(100, 3), 50, 70));
        assertThat(drain(ring, 10)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldFillExactlyToCapacityThenBackPressureThenAcceptAfterPoll(Kind kind) {
        Ring ring = ring(kind);
        int usable = CAPACITY - 8; // the word after the latest record stays free (both kinds)
        int records = 0;
        for (int i = 0; i < usable / 64; i++, records++) {
            assertThat(ring.offer(1, bytes(56, i), 0, 56)).as("record %d", i).isEqualTo(OfferStatus.ACCEPTED);
        }
        int rest = usable % 64; // 56 bytes left, exactly a record of 48 payload bytes
        if (rest > 0) {
            assertThat(ring.offer(1, bytes(rest - 8, 7), 0, rest - 8)).isEqualTo(OfferStatus.ACCEPTED);
            records++;
        }
        assertThat(ring.offer(1, new byte[0], 0, 0)).isEqualTo(OfferStatus.BACK_PRESSURED);
        assertThat(ring.tryClaim(1, 0)).isEqualTo(Ring.BACK_PRESSURED);
        assertThat(ring.stats().lag()).isEqualTo(usable);
        assertThat(drain(ring, 2)).hasSize(2); // room for one more record, and padding at the wrap
        assertThat(ring.offer(1, bytes(56, 99), 0, 56)).isEqualTo(OfferStatus.ACCEPTED);
        List<Msg> rest2 = drain(ring, 1000);
        assertThat(rest2).hasSize(records - 1);
        assertThat(rest2.getLast().payload()).isEqualTo(bytes(56, 99));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldPadTheEndAndWrapRecordsThatDoNotFit(Kind kind) {
        Ring ring = ring(kind);
        // 7 records of 496 B (504 with header) leave 4096 - 3528 = 568 bytes before the end
        for (int i = 0; i < 7; i++) {
            ring.offer(1, bytes(496, i), 0, 496);
        }
        assertThat(drain(ring, 10)).hasSize(7);
        assertThat(ring.offer(2, bytes(300, 7), 0, 300)).isEqualTo(OfferStatus.ACCEPTED); // 312 fits: 256 left
        assertThat(ring.offer(3, bytes(250, 8), 0, 250)).isEqualTo(OfferStatus.ACCEPTED); // 264 > 256: pad, wrap
        assertThat(ring.offer(4, bytes(0, 9), 0, 0)).isEqualTo(OfferStatus.ACCEPTED);
        List<Msg> got = drain(ring, 10);
        assertThat(got).extracting(Msg::type).containsExactly(2, 3, 4);
        assertThat(got.get(1).payload()).isEqualTo(bytes(250, 8));
        RingStats stats = ring.stats();
        assertThat(stats.head()).isEqualTo(stats.tail()).isEqualTo(3528 + 312 + 256 + 264 + 8);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldRefuseOversizedMessagesAtOnceAndAcceptTheMaximum(Kind kind) {
        Ring ring = ring(kind);
        int max = ring.maxMessageLength();
        assertThat(max).isEqualTo(CAPACITY / 8 - 8).isEqualTo(Ring.maxMessageLength(CAPACITY));
        assertThat(Ring.maxMessageLength(1 << 30)).isEqualTo((1 << 27) - 8);
        for (int bad : new int[] {0, -4096, 1000, 512, 4097, Integer.MIN_VALUE}) {
            assertThatThrownBy(() -> Ring.maxMessageLength(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("capacity=" + bad);
        }
        assertThatThrownBy(() -> ring.offer(1, new byte[max + 1], 0, max + 1))
                .isInstanceOfSatisfying(MessageTooLargeException.class, e -> {
                    assertThat(e).isInstanceOf(ShmException.class);
                    assertThat(e.length()).isEqualTo(max + 1);
                    assertThat(e.maxMessageLength()).isEqualTo(max);
                })
                .hasMessageContaining("message length=" + (max + 1) + " exceeds maxMessageLength=" + max)
                .hasMessageContaining("ring 'r'");
        assertThatThrownBy(() -> ring.tryClaim(1, max + 1)).isInstanceOf(MessageTooLargeException.class);
        assertThat(ring.offer(1, new byte[max], 0, max)).isEqualTo(OfferStatus.ACCEPTED);
        assertThat(drain(ring, 1)).singleElement().satisfies(m -> assertThat(m.payload()).hasSize(max));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldForwardARecordFromItsHandlerWithTheSegmentOffsetAndLengthItWasHanded(Kind kind) {
        Ring ring = ring(kind);
        byte[] first = bytes(72, 1);
        byte[] second = bytes(3, 2);
        ring.offer(7, first, 0, first.length);
        ring.offer(8, second, 0, second.length);
        ring.offer(9, new byte[0], 0, 0);
        RegionSpec.Builder spec = RegionSpec.named("fwd");
        try (SharedRegion other = shm.directory().create((kind == Kind.SPSC ? spec.spscRing("f", CAPACITY)
                : spec.mpscRing("f", CAPACITY)).build())) {
            Ring forward = other.ring("f");
            assertThat(ring.poll((type, buffer, offset, length) ->
                    assertThat(forward.offer(type, buffer, offset, length)).isEqualTo(OfferStatus.ACCEPTED), 10))
                    .isEqualTo(3);
            assertThat(drain(forward, 10)).extracting(Msg::type).containsExactly(7, 8, 9);
            MemorySegment src = MemorySegment.ofArray(bytes(40, 3));
            forward.offer(5, src, 17, 23);
            assertThat(drain(forward, 1)).singleElement().satisfies(m -> assertThat(m.payload())
                    .isEqualTo(Arrays.copyOfRange(src.toArray(ValueLayout.JAVA_BYTE), 17, 40)));
            assertThatThrownBy(() -> forward.offer(5, src, 17, 24)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> forward.offer(5, src, -1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> forward.offer(0, src, 0, 1)).hasMessageContaining("type=0");
            int max = forward.maxMessageLength();
            MemorySegment large = MemorySegment.ofArray(new byte[max + 9]);
            assertThatThrownBy(() -> forward.offer(5, large, 8, max + 1)).isInstanceOf(MessageTooLargeException.class)
                    .hasMessageContaining("message length=" + (max + 1));
            assertThat(drain(forward, 10)).as("nothing written by a refused offer").isEmpty();
            other.unlink();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldRejectBadArgumentsNamingThem(Kind kind) {
        Ring ring = ring(kind);
        assertThatThrownBy(() -> ring.offer(0, new byte[1], 0, 1)).hasMessageContaining("type=0");
        assertThatThrownBy(() -> ring.offer(Ring.MAX_TYPE + 1, new byte[1], 0, 1))
                .hasMessageContaining("type=" + (Ring.MAX_TYPE + 1));
        assertThatThrownBy(() -> ring.offer(1, new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> ring.tryClaim(1, -1)).hasMessageContaining("length=-1");
        assertThatThrownBy(() -> ring.poll((t, b, o, l) -> { }, 0)).hasMessageContaining("limit=0");
        assertThatThrownBy(() -> ring.receive((t, b, o, l) -> { }, 1, Duration.ofMillis(-1)))
                .hasMessageContaining("timeout=PT-0.001S");
        assertThatThrownBy(() -> ring.commit(12345)).isInstanceOfAny(IllegalStateException.class,
                IllegalArgumentException.class);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldPublishZeroCopyClaimsOnCommitAndDropThemOnAbort(Kind kind) {
        Ring ring = ring(kind);
        long index = ring.tryClaim(5, 16);
        assertThat(index).isNotNegative();
        ring.buffer().set(ValueLayout.JAVA_LONG_UNALIGNED, index, 0x1122334455667788L);
        ring.buffer().set(ValueLayout.JAVA_LONG_UNALIGNED, index + 8, -1L);
        assertThat(drain(ring, 10)).as("nothing visible before commit").isEmpty();
        ring.commit(index);
        long aborted = ring.tryClaim(6, 8);
        ring.abort(aborted);
        long third = ring.tryClaim(7, 0);
        ring.commit(third);
        List<Msg> got = drain(ring, 10);
        assertThat(got).extracting(Msg::type).containsExactly(5, 7);
        assertThat(MemorySegment.ofArray(got.getFirst().payload()).get(ValueLayout.JAVA_LONG_UNALIGNED, 0))
                .isEqualTo(0x1122334455667788L);
        assertThatThrownBy(() -> ring.commit(index)).isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldDeliverClaimsInClaimOrderOnceTheEarliestIsCommitted(Kind kind) {
        Ring ring = ring(kind);
        long first = ring.tryClaim(1, 8);
        long second = ring.tryClaim(2, 8);
        ring.commit(second);
        assertThat(drain(ring, 10)).as("the first claim is still open").isEmpty();
        ring.commit(first);
        assertThat(drain(ring, 10)).extracting(Msg::type).containsExactly(1, 2);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldPublishABatchOnlyAtFlushAndInOrder(Kind kind) {
        Ring ring = ring(kind);
        Ring.Batch batch = ring.batch(100);
        assertThat(batch.offer(1, bytes(10, 1), 0, 10)).isEqualTo(OfferStatus.ACCEPTED);
        assertThat(batch.offer(2, MemorySegment.ofArray(bytes(0, 2)))).isEqualTo(OfferStatus.ACCEPTED);
        assertThat(batch.offer(3, bytes(100, 3), 50, 20)).isEqualTo(OfferStatus.ACCEPTED);
        assertThat(batch.pending()).isEqualTo(3);
        assertThat(drain(ring, 10)).as("nothing visible before the flush").isEmpty();
        batch.flush();
        assertThat(batch.pending()).isZero();
        List<Msg> got = drain(ring, 10);
        assertThat(got).extracting(Msg::type).containsExactly(1, 2, 3);
        assertThat(got.get(0).payload()).isEqualTo(bytes(10, 1));
        assertThat(got.get(2).payload()).isEqualTo(java.util.Arrays.copyOfRange(bytes(100, 3), 50, 70));
        batch.flush(); // nothing pending: no effect
        assertThat(drain(ring, 10)).isEmpty();
        assertThat(ring.stats().skippedRecords()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldFlushABatchByItselfEveryMaxRecords(Kind kind) {
        Ring ring = ring(kind);
        Ring.Batch batch = ring.batch(3);
        for (int i = 1; i <= 7; i++) {
            batch.offer(i, new byte[4], 0, 4);
        }
        assertThat(drain(ring, 100)).extracting(Msg::type).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(batch.pending()).isEqualTo(1);
        batch.flush();
        assertThat(drain(ring, 100)).extracting(Msg::type).containsExactly(7);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldFlushABatchByItselfAtAQuarterOfTheCapacityInBytes(Kind kind) {
        Ring ring = ring(kind);
        Ring.Batch batch = ring.batch(Integer.MAX_VALUE);
        int records = 0;
        while (drain(ring, 1000).isEmpty()) {
            assertThat(batch.offer(1, bytes(92, records), 0, 92)).isEqualTo(OfferStatus.ACCEPTED);
            records++;
        }
        assertThat(records).as("100-byte records until 1024 bytes are pending").isEqualTo(11);
        assertThat(batch.pending()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldFlushABatchBeforeReportingBackPressureSoTheConsumerCanFreeSpace(Kind kind) {
        Ring ring = ring(kind);
        Ring.Batch batch = ring.batch(Integer.MAX_VALUE);
        int accepted = 0;
        while (batch.offer(1, bytes(100, accepted), 0, 100) == OfferStatus.ACCEPTED) {
            accepted++;
        }
        assertThat(accepted).isEqualTo(CAPACITY / 112);
        assertThat(CAPACITY / 112 % 10).as("the last records were still pending when the ring filled").isNotZero();
        assertThat(batch.pending()).as("flushed on back-pressure").isZero();
        assertThat(drain(ring, 1000)).hasSize(accepted);
        assertThat(batch.offer(2, bytes(100, 0), 0, 100)).isEqualTo(OfferStatus.ACCEPTED);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldHoldRecordsOfferedDirectlyBehindAnOpenBatch(Kind kind) {
        Ring ring = ring(kind);
        Ring.Batch batch = ring.batch(10);
        batch.offer(1, new byte[4], 0, 4);
        ring.offer(2, new byte[4], 0, 4);
        assertThat(drain(ring, 10)).as("behind the batch's first record").isEmpty();
        batch.flush();
        assertThat(drain(ring, 10)).extracting(Msg::type).containsExactly(1, 2);
    }

    @Test
    void shouldCapABatchAtMaxBatchRecords() {
        Ring ring = ring(Kind.SPSC);
        assertThat(ring.batch(Integer.MAX_VALUE).maxRecords()).isEqualTo(Ring.MAX_BATCH_RECORDS);
        assertThat(ring.batch(Ring.MAX_BATCH_RECORDS - 1).maxRecords()).isEqualTo(Ring.MAX_BATCH_RECORDS - 1);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldRejectBadBatchArgumentsNamingThem(Kind kind) {
        Ring ring = ring(kind);
        assertThatThrownBy(() -> ring.batch(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxRecords=0");
        Ring.Batch batch = ring.batch(4);
        assertThat(batch.ring()).isSameAs(ring);
        assertThat(batch.maxRecords()).isEqualTo(4);
        assertThatThrownBy(() -> batch.offer(0, new byte[1], 0, 1)).hasMessageContaining("type=0");
        assertThatThrownBy(() -> batch.offer(1, new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        int tooLong = ring.maxMessageLength() + 1;
        assertThatThrownBy(() -> batch.offer(1, MemorySegment.ofArray(new byte[tooLong])))
                .isInstanceOf(MessageTooLargeException.class);
        assertThat(batch.pending()).as("nothing was claimed by the refused offers").isZero();
        region.close();
        assertThatThrownBy(() -> batch.offer(1, new byte[1], 0, 1)).isInstanceOf(ShmException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> ring.batch(1)).isInstanceOf(ShmException.class);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldRespectThePollLimitAndKeepTheRest(Kind kind) {
        Ring ring = ring(kind);
        for (int i = 1; i <= 10; i++) {
            ring.offer(i, new byte[4], 0, 4);
        }
        assertThat(drain(ring, 3)).extracting(Msg::type).containsExactly(1, 2, 3);
        assertThat(drain(ring, 100)).extracting(Msg::type).containsExactly(4, 5, 6, 7, 8, 9, 10);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldConsumeTheRecordWhoseHandlerThrewAndContinueAfterIt(Kind kind) {
        Ring ring = ring(kind);
        for (int i = 1; i <= 3; i++) {
            ring.offer(i, new byte[4], 0, 4);
        }
        List<Integer> seen = new ArrayList<>();
        assertThatThrownBy(() -> ring.poll((type, b, o, l) -> {
            seen.add(type);
            if (type == 2) {
                throw new IllegalStateException("boom");
            }
        }, 10)).hasMessage("boom");
        assertThat(seen).containsExactly(1, 2);
        assertThat(drain(ring, 10)).extracting(Msg::type).containsExactly(3);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldTimeOutBlockingCallsWithoutHanging(Kind kind) {
        Ring ring = ring(kind);
        assertThat(ring.receive((t, b, o, l) -> { }, 1, Duration.ofMillis(20))).isZero();
        byte[] big = new byte[ring.maxMessageLength()];
        while (ring.offer(1, big, 0, big.length) == OfferStatus.ACCEPTED) {
            // fill it
        }
        for (WaitStrategy strategy : List.of(WaitStrategy.busySpin(), WaitStrategy.yielding(), WaitStrategy.backoff(),
                WaitStrategy.blocking())) {
            ring.waitStrategy(strategy);
            assertThat(ring.send(1, big, 0, big.length, Duration.ofMillis(20))).as(strategy.toString())
                    .isEqualTo(OfferStatus.BACK_PRESSURED);
        }
    }

    /** Sends message {@code i} with {@link Ring#send}, or through batches of random sizes flushed at random. */
    private static final class StreamSender {
        private final RingProducer ring;
        private final Random batching;
        private Ring.Batch batch;

        StreamSender(Ring ring, boolean batched, long seed) {
            this.ring = ring.producer(); // the side's own handle: the other thread consumes the same ring
            this.batching = batched ? new Random(seed) : null;
            this.batch = batched ? ring.batch(1 + batching.nextInt(64)) : null;
        }

        void send(int type, byte[] payload, int length) {
            if (batch == null) {
                assertThat(ring.send(type, payload, 0, length, Duration.ofSeconds(30))).isEqualTo(OfferStatus.ACCEPTED);
                return;
            }
            while (batch.offer(type, payload, 0, length) != OfferStatus.ACCEPTED) {
                Thread.onSpinWait();
            }
            if (batching.nextInt(100) == 0) {
                batch.flush();
                batch = ring.batch(1 + batching.nextInt(64));
            }
        }

        void finish() {
            if (batch != null) {
                batch.flush();
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"SPSC, false", "SPSC, true", "MPSC, false", "MPSC, true"})
    void shouldStreamRandomSizesAcrossManyWrapsBetweenThreads(Kind kind, boolean batched) throws Exception {
        Ring ring = ring(kind);
        int count = 100_000;
        long seed = 20261122L;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread producer = Thread.ofPlatform().start(() -> {
            try {
                Random random = new Random(seed);
                StreamSender sender = new StreamSender(ring, batched, seed + 1);
                byte[] payload = new byte[ring.maxMessageLength()];
                for (int i = 0; i < count; i++) {
                    int length = random.nextInt(ring.maxMessageLength() + 1);
                    fill(payload, length, i);
                    sender.send(1 + (i % 1000), payload, length);
                }
                sender.finish();
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        Random expected = new Random(seed);
        int[] received = {0};
        ring.waitStrategy(WaitStrategy.yielding());
        while (received[0] < count && failure.get() == null) {
            ring.consumer().receive((type, buffer, offset, length) -> {
                int i = received[0]++;
                assertThat(type).isEqualTo(1 + (i % 1000));
                assertThat(length).isEqualTo(expected.nextInt(ring.maxMessageLength() + 1));
                for (int j = 0; j < length; j++) {
                    if (buffer.get(ValueLayout.JAVA_BYTE, offset + j) != (byte) (i * 31 + j)) {
                        throw new AssertionError("message " + i + " byte " + j + " differs");
                    }
                }
            }, 64, Duration.ofSeconds(30));
        }
        producer.join();
        assertThat(failure.get()).isNull();
        assertThat(received[0]).isEqualTo(count);
        assertThat(ring.stats().tail()).as("many wraps").isGreaterThan(100L * CAPACITY);
        assertThat(ring.stats().skippedRecords()).isZero();
    }

    static void fill(byte[] payload, int length, int i) {
        for (int j = 0; j < length; j++) {
            payload[j] = (byte) (i * 31 + j);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldDeliverEveryMessageOnceFromManyProducerThreads(boolean batched) throws Exception {
        Ring ring = ring(Kind.MPSC);
        int threads = 4;
        int perThread = 25_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            producers.add(Thread.ofPlatform().start(() -> {
                byte[] payload = new byte[12];
                MemorySegment view = MemorySegment.ofArray(payload);
                StreamSender sender = new StreamSender(ring, batched, id);
                try {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        view.set(ValueLayout.JAVA_INT_UNALIGNED, 0, id);
                        view.set(ValueLayout.JAVA_LONG_UNALIGNED, 4, i);
                        sender.send(1, payload, 12);
                    }
                    sender.finish();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        long[] next = new long[threads];
        int total = 0;
        start.countDown();
        while (total < threads * perThread) {
            int got = ring.receive((type, buffer, offset, length) -> {
                int id = buffer.get(ValueLayout.JAVA_INT_UNALIGNED, offset);
                long seq = buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + 4);
                assertThat(seq).as("producer %d in order", id).isEqualTo(next[id]++);
            }, 256, Duration.ofSeconds(30));
            assertThat(got).as("a message within 30 s (no batch left unflushed)").isPositive();
            total += got;
        }
        for (Thread producer : producers) {
            assertThat(producer.join(Duration.ofSeconds(30))).isTrue();
        }
        assertThat(next).containsOnly(perThread);
        assertThat(ring.stats().producerPids()).containsExactly(ProcessHandle.current().pid());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldFinishTheReleaseOfAConsumerKilledBeforeItStoredHead(Kind kind) {
        Ring ring = ring(kind);
        for (int i = 0; i < 3; i++) {
            assertThat(ring.offer(1, bytes(56, i), 0, 56)).isEqualTo(OfferStatus.ACCEPTED); // 64 bytes each
        }
        // as a consumer killed while releasing a batch of the first two records leaves the ring: releasing at their
        // end, head still at 0, its participant slot dead
        ring.header().putReleasing(128);
        assertThat(ring.header().casConsumerRef(ring.header().consumerRef(), DEAD_REF)).isTrue();
        try (SharedRegion other = shm.directory().attach("rings", Duration.ZERO)) {
            Ring successor = other.ring("r");
            assertThat(drain(successor, 10)).as("the batch under release is not delivered again, the rest is")
                    .extracting(Msg::payload).containsExactly(bytes(56, 2));
            assertThat(successor.stats().head()).isEqualTo(192);
            assertThat(successor.stats().skippedRecords()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldReadNothingAtTheTailThoughTheLastLapLeftPayloadBytesThere(Kind kind) {
        Ring ring = ring(kind);
        byte[] stale = new byte[200];
        Arrays.fill(stale, (byte) 0x5A);
        for (int i = 0; i < 2 * CAPACITY / 208; i++) { // two laps of 0x5A payloads, none zeroed on release
            assertThat(ring.offer(1, stale, 0, 200)).isEqualTo(OfferStatus.ACCEPTED);
            assertThat(drain(ring, 1)).hasSize(1);
        }
        Random random = new Random(17);
        for (int i = 0; i < 500; i++) { // records of other lengths: their ends fall on the stale payloads
            int length = random.nextInt(300);
            byte[] payload = bytes(length, i);
            assertThat(ring.offer(1, payload, 0, length)).isEqualTo(OfferStatus.ACCEPTED);
            assertThat(drain(ring, 10)).as("record %d", i).extracting(Msg::payload).containsExactly(payload);
            assertThat(ring.poll((type, buffer, offset, len) -> { }, 10)).as("the word at tail reads 0").isZero();
        }
    }

    @Test
    void shouldDeliverRecordsWholeFromProducersOfSeveralAttachmentsThatZeroAheadOfEachOther() throws Exception {
        Ring ring = ring(Kind.MPSC);
        int producers = 3;
        int perProducer = 4_000;
        List<SharedRegion> attachments = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        try {
            for (int p = 0; p < producers; p++) {
                SharedRegion other = shm.directory().attach("rings", Duration.ZERO); // a claim window of its own
                attachments.add(other);
                Ring mine = other.ring("r");
                int id = p;
                threads.add(Thread.ofPlatform().start(() -> {
                    Random random = new Random(20261201L + id);
                    try {
                        start.await();
                        for (int seq = 0; seq < perProducer; seq++) {
                            byte[] payload = new byte[12 + random.nextInt(300)];
                            RingChild.writeMessage(payload, id, seq, payload.length);
                            while (mine.offer(1, payload, 0, payload.length) != OfferStatus.ACCEPTED) {
                                Thread.onSpinWait();
                            }
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            long[] next = new long[producers];
            int total = 0;
            start.countDown();
            while (total < producers * perProducer) {
                int got = ring.receive((type, buffer, offset, length) -> {
                    int id = buffer.get(ValueLayout.JAVA_INT_UNALIGNED, offset);
                    long seq = buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + 4);
                    assertThat(seq).as("producer %d in order", id).isEqualTo(next[id]++);
                    for (int j = 12; j < length; j++) {
                        assertThat(buffer.get(ValueLayout.JAVA_BYTE, offset + j)).as("producer %d seq %d byte %d",
                                id, seq, j).isEqualTo(RingChild.pattern(id, seq, j));
                    }
                }, 256, Duration.ofSeconds(30));
                assertThat(got).as("a record within 30 s").isPositive();
                total += got;
            }
            for (Thread thread : threads) {
                assertThat(thread.join(Duration.ofSeconds(30))).isTrue();
            }
            assertThat(ring.stats().skippedRecords()).isZero();
            assertThat(ring.stats().tail()).as("many laps").isGreaterThan(100L * CAPACITY);
            assertThat(ring.header().cleaner()).as("no cleaning left under way").isZero();
        } finally {
            attachments.forEach(SharedRegion::close);
        }
    }

    /**
     * Fills the ring with records of 64 bytes and drains it: {@code cleaned} is then where the consumer's head was
     * plus the capacity, 64 bytes ahead of {@code tail}, and a claim of more needs a cleaning.
     */
    private static void runUpToCleaned(Ring ring) {
        while (ring.offer(1, new byte[56], 0, 56) == OfferStatus.ACCEPTED) {
            assertThat(ring.stats().lag()).isLessThanOrEqualTo(CAPACITY);
        }
        assertThat(drain(ring, 1000)).hasSize((CAPACITY - 64) / 64);
        assertThat(ring.header().cleanedAcquire() - ring.header().tailAcquire()).isEqualTo(64);
    }

    @Test
    void shouldTakeOverTheZeroingAheadOfTheClaimsFromADeadCleaner() {
        Ring ring = ring(Kind.MPSC);
        runUpToCleaned(ring);
        long cleaned = ring.header().cleanedAcquire();
        assertThat(ring.header().casCleaner(0, DEAD_REF)).isTrue(); // as a producer killed while zeroing leaves it
        ring.buffer().asSlice(cleaned & (CAPACITY - 1), 64).fill((byte) 0x5A); // its zeros not stored yet
        byte[] payload = bytes(56, 1);
        assertThat(ring.offer(1, payload, 0, 56)).as("the dead one's cleaning is done again")
                .isEqualTo(OfferStatus.ACCEPTED);
        assertThat(ring.header().cleanedAcquire()).isGreaterThan(cleaned);
        assertThat(ring.header().cleaner()).isZero();
        for (int i = 0; i < 3 * CAPACITY / 64; i++) { // three laps: no stale byte of its read as a header
            assertThat(drain(ring, 10)).extracting(Msg::payload).containsExactly(payload);
            assertThat(ring.offer(1, payload, 0, 56)).isEqualTo(OfferStatus.ACCEPTED);
        }
    }

    @Test
    void shouldBackPressureAClaimBeyondTheZeroedSpaceOnlyWhileAnotherLiveProducerIsCleaning() {
        Ring ring = ring(Kind.MPSC);
        runUpToCleaned(ring);
        try (SharedRegion other = shm.directory().attach("rings", Duration.ZERO)) {
            assertThat(ring.header().casCleaner(0, other.ref())).isTrue(); // a live producer is zeroing
            assertThat(ring.offer(1, new byte[48], 0, 48)).as("fits below cleaned, its terminator too")
                    .isEqualTo(OfferStatus.ACCEPTED);
            assertThat(ring.offer(1, new byte[8], 0, 8)).as("needs the space being zeroed")
                    .isEqualTo(OfferStatus.BACK_PRESSURED);
            assertThat(ring.header().casCleaner(other.ref(), 0)).isTrue(); // it has done
            assertThat(ring.offer(1, new byte[8], 0, 8)).isEqualTo(OfferStatus.ACCEPTED);
            assertThat(drain(ring, 10)).hasSize(2);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldRefuseASecondLiveConsumer(Kind kind) {
        Ring ring = ring(kind);
        ring.poll((t, b, o, l) -> { }, 1);
        try (SharedRegion other = shm.directory().attach("rings", Duration.ZERO)) {
            assertThatThrownBy(() -> other.ring("r").poll((t, b, o, l) -> { }, 1))
                    .isInstanceOfSatisfying(RoleTakenException.class, e -> {
                        assertThat(e.role()).isEqualTo(RoleTakenException.Role.CONSUMER);
                        assertThat(e.holderPid()).isEqualTo(ProcessHandle.current().pid());
                        assertThat(e.ringName()).isEqualTo("r");
                    })
                    .hasMessageContaining("already has a consumer: pid " + ProcessHandle.current().pid());
        }
    }

    @Test
    void shouldBackPressureAnSpscProducerTakingOverFromADeadOneUntilTheConsumerHasPassedEarlierTakeovers() {
        Ring ring = ring(Kind.SPSC);
        ring.offer(1, new byte[8], 0, 8);
        assertThat(drain(ring, 10)).hasSize(1); // head and tail at 16
        assertThat(ring.header().casSpscProducer(ring.header().spscProducer(), DEAD_REF)).isTrue();
        for (int i = 0; i < RingDescriptor.SPSC_TAKEOVERS; i++) {
            assertThat(ring.header().casSpscTakeover(i, 0, 1000 + i)).isTrue(); // points the consumer has not passed
        }
        try (SharedRegion other = shm.directory().attach("rings", Duration.ZERO)) {
            Ring successor = other.ring("r");
            assertThat(successor.offer(2, new byte[8], 0, 8)).isEqualTo(OfferStatus.BACK_PRESSURED);
            assertThat(successor.send(2, new byte[8], 0, 8, Duration.ofMillis(20))).isEqualTo(OfferStatus.BACK_PRESSURED);
            for (int i = 0; i < RingDescriptor.SPSC_TAKEOVERS; i++) {
                assertThat(ring.header().casSpscTakeover(i, 1000 + i, 8)).isTrue(); // as if passed: below the head
            }
            assertThat(successor.offer(2, new byte[8], 0, 8)).isEqualTo(OfferStatus.ACCEPTED);
            assertThat(drain(ring, 10)).extracting(Msg::type).containsExactly(2);
            assertThat(ring.header().spscTakeover(0)).as("where it took over, in the first passed entry").isEqualTo(16);
            assertThat(ring.header().spscTakeover(1)).isEqualTo(8);
        }
    }

    @Test
    void shouldRecoverADeadProducersGapForAConsumerThatOnlyPollsNowAndThen() {
        Ring ring = ring(Kind.SPSC);
        // as an SPSC producer killed in an offer leaves the ring: tail covers a claim whose header is still zero
        forgeTail(ring, 64);
        assertThat(ring.header().casSpscProducer(0, DEAD_REF)).isTrue();
        int polls = 100; // a consumer polling every 10 ms: about a second
        for (int poll = 1; poll <= polls && ring.stats().skippedRecords() == 0; poll++) {
            assertThat(drain(ring, 10)).isEmpty();
        }
        assertThat(ring.stats().skippedRecords()).as("skipped within %d polls", polls).isEqualTo(1);
        assertThat(drain(ring, 10)).isEmpty(); // passes it
        assertThat(ring.stats().head()).isEqualTo(64);
    }

    @Test
    void shouldSkipAnSpscClaimBelowATakeoverPointThoughALiveProcessHoldsItsClaimantsSlot() {
        Ring ring = ring(Kind.SPSC);
        assertThat(ring.tryClaim(1, 8)).isEqualTo(8); // claimed by this live process, at position 0
        assertThat(ring.header().casSpscTakeover(0, 0, 16)).isTrue(); // as if a successor had gone on from 16
        assertThat(drain(ring, 10)).isEmpty(); // turns it into a skipped record
        assertThat(ring.stats().skippedRecords()).isEqualTo(1);
        assertThat(drain(ring, 10)).isEmpty(); // passes it
        assertThat(ring.stats().head()).isEqualTo(16);
    }

    @Test
    void shouldTakeOverWhenADeadProducerHeldThisProcesssParticipantSlotNumber() {
        Ring ring = ring(Kind.SPSC);
        ring.offer(1, new byte[8], 0, 8);
        assertThat(drain(ring, 10)).hasSize(1);
        try (SharedRegion other = shm.directory().attach("rings", Duration.ZERO)) {
            // a dead process that had other's slot before it (an earlier incarnation) registered as the producer
            long earlier = Participants.ref(other.slot(), Participants.incarnationOf(other.ref()) - 1);
            assertThat(ring.header().casSpscProducer(ring.header().spscProducer(), earlier)).isTrue();
            assertThat(other.ring("r").offer(2, new byte[8], 0, 8)).isEqualTo(OfferStatus.ACCEPTED);
            assertThat(ring.header().spscTakeover(0)).as("noted as a takeover at the tail it found").isEqualTo(16);
            assertThat(drain(ring, 10)).extracting(Msg::type).containsExactly(2);
        }
    }

    @Test
    void shouldRefuseASecondLiveProducerOnSpsc() {
        Ring ring = ring(Kind.SPSC);
        ring.offer(1, new byte[1], 0, 1);
        try (SharedRegion other = shm.directory().attach("rings", Duration.ZERO)) {
            assertThatThrownBy(() -> other.ring("r").offer(1, new byte[1], 0, 1))
                    .isInstanceOfSatisfying(RoleTakenException.class, e -> {
                        assertThat(e.role()).isEqualTo(RoleTakenException.Role.SPSC_PRODUCER);
                        assertThat(e.holderPid()).isEqualTo(ProcessHandle.current().pid());
                    })
                    .hasMessageContaining("single-producer and already has a producer");
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldEndTheStreamOnceTheDetachedProducersDataIsDrained(Kind kind) {
        Ring ring = ring(kind);
        try (SharedRegion producerSide = shm.directory().attach("rings", Duration.ZERO)) {
            producerSide.ring("r").offer(9, new byte[3], 0, 3);
        }
        assertThat(ring.isEndOfStream()).as("a record is left").isFalse();
        assertThat(ring.receive((t, b, o, l) -> assertThat(t).isEqualTo(9), 10, Duration.ofSeconds(5))).isEqualTo(1);
        assertThat(ring.receive((t, b, o, l) -> { }, 10, Duration.ofSeconds(30))).isEqualTo(Ring.END_OF_STREAM);
        assertThat(ring.isEndOfStream()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldWakeAThreadBlockedInReceiveWhenTheRegionCloses(Kind kind) throws Exception {
        Ring ring = ring(kind);
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread consumer = Thread.ofPlatform().start(() -> {
            try {
                ring.receive((t, b, o, l) -> { }, 1, Duration.ofSeconds(60));
            } catch (Throwable t) {
                thrown.set(t);
            } finally {
                done.countDown();
            }
        });
        awaitSleepers(ring, 1);
        region.close();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        consumer.join();
        assertThat(thrown.get()).isInstanceOf(RuntimeException.class);
    }

    @Test
    void shouldClaimTheFirstLapOfANewMpscRingWithoutZeroingIt() {
        Ring ring = ring(Kind.MPSC);
        assertThat(ring.header().cleanedAcquire()).as("a new file is zero: cleaned a lap ahead").isEqualTo(CAPACITY);
        int accepted = 0;
        while (ring.offer(1, bytes(56, accepted), 0, 56) == OfferStatus.ACCEPTED) {
            accepted++;
        }
        assertThat(accepted).as("the whole lap but the terminator").isEqualTo((CAPACITY - 64) / 64);
        assertThat(ring.header().cleanedAcquire()).as("nothing zeroed on the first lap").isEqualTo(CAPACITY);
        assertThat(ring.header().cleaner()).isZero();
        assertThat(drain(ring, 1000)).extracting(Msg::payload).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, accepted).mapToObj(i -> bytes(56, i)).toList());
    }

    /** A slot no process is attached to: a claimant there is dead. */
    private static final int DEAD_SLOT = RegionDescriptor.MAX_PARTICIPANTS - 1;

    private static void forge(Ring ring, long position, long header) {
        ring.header().putRecordRelease(position & (CAPACITY - 1), header);
    }

    /**
     * Stores {@code tail} as claims up to there leave it; MPSC: with the space ahead of it zeroed (the producers'
     * {@code cleaned} beyond it, see MpscProducer), so that a later claim does not zero the forged records again.
     */
    private static void forgeTail(Ring ring, long tail) {
        ring.header().putTailRelease(tail);
        long cleaned = ring.header().cleanedAcquire();
        if (!ring.header().spsc && cleaned - tail < MpscProducer.TERMINATOR) {
            assertThat(ring.header().casCleaned(cleaned, tail + MpscProducer.TERMINATOR)).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({"SPSC, short", "MPSC, short", "SPSC, alignmentOverflows", "MPSC, alignmentOverflows",
            "SPSC, pastTheEnd", "MPSC, pastTheEnd", "SPSC, typeZero",
            "MPSC, unknownType", "SPSC, claimedShort", "MPSC, claimedPastTail", "SPSC, claimedLongerThanAnyMessage",
            "MPSC, batchMemberWithoutClaimant"})
    void shouldRefuseACorruptHeaderNamingItAndReleaseNothingFromIt(Kind kind, String corruption) {
        Ring ring = ring(kind);
        assertThat(ring.offer(1, bytes(8, 1), 0, 8)).isEqualTo(OfferStatus.ACCEPTED); // 16 bytes at 0
        long header = switch (corruption) {
            case "short" -> RecordDescriptor.header(2, 4);
            case "alignmentOverflows" -> RecordDescriptor.header(2, Integer.MAX_VALUE - 3);
            case "pastTheEnd" -> RecordDescriptor.header(2, CAPACITY - 8);
            case "typeZero" -> RecordDescriptor.header(0, 16);
            case "unknownType" -> RecordDescriptor.header(RecordDescriptor.SKIPPED_TYPE + 1, 16);
            case "claimedShort" -> RecordDescriptor.claimedHeader(2, 3, DEAD_SLOT);
            case "claimedPastTail" -> RecordDescriptor.claimedHeader(2, 64, DEAD_SLOT);
            case "claimedLongerThanAnyMessage" -> RecordDescriptor.claimedHeader(2, CAPACITY / 4, DEAD_SLOT);
            case "batchMemberWithoutClaimant" -> RecordDescriptor.header(2, 16 | RecordDescriptor.BATCH_FLAG);
            default -> throw new IllegalArgumentException(corruption);
        };
        forge(ring, 16, header);
        forgeTail(ring, 48); // covers 32 bytes after the good record: not the 64 claimedPastTail claims
        List<Integer> seen = new ArrayList<>();
        for (int poll = 0; poll < 3; poll++) {
            assertThatThrownBy(() -> ring.poll((type, b, o, l) -> seen.add(type), 10))
                    .isInstanceOfSatisfying(CorruptRecordException.class, e -> {
                        assertThat(e.position()).isEqualTo(16);
                        assertThat(e.header()).isEqualTo(header);
                        assertThat(e.ringName()).isEqualTo("r");
                    })
                    .hasMessageContaining("ring 'r'").hasMessageContaining("position=16")
                    .hasMessageContaining("header=0x" + Long.toHexString(header));
            assertThat(ring.stats().head()).as("the good record released, nothing of the bad one").isEqualTo(16);
        }
        assertThat(seen).as("the record before it, once").containsExactly(1);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldRefuseWhatAZeroCopyWriterWroteBeyondItsClaimInsteadOfDeliveringIt(Kind kind) {
        Ring ring = ring(kind);
        long index = ring.tryClaim(1, 8);
        // the writer overruns its 8-byte claim by 24 bytes, which look like a record of 24 bytes at position 16
        MemorySegment.copy(MemorySegment.ofArray(new long[] {7, RecordDescriptor.header(3, 24), 1, 2}), 0,
                ring.buffer(), index, 32);
        assertThatThrownBy(() -> ring.commit(index)).isInstanceOf(ShmException.class)
                .hasMessageContaining("wrote past its claim").hasMessageContaining("index=16");
        List<Integer> seen = new ArrayList<>();
        assertThat(ring.poll((type, b, o, l) -> seen.add(type), 10)).isZero();
        assertThat(seen).as("neither the aborted record nor the overrun's fake one").isEmpty();
        // the aborted record and a filler over the overrun's bytes were skipped and zeroed
        assertThat(ring.stats().head()).isEqualTo(ring.stats().tail()).isGreaterThan(16 + 32);
        ring.offer(2, new byte[4], 0, 4);
        assertThat(ring.poll((type, b, o, l) -> seen.add(type), 10)).isEqualTo(1);
        assertThat(seen).containsExactly(2);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldRefuseToGoOnOnceARecordWrittenBeyondTailFromOutsideWasRead(Kind kind) {
        Ring ring = ring(kind);
        ring.offer(1, new byte[8], 0, 8);
        // damage from outside the API: a committed-looking header right at tail, where no producer claimed
        ring.buffer().set(java.lang.foreign.ValueLayout.JAVA_LONG, 16, RecordDescriptor.header(3, 16));
        List<Integer> seen = new ArrayList<>();
        ring.poll((type, b, o, l) -> seen.add(type), 10);
        assertThat(seen).containsExactly(1, 3); // the fast path does not read tail: the damage is read once
        assertThatThrownBy(() -> {
            for (int i = 0; i < 100_000; i++) {
                ring.poll((type, b, o, l) -> seen.add(type), 10);
            }
        }).isInstanceOfSatisfying(CorruptRecordException.class, e -> assertThat(e.position()).isEqualTo(32))
                .hasMessageContaining("is ahead of tail=16");
        assertThat(seen).containsExactly(1, 3);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldRefuseAPollFromInsideAHandlerOfTheSameRingAndDeliverEachRecordOnce(Kind kind) {
        Ring ring = ring(kind);
        for (int i = 1; i <= 3; i++) {
            ring.offer(i, new byte[4], 0, 4);
        }
        List<Integer> seen = new ArrayList<>();
        List<Throwable> refused = new ArrayList<>();
        int polled = ring.poll((type, b, o, l) -> {
            seen.add(type);
            try {
                ring.poll((t, b2, o2, l2) -> seen.add(-t), 10);
            } catch (IllegalStateException e) {
                refused.add(e);
            }
            try {
                ring.receive((t, b2, o2, l2) -> seen.add(-t), 10, Duration.ofMillis(1));
            } catch (IllegalStateException e) {
                refused.add(e);
            }
        }, 10);
        assertThat(polled).isEqualTo(3);
        assertThat(seen).containsExactly(1, 2, 3);
        assertThat(refused).hasSize(6).allSatisfy(e -> assertThat(e)
                .hasMessageContaining("ring 'r': poll or receive called from inside a RecordHandler"));
        assertThat(ring.stats().head()).isEqualTo(ring.stats().tail());
        ring.offer(4, new byte[4], 0, 4);
        assertThat(drain(ring, 10)).extracting(Msg::type).as("polls again once the handler returned")
                .containsExactly(4);
    }

    /**
     * Forges what a producer in {@link #DEAD_SLOT} leaves when it dies in the flush of a batch of 10 records of 24
     * bytes at position 0, after committing {@code members} of the 9 after the first ({@code -1}: before the flush
     * began).
     */
    private static void forgeBatchCutShortByDeath(Ring ring, int members) {
        for (int i = 0; i < 10; i++) {
            long header = i == 0 ? (members < 0 ? RecordDescriptor.claimedHeader(1, 24, DEAD_SLOT)
                    : RecordDescriptor.leadClaimedHeader(1, 24, DEAD_SLOT))
                    : i <= members ? RecordDescriptor.batchMemberHeader(1 + i, 24, DEAD_SLOT, false)
                    : RecordDescriptor.claimedHeader(1 + i, 24, DEAD_SLOT);
            forge(ring, i * 24L, header);
        }
        forgeTail(ring, 240);
    }

    /** Polls the types of records into {@code seen} until {@code done}; fails after 10 s (recovery looks every 100 ms). */
    private static void pollUntil(Ring ring, List<Integer> seen, java.util.function.BooleanSupplier done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("done within 10 s; seen %s", seen).isNegative();
            ring.poll((type, b, o, l) -> seen.add(type), 100);
        }
    }

    @ParameterizedTest(name = "{0}, members committed: {1}")
    @CsvSource({"SPSC, -1", "SPSC, 0", "SPSC, 1", "SPSC, 5", "SPSC, 9", "MPSC, -1", "MPSC, 0", "MPSC, 5", "MPSC, 9"})
    void shouldSkipEveryRecordOfABatchWhoseProducerDiedMidFlush(Kind kind, int members) {
        Ring ring = ring(kind);
        forgeBatchCutShortByDeath(ring, members);
        // then a batch of the same slot flushed whole (a successor there), and a record of this process
        forge(ring, 240, RecordDescriptor.batchMemberHeader(20, 16, DEAD_SLOT, true));
        forge(ring, 256, RecordDescriptor.batchMemberHeader(21, 16, DEAD_SLOT, false));
        forgeTail(ring, 272);
        assertThat(ring.offer(30, new byte[8], 0, 8)).isEqualTo(OfferStatus.ACCEPTED);
        List<Integer> seen = new ArrayList<>();
        pollUntil(ring, seen, () -> seen.size() >= 3);
        assertThat(seen).as("nothing of the batch cut short").containsExactly(20, 21, 30);
        assertThat(ring.stats().skippedRecords()).isEqualTo(10);
        assertThat(ring.stats().head()).isEqualTo(ring.stats().tail()).isEqualTo(288);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldDeliverAWholeBatchFlushedAfterAnOpenClaimOfTheSameProcessWhoseProducerDied(Kind kind) {
        Ring ring = ring(kind);
        forge(ring, 0, RecordDescriptor.claimedHeader(1, 16, DEAD_SLOT)); // a tryClaim never committed
        forge(ring, 16, RecordDescriptor.batchMemberHeader(2, 16, DEAD_SLOT, true));
        forge(ring, 32, RecordDescriptor.claimedHeader(3, 16, DEAD_SLOT)); // claimed while the batch was open
        forge(ring, 48, RecordDescriptor.batchMemberHeader(4, 16, DEAD_SLOT, false));
        forgeTail(ring, 64);
        List<Integer> seen = new ArrayList<>();
        pollUntil(ring, seen, () -> ring.stats().head() >= 64);
        assertThat(seen).containsExactly(2, 4);
        assertThat(ring.stats().skippedRecords()).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldFlushABatchAtCloseAndRefuseOffersAfterIt(Kind kind) {
        Ring ring = ring(kind);
        Ring.Batch kept;
        try (Ring.Batch batch = ring.batch(100)) {
            batch.offer(1, new byte[4], 0, 4);
            batch.offer(2, new byte[4], 0, 4);
            kept = batch;
        }
        assertThat(drain(ring, 10)).extracting(Msg::type).containsExactly(1, 2);
        assertThatThrownBy(() -> kept.offer(3, new byte[4], 0, 4)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        kept.close(); // idempotent
        assertThat(kept.pending()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldGiveEachRingOneProducerAndOneConsumerSide(Kind kind) {
        Ring ring = ring(kind);
        RingProducer producer = ring.producer();
        RingConsumer consumer = ring.consumer();
        assertThat(producer.ring()).isSameAs(ring).isSameAs(consumer.ring());
        assertThat(ring.producer()).isSameAs(producer);
        assertThat(ring.consumer()).isSameAs(consumer);
        assertThat(producer.maxMessageLength()).isEqualTo(ring.maxMessageLength());
    }

    /** Waits until {@code n} threads sleep on the ring (bounded): the precondition of a wake-up test. */
    static void awaitSleepers(Ring ring, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (ring.stats().sleepers() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no thread went to sleep on " + ring);
            }
            Thread.sleep(1);
        }
    }
}
