package io.millrace.shm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

import static io.millrace.shm.RegionDescriptor.PARTICIPANT_ATTACHED_OFFSET;
import static io.millrace.shm.RegionDescriptor.PARTICIPANT_HEARTBEAT_OFFSET;
import static io.millrace.shm.RegionDescriptor.PARTICIPANT_OWNER_OFFSET;
import static io.millrace.shm.RegionDescriptor.PARTICIPANT_START_INCARNATION_OFFSET;
import static io.millrace.shm.RegionDescriptor.PARTICIPANT_START_TIME_OFFSET;
import static io.millrace.shm.RegionDescriptor.participantOffset;

/**
 * The participant table of a region: one 128-byte slot per attached process.
 *
 * <h2>Ownership: one word</h2>
 * A slot's {@code owner} word is {@code incarnation << 32 | pid} (pid 0: free). Each taking of a slot, free or of a
 * dead process, is one compare-and-set from the word observed to {@code (incarnation + 1, pid)} (incarnations run
 * from 1 to 2<sup>31</sup> - 1 and wrap, so that references are positive), so of two
 * processes racing for the same dead slot exactly one wins, and every taking is a new incarnation. Then the taker
 * stores its start time and, with release, {@code startIncarnation}: the incarnation that start time belongs to.
 * A reader whose owner word and {@code startIncarnation} disagree sees a slot being taken, and counts it alive: a
 * racer can never judge a half-registered slot dead (with pid and start time in separate words, the start time of
 * the dead process could be read beside the new pid). Closing stores {@code (incarnation, 0)}.
 *
 * <h2>References</h2>
 * Rings name participants by reference, {@code incarnation << 32 | slot + 1} ({@link #ref}): a reference stays
 * bound to one incarnation, so a slot reused by another process does not make the previous occupant's claims and
 * registrations look alive. {@link #isAlive(long)} is false once the slot has another incarnation.
 *
 * <p>A process is alive while a process with that pid and <em>start time</em> exists ({@link ProcessIdentity}).
 * The heartbeat is for people and tools, and for the checks a waiting call repeats ({@link #seemsAlive}): a fresh
 * one spares them asking the OS.
 */
final class Participants {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();
    /** A heartbeat younger than this (two and a half heartbeat periods: 250 ms) vouches for its process. */
    static final long FRESH_HEARTBEAT_MILLIS = Heartbeat.PERIOD_NANOS * 5 / 2 / 1_000_000;
    private static final long PID_MASK = 0xFFFF_FFFFL;
    private static final long MAX_INCARNATION = Integer.MAX_VALUE;

    private final MemorySegment segment;
    private final int capacity;

    Participants(MemorySegment segment, int capacity) {
        this.segment = segment;
        this.capacity = capacity;
    }

    int capacity() {
        return capacity;
    }

    /** The reference of {@code slot} at {@code incarnation}: never 0 nor -1. */
    static long ref(int slot, long incarnation) {
        return incarnation << 32 | (slot + 1);
    }

    static int slotOf(long ref) {
        return (int) (ref & PID_MASK) - 1;
    }

    static long incarnationOf(long ref) {
        return ref >>> 32;
    }

    /**
     * Takes a free slot (or, when none is free, one of a dead process) for {@code self}; returns the reference of
     * the new incarnation ({@link #ref}).
     */
    long register(ProcessIdentity self, String regionName) {
        if (self.pid() <= 0 || self.pid() > PID_MASK) {
            throw new IllegalArgumentException("pid=" + self.pid() + " does not fit a participant slot");
        }
        for (int pass = 0; pass < 2; pass++) {
            for (int slot = 0; slot < capacity; slot++) {
                long offset = participantOffset(slot);
                long owner = (long) LONG.getVolatile(segment, offset + PARTICIPANT_OWNER_OFFSET);
                boolean free = (owner & PID_MASK) == 0 || (pass == 1 && isDead(slot, owner));
                long incarnation = (owner >>> 32) % MAX_INCARNATION + 1; // 1 to 2^31 - 1: references stay positive
                if (free && LONG.compareAndSet(segment, offset + PARTICIPANT_OWNER_OFFSET, owner,
                        incarnation << 32 | self.pid())) {
                    long now = System.currentTimeMillis();
                    LONG.setRelease(segment, offset + PARTICIPANT_ATTACHED_OFFSET, now);
                    LONG.setRelease(segment, offset + PARTICIPANT_HEARTBEAT_OFFSET, now);
                    LONG.setRelease(segment, offset + PARTICIPANT_START_TIME_OFFSET, self.startTime());
                    LONG.setRelease(segment, offset + PARTICIPANT_START_INCARNATION_OFFSET, incarnation);
                    return ref(slot, incarnation);
                }
            }
        }
        throw new ShmException("region '" + regionName + "' has no free participant slot: all " + capacity
                + " are taken by live processes (participants=" + capacity + ", at most "
                + RegionDescriptor.MAX_PARTICIPANTS + ")");
    }

