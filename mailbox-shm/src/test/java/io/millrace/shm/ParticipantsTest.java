package io.millrace.shm;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.assertj.core.api.Assertions.assertThat;

class ParticipantsTest {

    @Test
    void shouldTakeAFreshHeartbeatForLifeInWaitingChecksAndAskTheOsOnceItIsStale() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment table = arena.allocate(RegionDescriptor.participantOffset(2), 8);
            Participants participants = new Participants(table, 2);
            ProcessIdentity me = ProcessIdentity.current();
            // this pid with another start time: the process that registered is gone, its pid reused (by us)
            int gone = participants.register(new ProcessIdentity(me.pid(), me.startTime() + 1), "test");
            int alive = participants.register(me, "test");

            assertThat(participants.isAlive(gone)).as("the OS: no such process").isFalse();
            assertThat(participants.seemsAlive(gone)).as("its heartbeat, written when it registered, is fresh")
                    .isTrue();

            stale(table, gone);
            stale(table, alive);
            assertThat(participants.seemsAlive(gone)).as("a stale heartbeat: the OS is asked").isFalse();
            assertThat(participants.seemsAlive(alive)).as("a late heartbeat of a live process").isTrue();

            participants.heartbeat(gone);
            participants.release(gone);
            assertThat(participants.seemsAlive(gone)).as("a released slot, whatever its heartbeat").isFalse();
        }
    }

    private static void stale(MemorySegment table, int slot) {
        table.set(ValueLayout.JAVA_LONG, RegionDescriptor.participantOffset(slot)
                + RegionDescriptor.PARTICIPANT_HEARTBEAT_OFFSET,
                System.currentTimeMillis() - Participants.FRESH_HEARTBEAT_MILLIS - 1);
    }
}
