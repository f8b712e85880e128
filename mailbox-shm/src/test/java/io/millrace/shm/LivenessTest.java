package io.millrace.shm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Registration and liveness: incarnations of participant slots, end of stream against death, claims of producers
 * that closed or died, MPSC claim windows, waiter bits of dead sleepers. Cross-process where the defect crosses a
 * process (real child JVMs, {@link RingChild}).
 */
class LivenessTest {
    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();
    @RegisterExtension
    final RingChildren children = new RingChildren(shm);

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Long enough for any recovery that works; a stall shows as a timeout instead of a hang. */
    private static final Duration RECOVERY = Duration.ofSeconds(15);
    private SharedRegion region;

    private ChildJvm child(String mode, String... args) {
        return children.start(mode, args);
    }

    private Ring ring(String kind, int participants) {
        RegionSpec.Builder spec = RegionSpec.named("live").participants(participants);
        region = children.own(shm.directory().create((kind.equals("spsc") ? spec.spscRing("r", 1 << 16)
                : spec.mpscRing("r", 1 << 16)).build()));
        return region.ring("r");
    }

    /** Receives until the end of the stream or the timeout; returns the last result (END_OF_STREAM or 0). */
    private static int receiveToEnd(Ring ring, List<Long> sequences, Duration timeout) {
        while (true) {
            int received = ring.receive((type, buffer, offset, length) ->
                    sequences.add(buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + 4)), 256, timeout);
            if (received <= 0) {
                return received;
            }
        }
    }

    // ------------------------------------------------------------------ end of stream

    @ParameterizedTest
    @ValueSource(strings = {"spsc", "mpsc"})
    void shouldEndTheStreamWhenTheProducerProcessClosesAndSayDiedWhenItIsKilled(String kind) throws Exception {
        Ring ring = ring(kind, 4);
        ChildJvm closing = child("produce", "live", "r", "0", "500", "7", "100");
        List<Long> sequences = new ArrayList<>();
        assertThat(receiveToEnd(ring, sequences, WAIT)).isEqualTo(Ring.END_OF_STREAM);
        assertThat(closing.awaitExit(WAIT)).isZero();
        assertThat(sequences).hasSize(500);
        assertThat(ring.isEndOfStream()).isTrue();

        ChildJvm killed = child("produce-then-hang", "live", "r", "0", "10");
        killed.awaitLine("SENT ALL", WAIT);
        killed.kill();
        sequences.clear();
        assertThatThrownBy(() -> receiveToEnd(ring, sequences, WAIT))
                .isInstanceOfSatisfying(PeerGoneException.class, e -> assertThat(e.died()).isTrue())
                .hasMessageContaining(String.valueOf(killed.pid()));
        assertThat(sequences).as("everything it sent before it died").hasSize(10);
        assertThat(ring.isEndOfStream()).as("the death reported, no producer left").isTrue();
    }

    @Test
    void shouldWaitForAProducerThatJoinedBeforeSendingAndEndWhenItLeavesStillAttached() throws Exception {
        Ring ring = ring("mpsc", 4);
        ChildJvm joined = child("join-and-hang", "live", "r");
        joined.awaitLine("JOINED", WAIT);
        assertThat(ring.receive((t, b, o, l) -> { }, 1, Duration.ofMillis(300))).as("not the end: it joined")
                .isZero();
        assertThat(ring.isEndOfStream()).isFalse();
        joined.kill();
        assertThatThrownBy(() -> ring.receive((t, b, o, l) -> { }, 1, WAIT))
                .isInstanceOfSatisfying(PeerGoneException.class, e -> assertThat(e.died()).isTrue());

        ChildJvm leaving = child("join-send-leave", "live", "r", "20");
        List<Long> sequences = new ArrayList<>();
        assertThat(receiveToEnd(ring, sequences, WAIT)).isEqualTo(Ring.END_OF_STREAM);
        leaving.awaitLine("LEFT", WAIT);
        assertThat(sequences).hasSize(20);
        assertThat(ring.stats().producerPids()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"spsc", "mpsc"})
    void shouldEndTheStreamInProcessWhenTheProducerLeavesAndAgainAfterItRejoins(String kind) {
        Ring ring = ring(kind, 4);
        assertThat(ring.isEndOfStream()).as("nobody has joined yet").isFalse();
        try (SharedRegion producerSide = shm.directory().attach("live", Duration.ZERO)) {
            Ring producer = producerSide.ring("r");
            assertThat(producer.joinAsProducer()).isTrue();
            assertThat(ring.receive((t, b, o, l) -> { }, 1, Duration.ofMillis(50))).isZero();
            producer.offer(1, new byte[12], 0, 12);
            producer.leaveAsProducer();
            assertThat(ring.receive((t, b, o, l) -> { }, 10, Duration.ofSeconds(5))).isEqualTo(1);
            assertThat(ring.receive((t, b, o, l) -> { }, 10, WAIT)).isEqualTo(Ring.END_OF_STREAM);
            assertThat(producer.send(2, new byte[12], 0, 12, Duration.ofSeconds(1))).as("sending joins again")
                    .isEqualTo(OfferStatus.ACCEPTED);
            assertThat(ring.isEndOfStream()).isFalse();
            assertThat(ring.receive((t, b, o, l) -> assertThat(t).isEqualTo(2), 10, WAIT)).isEqualTo(1);
        }
        assertThat(ring.receive((t, b, o, l) -> { }, 10, WAIT)).isEqualTo(Ring.END_OF_STREAM);
    }

    // ------------------------------------------------------------------ item 1: claims of a reused slot

    @ParameterizedTest
    @ValueSource(strings = {"spsc", "mpsc"})
    void shouldSkipAKilledProducersClaimThoughALiveProcessHasTakenItsSlot(String kind) throws Exception {
        Ring ring = ring(kind, 2); // slot 0: this process; slot 1: the claimer, then its successor
        ChildJvm claimer = child("claim-and-hang", "live", "r");
        claimer.awaitLine("CLAIMED", WAIT);
        claimer.kill();
        ChildJvm successor = child("hang", "live");
        successor.awaitLine("READY", WAIT);
        assertThat(region.participantList()).extracting(ParticipantInfo::pid).contains(successor.pid());
        assertThatThrownBy(() -> receiveToEnd(ring, new ArrayList<>(), RECOVERY))
                .as("the claim is the dead incarnation's, not its live successor's")
                .isInstanceOfSatisfying(PeerGoneException.class, e -> assertThat(e.died()).isTrue());
        assertThat(ring.stats().skippedRecords()).isEqualTo(1);
    }

    @Test
    void shouldRecoverTheClaimsOfProducersKilledOneAfterAnotherInTheOnlyFreeSlot() throws Exception {
        Ring ring = ring("mpsc", 2); // one slot for all the children: each reuses a dead one's
        for (int round = 0; round < 3; round++) {
            ChildJvm claimer = child("claim-and-hang", "live", "r");
            claimer.awaitLine("CLAIMED", WAIT);
            claimer.kill();
            int skippedBefore = (int) ring.stats().skippedRecords();
            assertThatThrownBy(() -> receiveToEnd(ring, new ArrayList<>(), RECOVERY)).as("round %d", round)
                    .isInstanceOfSatisfying(PeerGoneException.class, e -> assertThat(e.died()).isTrue());
            assertThat(ring.stats().skippedRecords()).isEqualTo(skippedBefore + 1);
        }
        assertThat(region.participantList()).hasSize(2).filteredOn(ParticipantInfo::alive).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"spsc", "mpsc"})
    void shouldAbortOpenClaimsAndBatchesOfAProducerThatClosesSoThatItsSlotsNextOccupantInheritsNone(String kind)
            throws Exception {
        Ring ring = ring(kind, 2);
        ChildJvm closer = child("claim-and-close", "live", "r");
        assertThat(closer.awaitExit(WAIT)).isZero();
        assertThat(closer.hasPrinted("CLAIMED 8 BATCHED 3")).isTrue();
        ChildJvm successor = child("hang", "live");
        successor.awaitLine("READY", WAIT);
        List<Long> sequences = new ArrayList<>();
        assertThat(receiveToEnd(ring, sequences, RECOVERY)).as("it left on purpose: the end, not a stall")
                .isEqualTo(Ring.END_OF_STREAM);
        assertThat(sequences).as("aborted, never delivered").isEmpty();
        assertThat(ring.stats().skippedRecords()).as("aborted, not skipped as a dead one's").isZero();
        assertThat(ring.stats().head()).isEqualTo(ring.stats().tail());
    }

    // ------------------------------------------------------------------ item 7: MPSC claim windows

    @Test
    void shouldSkipTheClaimOfAnMpscProducerKilledBetweenItsTailCasAndItsHeaderStore() throws Exception {
        Ring ring = ring("mpsc", 4);
        ChildJvm dying = child("die-in-window", "live", "r", "5");
        dying.awaitLine("DYING", WAIT);
        dying.kill();
        List<Long> sequences = new ArrayList<>();
        assertThatThrownBy(() -> receiveToEnd(ring, sequences, RECOVERY))
                .isInstanceOfSatisfying(PeerGoneException.class, e -> assertThat(e.died()).isTrue());
        assertThat(sequences).hasSize(5);
        assertThat(ring.stats().skippedRecords()).isEqualTo(1);
        assertThat(ring.stats().head()).isEqualTo(ring.stats().tail());
        assertThat(ring.stats().producerPids()).as("the dead producer's registration is cleared").isEmpty();
    }

    @Test
    void shouldNeverSkipALiveProducerStoppedInItsClaimWindowThoughAnotherProducerDied() throws Exception {
        Ring ring = ring("mpsc", 4);
        ChildJvm dead = child("produce-then-hang", "live", "r", "1", "10");
        dead.awaitLine("SENT ALL", WAIT);
        dead.kill();
        Checker checker = new Checker();
        while (checker.count < 10) {
            ring.receive(checker, 64, WAIT);
        }
        // this process, as a producer stopped (SIGSTOP, a VM pause) between its tail CAS and its header store
        assertThat(ring.joinAsProducer()).isTrue();
        long window = ring.header().producers.announceOffset(region.slot());
        long tail = ring.header().tailAcquire();
        int recordLength = 8 + 64;
        ring.header().announceClaim(window, ring.header().producers.announceEndOffset(region.slot()), tail,
                tail + recordLength);
        assertThat(ring.header().casTail(tail, tail + recordLength)).isTrue();
        assertThat(ring.receive(checker, 64, Duration.ofMillis(1500))).as("waits: well past the old 1 s timeout")
                .isZero();
        assertThat(ring.stats().skippedRecords()).isZero();
        // it resumes: header, payload, commit, window withdrawn
        int index = (int) (tail & (ring.capacity() - 1));
        ring.header().putRecordRelease(index, RecordDescriptor.claimedHeader(5, recordLength,
                region.slot()));
        ring.header().releaseWindow(window);
        ring.buffer().asSlice(index + 8, 64).fill((byte) 0x33);
        ring.commit(index + 8);
        List<Integer> types = new ArrayList<>();
        assertThat(ring.receive((type, buffer, offset, length) -> {
            types.add(type);
            assertThat(buffer.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE)).containsOnly((byte) 0x33);
        }, 64, WAIT)).isEqualTo(1);
        assertThat(types).containsExactly(5);
        assertThat(ring.isEndOfStream()).as("this process is a producer still").isFalse();
        assertThat(ring.stats().producerPids()).as("the dead one's registration cleared on the way")
                .containsExactly(ProcessHandle.current().pid());
    }

    // ------------------------------------------------------------------ item 8: waiters of a dead sleeper

    @Test
    void shouldClearTheWaiterBitOfAConsumerKilledInItsFutexWaitWhenAnotherTakesItsRole() throws Exception {
        Ring ring = ring("spsc", 4);
        ChildJvm consumer = consumerAsleep(ring);
        consumer.kill();
        assertThat(ring.header().dataSignal.waiters()).as("raised by the dead sleeper").isEqualTo(1);
        ring.poll((t, b, o, l) -> { }, 1); // this process takes over as the consumer
        assertThat(ring.header().dataSignal.waiters()).isZero();
    }

    @Test
    void shouldClearTheWaiterBitOfADeadConsumerWhenABlockedProducerFindsItDead() throws Exception {
        Ring ring = ring("mpsc", 4);
        ChildJvm consumer = consumerAsleep(ring);
        consumer.kill();
        byte[] payload = new byte[1000];
        while (ring.offer(1, payload, 0, payload.length) == OfferStatus.ACCEPTED) {
            // fill, the dead consumer never frees it
        }
        assertThatThrownBy(() -> ring.send(1, payload, 0, payload.length, WAIT))
                .isInstanceOfSatisfying(PeerGoneException.class, e -> assertThat(e.died()).isTrue());
        assertThat(ring.header().dataSignal.waiters()).isZero();
    }

    /** A child consumer of {@code ring}, asleep in its futex wait. */
    private ChildJvm consumerAsleep(Ring ring) throws InterruptedException {
        ChildJvm consumer = child("receive-one", "live", "r");
        consumer.awaitLine("WAITING", WAIT);
        RingTest.awaitSleepers(ring, 1);
        assertThat(ring.header().dataSignal.waiters()).as("asleep in the futex wait").isEqualTo(1);
        return consumer;
    }

    /** Counts records of {@link RingChild#writeMessage}, checking each one's bytes. */
    private static final class Checker implements RecordHandler {
        int count;

        @Override
        public void onRecord(int type, MemorySegment buffer, long offset, int length) {
            int id = buffer.get(ValueLayout.JAVA_INT_UNALIGNED, offset);
            long seq = buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + 4);
            for (int j = 12; j < length; j++) {
                if (buffer.get(ValueLayout.JAVA_BYTE, offset + j) != RingChild.pattern(id, seq, j)) {
                    throw new AssertionError("message " + seq + " byte " + j + " is corrupt");
                }
            }
            count++;
        }
    }
}