    /** Frees the slot of {@code ref}, if that incarnation still holds it. */
    void release(long ref) {
        int slot = slotOf(ref);
        long offset = participantOffset(slot);
        long owner = (long) LONG.getVolatile(segment, offset + PARTICIPANT_OWNER_OFFSET);
        if (owner >>> 32 == incarnationOf(ref)) {
            boolean ignored = LONG.compareAndSet(segment, offset + PARTICIPANT_OWNER_OFFSET, owner, owner & ~PID_MASK);
        }
    }

    void heartbeat(int slot) {
        LONG.setOpaque(segment, participantOffset(slot) + PARTICIPANT_HEARTBEAT_OFFSET, System.currentTimeMillis());
    }

    /** The pid in {@code slot} now, 0 when it is free. */
    long pid(int slot) {
        return (long) LONG.getVolatile(segment, participantOffset(slot) + PARTICIPANT_OWNER_OFFSET) & PID_MASK;
    }

    /** The pid of {@code ref}'s incarnation while its slot still holds it (dead or alive), else 0: not known. */
    long pidOf(long ref) {
        long owner = (long) LONG.getVolatile(segment, participantOffset(slotOf(ref)) + PARTICIPANT_OWNER_OFFSET);
        return owner >>> 32 == incarnationOf(ref) ? owner & PID_MASK : 0;
    }

    /**
     * For the checks a waiting call makes again and again: true when {@code ref}'s incarnation still holds its slot
     * and its heartbeat is fresh (younger than {@link #FRESH_HEARTBEAT_MILLIS}), otherwise {@link #isAlive(long)}.
     * Asking the OS reads {@code /proc}: tens of microseconds, hundreds while that code is still interpreted, and on
     * a small machine a peer woken just before waits for the CPU meanwhile. A process that died is seen dead here
     * at most {@link #FRESH_HEARTBEAT_MILLIS} later than by {@link #isAlive(long)}; one whose heartbeat is late (a
     * stopped process, a starved heartbeat thread) is asked about, as before.
     */
    boolean seemsAlive(long ref) {
        long offset = participantOffset(slotOf(ref));
        long owner = (long) LONG.getVolatile(segment, offset + PARTICIPANT_OWNER_OFFSET);
        if (owner >>> 32 != incarnationOf(ref) || (owner & PID_MASK) == 0) {
            return false;
        }
        long age = System.currentTimeMillis() - (long) LONG.getOpaque(segment, offset + PARTICIPANT_HEARTBEAT_OFFSET);
        return age >= 0 && age < FRESH_HEARTBEAT_MILLIS || isAlive(ref);
    }

    /** True while the incarnation {@code ref} names holds its slot and its process lives. */
    boolean isAlive(long ref) {
        long owner = (long) LONG.getVolatile(segment, participantOffset(slotOf(ref)) + PARTICIPANT_OWNER_OFFSET);
        return owner >>> 32 == incarnationOf(ref) && (owner & PID_MASK) != 0 && !isDead(slotOf(ref), owner);
    }

    /** True when {@code slot} is occupied by a live process, whichever incarnation. */
    boolean isOccupiedByLive(int slot) {
        long owner = (long) LONG.getVolatile(segment, participantOffset(slot) + PARTICIPANT_OWNER_OFFSET);
        return (owner & PID_MASK) != 0 && !isDead(slot, owner);
    }

    /**
     * True when {@code owner}, read from {@code slot}, names a process that is gone. A slot being taken (its start
     * time not yet stamped with the owner's incarnation) is not dead; nor is one whose owner changed meanwhile (the
     * caller's compare-and-set from {@code owner} then fails anyway).
     */
    private boolean isDead(int slot, long owner) {
        long offset = participantOffset(slot);
        long pid = owner & PID_MASK;
        if (pid == 0) {
            return false;
        }
        long stamped = (long) LONG.getAcquire(segment, offset + PARTICIPANT_START_INCARNATION_OFFSET);
        long startTime = (long) LONG.getAcquire(segment, offset + PARTICIPANT_START_TIME_OFFSET);
        if (stamped != owner >>> 32 || (long) LONG.getVolatile(segment, offset + PARTICIPANT_OWNER_OFFSET) != owner) {
            return false;
        }
        return !ProcessIdentity.isAlive(pid, startTime);
    }

    /** The occupied slots, as seen now. */
    List<ParticipantInfo> snapshot() {
        List<ParticipantInfo> result = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int slot = 0; slot < capacity; slot++) {
            long offset = participantOffset(slot);
            long owner = (long) LONG.getVolatile(segment, offset + PARTICIPANT_OWNER_OFFSET);
            if ((owner & PID_MASK) != 0) {
                long heartbeat = (long) LONG.getOpaque(segment, offset + PARTICIPANT_HEARTBEAT_OFFSET);
                long attached = (long) LONG.getOpaque(segment, offset + PARTICIPANT_ATTACHED_OFFSET);
                result.add(new ParticipantInfo(slot, owner & PID_MASK, !isDead(slot, owner), now - heartbeat,
                        attached));
            }
        }
        return result;
    }

    /** True when some occupied slot belongs to a live process. */
    boolean anyAlive() {
        for (int slot = 0; slot < capacity; slot++) {
            if (isOccupiedByLive(slot)) {
                return true;
            }
        }
        return false;
    }
}
