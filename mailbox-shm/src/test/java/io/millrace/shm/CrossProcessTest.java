package io.millrace.shm;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Rings, atomics and liveness across real child JVMs over real files in /dev/shm. */
class CrossProcessTest {
    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();
    @RegisterExtension
    final RingChildren children = new RingChildren(shm);

    private static final Duration WAIT = Duration.ofSeconds(60);
    private SharedRegion region;

    @AfterEach
    void closeAndRemove() {
        if (region != null) {
            region.close();
            region.unlink();
        }
    }

    private ChildJvm child(String mode, String... args) {
        return children.start(mode, args);
    }

    /** Checks messages of {@code RingChild.produce}: per producer in order, exactly once, intact. */
    static final class Checker implements RecordHandler {
        final long[] next;
        long total;

        Checker(int producers) {
            next = new long[producers];
        }

        @Override
        public void onRecord(int type, MemorySegment buffer, long offset, int length) {
            int id = buffer.get(ValueLayout.JAVA_INT_UNALIGNED, offset);
            long seq = buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + 4);
            if (type != 1 || id < 0 || id >= next.length || seq != next[id]) {
                throw new AssertionError("type=" + type + " producer=" + id + " seq=" + seq + ", expected seq="
                        + (id >= 0 && id < next.length ? next[id] : -1));
            }
            for (int j = 12; j < length; j++) {
                if (buffer.get(ValueLayout.JAVA_BYTE, offset + j) != RingChild.pattern(id, seq, j)) {
                    throw new AssertionError("producer " + id + " message " + seq + " byte " + j + " is corrupt");
                }
            }
            next[id]++;
            total++;
        }
    }

    /** Receives until {@code done}; fails when nothing arrives for {@link #WAIT}. */
    private static void drainUntil(Ring ring, Checker checker, java.util.function.BooleanSupplier done) {
        while (!done.getAsBoolean()) {
            if (ring.receive(checker, 256, WAIT) == 0) {
                throw new AssertionError("nothing received for " + WAIT);
            }
        }
    }

    /**
     * Receives until the producers are gone; returns the exception that said so, or null at the end of the stream
     * (they all left on purpose).
     */
    private static PeerGoneException drainUntilGone(Ring ring, Checker checker) {
        while (true) {
            try {
                int received = ring.receive(checker, 256, WAIT);
                if (received == Ring.END_OF_STREAM) {
                    return null;
                }
                if (received == 0) {
                    throw new AssertionError("nothing received for " + WAIT + " and the producers not declared gone");
                }
            } catch (PeerGoneException gone) {
                return gone;
            }
        }
    }

    @Test
    void shouldDeliverEveryMessageInOrderAcrossManyWrapsOverSpscFromAChildProcess() throws Exception {
        region = shm.directory().create(RegionSpec.named("spsc").spscRing("r", 1 << 16).build());
        Ring ring = region.ring("r").waitStrategy(WaitStrategy.yielding());
        int count = 200_000;
        ChildJvm producer = child("produce", "spsc", "r", "0", String.valueOf(count), "11", "1000");
        Checker checker = new Checker(1);
        PeerGoneException gone = drainUntilGone(ring, checker);
        assertThat(checker.total).isEqualTo(count);
        assertThat(gone).as("the producer detached cleanly: the end of the stream").isNull();
        assertThat(producer.awaitExit(WAIT)).isZero();
        assertThat(ring.stats().tail()).as("many wraps").isGreaterThan(50L * (1 << 16));
    }

    @Test
    void shouldDeliverEveryMessageExactlyOnceInOrderPerProducerFromThreeProducerProcesses() throws Exception {
        region = shm.directory().create(RegionSpec.named("mpsc").mpscRing("r", 1 << 16).build());
        Ring ring = region.ring("r").waitStrategy(WaitStrategy.yielding());
        int count = 60_000;
        List<ChildJvm> producers = new ArrayList<>();
        for (int id = 0; id < 3; id++) {
            producers.add(child("produce", "mpsc", "r", String.valueOf(id), String.valueOf(count), "" + (7 + id), "700"));
        }
        Checker checker = new Checker(3);
        PeerGoneException gone;
        while (true) {
            // A producer registers with its first send: until all three have, "all producers gone" may only mean
            // that the early ones finished before a late one started, so keep draining.
            gone = drainUntilGone(ring, checker);
            if (producers.stream().allMatch(p -> p.hasPrinted("PRODUCING"))) {
                break;
            }
        }
        assertThat(checker.next).containsExactly(count, count, count);
        assertThat(gone).as("the end of the stream").isNull();
        for (ChildJvm producer : producers) {
            assertThat(producer.awaitExit(WAIT)).isZero();
        }
        assertThat(ring.stats().skippedRecords()).isZero();
    }

    @Test
    void shouldKeepOtherProducersMessagesIntactWhenOneIsKilledMidStream() throws Exception {
        region = shm.directory().create(RegionSpec.named("kill").mpscRing("r", 1 << 14).build());
        Ring ring = region.ring("r").waitStrategy(WaitStrategy.yielding());
        ChildJvm victim = child("produce-forever", "kill", "r", "0", "5", "500");
        ChildJvm survivor = child("produce", "kill", "r", "1", "40000", "6", "500");
        Checker checker = new Checker(2);
        // Both must be producing before the kill: a producer registers with its first send, and a consumer whose
        // only registered producer died is told so, however many other processes have merely attached.
        while (checker.next[0] < 1000 || checker.next[1] < 1000) {
            ring.receive(checker, 64, WAIT);
        }
        victim.kill(); // SIGKILL, possibly between a claim and its commit
        PeerGoneException gone = drainUntilGone(ring, checker);
        assertThat(survivor.awaitExit(WAIT)).isZero();
        assertThat(checker.next[1]).as("every message of the survivor").isEqualTo(40_000);
        assertThat(checker.next[0]).as("a prefix of the victim's, in order and intact").isGreaterThanOrEqualTo(1000);
        assertThat(ring.stats().skippedRecords()).as("at most its one open claim").isLessThanOrEqualTo(1);
        assertThat(gone.died()).isTrue();
        assertThat(gone).hasMessageContaining(String.valueOf(victim.pid()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"spsc", "mpsc"})
    void shouldSkipTheRecordADeadProducerClaimedAndDeliverEveryOtherProducersIntact(String kind) throws Exception {
        RegionSpec.Builder spec = RegionSpec.named("claim");
        boolean mpsc = kind.equals("mpsc");
        region = shm.directory().create((mpsc ? spec.mpscRing("r", 1 << 18) : spec.spscRing("r", 1 << 16)).build());
        Ring ring = region.ring("r");
        ChildJvm claimer = child("claim-and-hang", "claim", "r");
        claimer.awaitLine("CLAIMED", WAIT);
        Checker checker = new Checker(3);
        if (mpsc) {
            ChildJvm producer = child("produce", "claim", "r", "1", "1000", "3", "200");
            assertThat(producer.awaitExit(WAIT)).isZero(); // its 1000 records wait behind the open claim
            assertThat(ring.receive(checker, 64, Duration.ofMillis(200))).as("blocked behind a live claim").isZero();
        }
        claimer.kill();
        PeerGoneException gone = drainUntilGone(ring, checker);
        assertThat(gone.died()).isTrue();
        assertThat(checker.next[1]).isEqualTo(mpsc ? 1000 : 0);
        assertThat(ring.stats().skippedRecords()).isEqualTo(1);
        // a successor (in SPSC, in the dead producer's place) goes on from the tail the claim left
        ChildJvm successor = child("produce", "claim", "r", "2", "3000", "5", "40");
        successor.awaitLine("PRODUCING", WAIT); // else a slow start lets the consumer find its producers gone again
        drainUntil(ring, checker, () -> checker.next[2] == 3000);
        assertThat(successor.awaitExit(WAIT)).isZero();
        assertThat(checker.next[0]).as("the claimed record, type 77, never delivered").isZero();
        assertThat(ring.stats().skippedRecords()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"spsc, unflushed", "mpsc, unflushed", "spsc, mid-flush", "mpsc, mid-flush"})
    void shouldSkipEveryRecordOfABatchItsProducerWasKilledBeforeOrInItsFlush(String kind, String stage)
            throws Exception {
        RegionSpec.Builder spec = RegionSpec.named("batch");
        region = shm.directory().create((kind.equals("spsc") ? spec.spscRing("r", 1 << 16)
                : spec.mpscRing("r", 1 << 16)).build());
        Ring ring = region.ring("r");
        ChildJvm batcher = stage.equals("unflushed") ? child("batch-and-hang", "batch", "r", "100")
                : child("die-mid-flush", "batch", "r", "100", "50"); // half the records after the first committed
        batcher.awaitLine(stage.equals("unflushed") ? "BATCHED 100" : "FLUSHING 100", WAIT);
        List<Long> sequences = new ArrayList<>();
        RecordHandler collect = (type, buffer, offset, length) -> {
            for (int j = 12; j < length; j++) {
                long seq = buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + 4);
                if (buffer.get(ValueLayout.JAVA_BYTE, offset + j) != RingChild.pattern(0, seq, j)) {
                    throw new AssertionError("message " + seq + " byte " + j + " is corrupt");
                }
            }
            sequences.add(buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + 4));
        };
        assertThat(ring.receive(collect, 256, Duration.ofMillis(200))).as("a batch not flushed whole is invisible")
                .isZero();
        batcher.kill();
        PeerGoneException gone = assertThrows(PeerGoneException.class, () -> {
            while (true) {
                ring.receive(collect, 256, WAIT);
            }
        });
        assertThat(gone.died()).isTrue();
        assertThat(sequences).as("nothing of the batch, least of all its half-copied last record").isEmpty();
        assertThat(ring.stats().skippedRecords()).isEqualTo(100);
    }

    @ParameterizedTest(name = "{0}, successor first: {1}")
    @CsvSource({"copying, false", "wrapped, false", "padded, false", "copying, true", "wrapped, true", "padded, true"})
    void shouldSkipTheOfferAnSpscProducerWasKilledInAndDeliverTheNextProducersIntact(String stage,
            boolean successorFirst) throws Exception {
        region = shm.directory().create(RegionSpec.named("offer").spscRing("r", 1 << 16).build());
        Ring ring = region.ring("r").waitStrategy(WaitStrategy.yielding());
        ChildJvm dying = child("die-mid-offer", "offer", "r", stage, "0");
        int sent = stage.equals("copying") ? 10 : 8;
        Checker checker = new Checker(2);
        drainUntil(ring, checker, () -> checker.next[0] == sent);
        dying.awaitLine("DYING", WAIT);
        dying.kill();
        if (!successorFirst) {
            PeerGoneException gone = drainUntilGone(ring, checker);
            assertThat(gone.died()).isTrue();
            assertThat(ring.stats().skippedRecords()).isEqualTo(1);
        }
        // 12-40 byte records: their headers fall on the payload bytes the dead producer left
        ChildJvm successor = child("produce", "offer", "r", "1", "3000", "5", "40");
        // registered in the dead one's place before the consumer looks again (successor first: at all); else a slow
        // start would let the consumer find its producers gone again
        successor.awaitLine("PRODUCING", WAIT);
        drainUntil(ring, checker, () -> checker.next[1] == 3000);
        assertThat(successor.awaitExit(WAIT)).isZero();
        assertThat(checker.next[0]).isEqualTo(sent);
        assertThat(ring.stats().skippedRecords()).as("the one offer in flight").isEqualTo(1);
    }

    @Test
    void shouldSkipTheOffersOfTwoSpscProducersKilledInARowBeforeTheConsumerCameBy() throws Exception {
        region = shm.directory().create(RegionSpec.named("twice").spscRing("r", 1 << 16).build());
        Ring ring = region.ring("r").waitStrategy(WaitStrategy.yielding());
        for (int id = 0; id < 2; id++) {
            ChildJvm dying = child("die-mid-offer", "twice", "r", "copying", String.valueOf(id));
            dying.awaitLine("DYING", WAIT);
            dying.kill(); // the next one takes over in its place, with its last offer unfinished
        }
        ChildJvm successor = child("produce", "twice", "r", "2", "3000", "5", "40");
        successor.awaitLine("PRODUCING", WAIT); // before the consumer comes by, and finds its producers all dead
        Checker checker = new Checker(3);
        drainUntil(ring, checker, () -> checker.next[2] == 3000);
        assertThat(successor.awaitExit(WAIT)).isZero();
        assertThat(checker.next).containsExactly(10, 10, 3000);
        assertThat(ring.stats().skippedRecords()).isEqualTo(2);
    }

    @Test
    void shouldWakeAFutexBlockedConsumerWhenAnotherProcessPublishes() throws Exception {
        region = shm.directory().create(RegionSpec.named("wake").spscRing("r", 4096).build());
        Ring ring = region.ring("r").waitStrategy(WaitStrategy.blocking());
        AtomicReference<String> got = new AtomicReference<>();
        CountDownLatch received = new CountDownLatch(1);
        Thread consumer = Thread.ofPlatform().start(() -> {
            ring.receive((type, buffer, offset, length) -> got.set(
                    new String(buffer.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE))), 1, WAIT);
            received.countDown();
        });
        RingTest.awaitSleepers(ring, 1); // asleep in the kernel before anyone publishes
        ChildJvm publisher = child("publish-one", "wake", "r");
        assertThat(received.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(got.get()).isEqualTo("wake");
        assertThat(publisher.awaitExit(WAIT)).isZero();
        consumer.join();
    }

    @Test
    void shouldWakeAConsumerBlockedWithThePortableFallbackWhenFutexesAreUnavailable() throws Exception {
        region = shm.directory().create(RegionSpec.named("park").spscRing("r", 4096).build());
        Ring ring = region.ring("r");
        ChildJvm consumer = ChildJvm.start(List.of("-Dmillrace.futex.disable=true"), RingChild.class,
                "receive-one", shm.path().toString(), "park", "r");
        children.add(consumer);
        assertThat(consumer.awaitLine("WAITING", WAIT)).isEqualTo("WAITING blocking(park)");
        RingTest.awaitSleepers(ring, 1);
        byte[] hello = "hello".getBytes();
        assertThat(ring.send(4, hello, 0, hello.length, WAIT)).isEqualTo(OfferStatus.ACCEPTED);
        assertThat(consumer.awaitLine("RECEIVED", WAIT)).isEqualTo("RECEIVED hello");
        assertThat(consumer.awaitExit(WAIT)).isZero();
    }

    @Test
    void shouldFinishTheReleaseOfAConsumerKilledInTheMiddleOfIt() throws Exception {
        region = shm.directory().create(RegionSpec.named("release").spscRing("r", 4096).build());
        Ring ring = region.ring("r");
        byte[] payload = new byte[56]; // records of 64 bytes
        for (int i = 0; i < 3; i++) {
            payload[0] = (byte) i;
            assertThat(ring.offer(1, payload, 0, payload.length)).isEqualTo(OfferStatus.ACCEPTED);
        }
        ChildJvm consumer = child("die-mid-release", "release", "r");
        consumer.awaitLine("DYING", WAIT);
        consumer.kill();
        List<Byte> firstBytes = new ArrayList<>();
        assertThat(ring.receive((t, b, o, l) -> firstBytes.add(b.get(ValueLayout.JAVA_BYTE, o)), 10, WAIT))
                .as("the successor finishes the dead consumer's release and goes on after it").isEqualTo(1);
        assertThat(firstBytes).containsExactly((byte) 2);
        assertThat(ring.stats().head()).isEqualTo(ring.stats().tail()).isEqualTo(192);
    }

    @Test
    void shouldTakeOverTheZeroingAheadOfTheClaimsFromAProducerKilledWhileCleaning() throws Exception {
        region = shm.directory().create(RegionSpec.named("clean").mpscRing("r", 4096).build());
        Ring ring = region.ring("r");
        byte[] payload = new byte[56]; // records of 64 bytes
        int filled = 0;
        while (ring.offer(1, payload, 0, payload.length) == OfferStatus.ACCEPTED) {
            filled++;
        }
        assertThat(ring.poll((t, b, o, l) -> { }, 1000)).as("drained: the next claim needs a cleaning")
                .isEqualTo(filled);
        ChildJvm cleaner = child("hold-cleaner-and-hang", "clean", "r");
        cleaner.awaitLine("CLEANING", WAIT);
        assertThat(ring.offer(1, payload, 0, payload.length)).as("a live producer is zeroing that space")
                .isEqualTo(OfferStatus.BACK_PRESSURED);
        cleaner.kill();
        for (int seq = 0; seq < 3 * filled; seq++) { // three laps over what the dead one did not zero
            RingChild.writeMessage(payload, 0, seq, payload.length);
            assertThat(ring.send(1, payload, 0, payload.length, WAIT)).as("message %d", seq)
                    .isEqualTo(OfferStatus.ACCEPTED);
            long expected = seq;
            assertThat(ring.poll((t, b, o, l) -> assertThat(b.get(ValueLayout.JAVA_LONG_UNALIGNED, o + 4))
                    .isEqualTo(expected), 10)).isEqualTo(1);
        }
        assertThat(ring.header().cleaner()).isZero();
        assertThat(ring.stats().skippedRecords()).isZero();
    }

    @Test
    void shouldRefuseASecondConsumerAndASecondSpscProducerNamingTheHolderInTheOtherProcess() throws Exception {
        region = shm.directory().create(RegionSpec.named("roles").spscRing("r", 4096).spscRing("s", 4096).build());
        ChildJvm consumer = child("consume-and-hang", "roles", "r");
        consumer.awaitLine("CONSUMING", WAIT);
        assertThatThrownBy(() -> region.ring("r").poll((t, b, o, l) -> { }, 1))
                .isInstanceOfSatisfying(RoleTakenException.class, e -> {
                    assertThat(e.role()).isEqualTo(RoleTakenException.Role.CONSUMER);
                    assertThat(e.holderPid()).isEqualTo(consumer.pid());
                }).hasMessageContaining("already has a consumer: pid " + consumer.pid());
        ChildJvm producer = child("produce-then-hang", "roles", "s", "0", "1");
        producer.awaitLine("SENT ALL", WAIT);
        assertThatThrownBy(() -> region.ring("s").offer(1, new byte[8], 0, 8))
                .isInstanceOfSatisfying(RoleTakenException.class, e -> {
                    assertThat(e.role()).isEqualTo(RoleTakenException.Role.SPSC_PRODUCER);
                    assertThat(e.holderPid()).isEqualTo(producer.pid());
                    assertThat(e).isInstanceOf(ShmException.class);
                });
    }

    @Test
    void shouldThrowToAProducerBlockedOnAFullRingWhenItsConsumerDies() throws Exception {
        region = shm.directory().create(RegionSpec.named("full").mpscRing("r", 4096).build());
        Ring ring = region.ring("r");
        ChildJvm consumer = child("consume-and-hang", "full", "r");
        consumer.awaitLine("CONSUMING", WAIT);
        byte[] payload = new byte[100];
        while (ring.offer(1, payload, 0, payload.length) == OfferStatus.ACCEPTED) {
            // fill
        }
        consumer.kill();
        assertThatThrownBy(() -> ring.send(1, payload, 0, payload.length, WAIT))
                .isInstanceOfSatisfying(PeerGoneException.class, e -> assertThat(e.died()).isTrue())
                .hasMessageContaining("pid " + consumer.pid() + ") died");
    }

    @Test
    void shouldThrowToAWaitingConsumerWhenAllProducersDied() throws Exception {
        region = shm.directory().create(RegionSpec.named("dead").spscRing("r", 4096).build());
        Ring ring = region.ring("r");
        ChildJvm producer = child("produce-then-hang", "dead", "r", "0", "10");
        producer.awaitLine("SENT ALL", WAIT);
        Checker checker = new Checker(1);
        while (checker.total < 10) {
            ring.receive(checker, 64, WAIT);
        }
        producer.kill();
        assertThatThrownBy(() -> ring.receive(checker, 64, WAIT))
                .isInstanceOfSatisfying(PeerGoneException.class, e -> assertThat(e.died()).isTrue())
                .hasMessageContaining(String.valueOf(producer.pid()));
    }

    @Test
    void shouldEndAtTheExactTotalWhenSeveralProcessesIncrementOneAtomic() throws Exception {
        region = shm.directory().create(RegionSpec.named("atomics").atomicLong("counter").atomicInt("go").build());
        int perChild = 200_000;
        List<ChildJvm> incrementers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ChildJvm child = child("increment", "atomics", String.valueOf(perChild));
            child.awaitLine("READY", WAIT);
            incrementers.add(child);
        }
        region.atomicInt("go").setRelease(1); // start gate across processes
        for (int i = 0; i < perChild; i++) {
            region.atomicLong("counter").incrementAndGet();
        }
        for (ChildJvm child : incrementers) {
            assertThat(child.awaitExit(WAIT)).isZero();
        }
        assertThat(region.atomicLong("counter").get()).isEqualTo(4L * perChild);
    }

    @Test
    void shouldCleanARegionWhoseOnlyParticipantWasKilled() throws Exception {
        try (SharedRegion created = shm.directory().create(RegionSpec.named("orphan").atomicLong("a").build())) {
            ChildJvm holder = child("hang", "orphan");
            holder.awaitLine("READY", WAIT);
            created.close(); // only the child is attached now
            assertThat(shm.directory().clean()).as("the child is alive").noneMatch(CleanDecision::remove);
            holder.kill();
            RegionSnapshot snapshot = shm.directory().inspect("orphan");
            assertThat(snapshot.participants()).singleElement().satisfies(p -> {
                assertThat(p.pid()).isEqualTo(holder.pid());
                assertThat(p.alive()).isFalse();
            });
            assertThat(shm.directory().clean()).containsExactly(
                    new CleanDecision("orphan", true, "no live process; pid " + holder.pid() + " dead"));
        }
        assertThat(shm.directory().list()).isEmpty();
    }
}
