package io.millrace.shm;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;

import static org.assertj.core.api.Assertions.assertThat;

class ParticipantsTest {
    private final Arena arena = Arena.ofShared();

    @AfterEach
    void free() {
        arena.close();
    }

    /** A participant table of {@code slots} slots in memory of this test. */
    private MemorySegment table(int slots) {
        return arena.allocate(RegionDescriptor.participantOffset(slots), 8);
    }

    /** This pid with another start time: a process that registered and is gone, its pid now ours. */
    private static final ProcessIdentity GONE = new ProcessIdentity(ProcessIdentity.current().pid(),
            ProcessIdentity.current().startTime() + 1);

    @Test
    void shouldTakeAFreshHeartbeatForLifeInWaitingChecksAndAskTheOsOnceItIsStale() {
        MemorySegment table = table(2);
        Participants participants = new Participants(table, 2);
        ProcessIdentity me = ProcessIdentity.current();
        long gone = participants.register(GONE, "test");
        long alive = participants.register(me, "test");

        assertThat(participants.isAlive(gone)).as("the OS: no such process").isFalse();
        assertThat(participants.seemsAlive(gone)).as("its heartbeat, written when it registered, is fresh")
                .isTrue();

        stale(table, Participants.slotOf(gone));
        stale(table, Participants.slotOf(alive));
        assertThat(participants.seemsAlive(gone)).as("a stale heartbeat: the OS is asked").isFalse();
        assertThat(participants.seemsAlive(alive)).as("a late heartbeat of a live process").isTrue();

        participants.heartbeat(Participants.slotOf(gone));
        participants.release(gone);
        assertThat(participants.seemsAlive(gone)).as("a released slot, whatever its heartbeat").isFalse();
    }

    @Test
    void shouldSeeAnEarlierIncarnationGoneOnceItsSlotIsReusedByALiveProcess() {
        Participants participants = new Participants(table(1), 1);
        long dead = participants.register(GONE, "test");
        long successor = participants.register(ProcessIdentity.current(), "test"); // the only slot: reused

        assertThat(Participants.slotOf(successor)).isEqualTo(Participants.slotOf(dead));
        assertThat(Participants.incarnationOf(successor)).isEqualTo(Participants.incarnationOf(dead) + 1);
        assertThat(participants.isAlive(successor)).isTrue();
        assertThat(participants.isAlive(dead)).as("the slot lives, the incarnation does not").isFalse();
        assertThat(participants.seemsAlive(dead)).as("whatever the slot's heartbeat").isFalse();
    }

    @Test
    void shouldCountASlotBeingTakenAsAliveSoThatNoRacerTakesItAgain() {
        MemorySegment table = table(1);
        Participants participants = new Participants(table, 1);
        long dead = participants.register(GONE, "test");
        // a racer that has just won the dead slot: its owner word stored, its start time not yet stamped
        long offset = RegionDescriptor.participantOffset(0);
        long next = Participants.incarnationOf(dead) + 1;
        table.set(ValueLayout.JAVA_LONG, offset + RegionDescriptor.PARTICIPANT_OWNER_OFFSET, next << 32 | 4242);

        assertThat(participants.isAlive(Participants.ref(0, next))).as("being taken: alive").isTrue();
        assertThat(participants.snapshot()).singleElement().satisfies(p -> assertThat(p.alive()).isTrue());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> participants.register(GONE, "test"))
                .as("the old start time beside the new pid must not look dead")
                .isInstanceOf(ShmException.class).hasMessageContaining("no free participant slot");
    }

    @Test
    void shouldGiveADeadSlotToExactlyOneOfManyRacingRegistrations() throws Exception {
        int rounds = 300;
        int racers = 4;
        for (int round = 0; round < rounds; round++) {
            MemorySegment table = table(1);
            Participants participants = new Participants(table, 1);
            participants.register(GONE, "test");
            CyclicBarrier start = new CyclicBarrier(racers);
            List<Long> won = Collections.synchronizedList(new ArrayList<>());
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        won.add(participants.register(ProcessIdentity.current(), "test"));
                    } catch (ShmException lost) {
                        // the only slot is taken by a live racer
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            assertThat(won).as("round %d", round).hasSize(1);
        }
    }

    private static void stale(MemorySegment table, int slot) {
        table.set(ValueLayout.JAVA_LONG, RegionDescriptor.participantOffset(slot)
                + RegionDescriptor.PARTICIPANT_HEARTBEAT_OFFSET,
                System.currentTimeMillis() - Participants.FRESH_HEARTBEAT_MILLIS - 1);
    }
}
