package io.millrace.shm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

import static io.millrace.shm.RegionDescriptor.PARTICIPANT_ATTACHED_OFFSET;
import static io.millrace.shm.RegionDescriptor.PARTICIPANT_HEARTBEAT_OFFSET;
import static io.millrace.shm.RegionDescriptor.PARTICIPANT_PID_OFFSET;
import static io.millrace.shm.RegionDescriptor.PARTICIPANT_START_TIME_OFFSET;
import static io.millrace.shm.RegionDescriptor.participantOffset;

/**
 * The participant table of a region: one 128-byte slot per attached process with its pid, start time,
 * heartbeat and attach time. A slot is taken by compare-and-set of its pid from 0; the start time follows with
 * a release store (a slot with a pid and no start time yet is being taken, and counts as alive). A process is
 * alive while a process with that pid and start time exists ({@link #isAlive}). The heartbeat is for people and
 * tools, and for the checks a waiting call repeats ({@link #seemsAlive}): a fresh one spares them asking the OS.
 */
final class Participants {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();
    /** A heartbeat younger than this (two and a half heartbeat periods: 250 ms) vouches for its process. */
    static final long FRESH_HEARTBEAT_MILLIS = Heartbeat.PERIOD_NANOS * 5 / 2 / 1_000_000;

    private final MemorySegment segment;
    private final int capacity;

    Participants(MemorySegment segment, int capacity) {
        this.segment = segment;
        this.capacity = capacity;
    }

    int capacity() {
        return capacity;
    }

    /** Takes a free slot (or one of a dead process) for {@code self}; returns its index. */
    int register(ProcessIdentity self, String regionName) {
        for (int pass = 0; pass < 2; pass++) {
            for (int slot = 0; slot < capacity; slot++) {
                long offset = participantOffset(slot);
                long pid = (long) LONG.getVolatile(segment, offset + PARTICIPANT_PID_OFFSET);
                boolean free = pid == 0 || (pass == 1 && !isAlive(slot));
                if (free && LONG.compareAndSet(segment, offset + PARTICIPANT_PID_OFFSET, pid, self.pid())) {
                    long now = System.currentTimeMillis();
                    LONG.setRelease(segment, offset + PARTICIPANT_ATTACHED_OFFSET, now);
                    LONG.setRelease(segment, offset + PARTICIPANT_HEARTBEAT_OFFSET, now);
                    LONG.setRelease(segment, offset + PARTICIPANT_START_TIME_OFFSET, self.startTime());
                    return slot;
                }
            }
        }
        throw new ShmException("region '" + regionName + "' has no free participant slot: all " + capacity
                + " are taken by live processes");
    }

    void release(int slot) {
        long offset = participantOffset(slot);
        LONG.setRelease(segment, offset + PARTICIPANT_START_TIME_OFFSET, 0L);
        LONG.setRelease(segment, offset + PARTICIPANT_PID_OFFSET, 0L);
    }

    void heartbeat(int slot) {
        LONG.setOpaque(segment, participantOffset(slot) + PARTICIPANT_HEARTBEAT_OFFSET, System.currentTimeMillis());
    }

    long pid(int slot) {
        return (long) LONG.getVolatile(segment, participantOffset(slot) + PARTICIPANT_PID_OFFSET);
    }

    /**
     * For the checks a waiting call makes again and again: true when the slot's heartbeat is fresh (younger than
     * {@link #FRESH_HEARTBEAT_MILLIS}), otherwise {@link #isAlive}. Asking the OS reads {@code /proc}: tens of
     * microseconds, hundreds while that code is still interpreted, and on a small machine a peer woken just before
     * waits for the CPU meanwhile. A process that died is seen dead here at most {@link #FRESH_HEARTBEAT_MILLIS}
     * later than by {@link #isAlive}; one whose heartbeat is late (a stopped process, a starved heartbeat thread)
     * is asked about, as before.
     */
    boolean seemsAlive(int slot) {
        long offset = participantOffset(slot);
        if ((long) LONG.getVolatile(segment, offset + PARTICIPANT_PID_OFFSET) == 0) {
            return false;
        }
        long age = System.currentTimeMillis() - (long) LONG.getOpaque(segment, offset + PARTICIPANT_HEARTBEAT_OFFSET);
        return age >= 0 && age < FRESH_HEARTBEAT_MILLIS || isAlive(slot);
    }

    boolean isAlive(int slot) {
        long offset = participantOffset(slot);
        long pid = (long) LONG.getVolatile(segment, offset + PARTICIPANT_PID_OFFSET);
        if (pid == 0) {
            return false;
        }
        long startTime = (long) LONG.getAcquire(segment, offset + PARTICIPANT_START_TIME_OFFSET);
        return startTime == 0 || ProcessIdentity.isAlive(pid, startTime);
    }

    /** The occupied slots, as seen now. */
    List<ParticipantInfo> snapshot() {
        List<ParticipantInfo> result = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int slot = 0; slot < capacity; slot++) {
            long offset = participantOffset(slot);
            long pid = (long) LONG.getVolatile(segment, offset + PARTICIPANT_PID_OFFSET);
            if (pid != 0) {
                long heartbeat = (long) LONG.getOpaque(segment, offset + PARTICIPANT_HEARTBEAT_OFFSET);
                long attached = (long) LONG.getOpaque(segment, offset + PARTICIPANT_ATTACHED_OFFSET);
                result.add(new ParticipantInfo(slot, pid, isAlive(slot), now - heartbeat, attached));
            }
        }
        return result;
    }

    /** True when some occupied slot belongs to a live process. */
    boolean anyAlive() {
        for (int slot = 0; slot < capacity; slot++) {
            if (isAlive(slot)) {
                return true;
            }
        }
        return false;
    }
}
