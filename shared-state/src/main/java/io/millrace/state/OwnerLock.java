package io.millrace.state;

import io.millrace.shm.SharedRegion;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A lock word that names its owner: 0 when free, else the holder's participant reference
 * ({@link SharedRegion#participantRef()}: slot and incarnation), so a process killed while holding it blocks nobody.
 *
 * <h2>Protocol</h2>
 * <ol>
 *   <li>Acquire: one CAS from 0 to the caller's reference.</li>
 *   <li>A waiter spins, yields, then parks 20 µs at a time; each millisecond it asks whether the holder it read is
 *       alive ({@link SharedRegion#isParticipantAlive}: pid and start time). A dead holder's word is taken over by a
 *       CAS from that reference to the caller's; of several survivors exactly one wins, and {@link #acquire} tells it
 *       (it returns the dead reference) so that it finishes or undoes the dead holder's operation before its own.</li>
 *   <li>Release: a release store of 0, after every write of the operation.</li>
 * </ol>
 * A live holder is never taken over, however long it stalls; the waiter gives up at its deadline
 * ({@code LOCK_TIMEOUT}). The reference is per process: two threads of one process exclude each other as well, but a
 * thread must not take a lock it holds (it would wait for itself until the timeout).
 */
final class OwnerLock {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();
    private static final long CHECK_INTERVAL_NANOS = 1_000_000L;
    /** Acquired with no one to recover: {@link #acquire}'s result when the word was free. */
    static final long CLEAN = 0;

    private OwnerLock() {
    }

    /**
     * Takes the lock word at {@code offset} for this process.
     *
     * @return {@link #CLEAN}, or the reference of the dead holder it was taken over from (the caller recovers)
     * @throws SharedStateException with {@code LOCK_TIMEOUT} when a live holder keeps it past {@code timeoutNanos}
     */
    static long acquire(SharedRegion region, MemorySegment segment, long offset, long timeoutNanos, String what) {
        return acquire(region, segment, offset, timeoutNanos, what, null);
    }

    /** The uncontended case of {@link #acquire}, for callers that build its {@code what} only when it fails. */
    static boolean tryAcquire(SharedRegion region, MemorySegment segment, long offset) {
        return (boolean) LONG.compareAndSet(segment, offset, 0L, region.participantRef());
    }

    /** What a waiter does about a dead holder before it takes the word over: finish the holder's wider work. */
    interface DeadHolder {
        /** Called with the dead holder's reference; may release the word (then the waiter takes it as free). */
        void beforeTakeover(long deadRef);
    }

    /**
     * As {@link #acquire(SharedRegion, MemorySegment, long, long, String)}; a dead holder is first handed to
     * {@code onDead} (once per holder), and taken over only if it still holds the word after.
     */
    static long acquire(SharedRegion region, MemorySegment segment, long offset, long timeoutNanos, String what,
                        DeadHolder onDead) {
        long self = region.participantRef();
        if ((boolean) LONG.compareAndSet(segment, offset, 0L, self)) {
            return CLEAN;
        }
        long start = System.nanoTime();
        long nextCheck = start + CHECK_INTERVAL_NANOS;
        long handedOver = 0;
        for (int spins = 0; ; spins++) {
            long owner = (long) LONG.getVolatile(segment, offset);
            if (owner == 0) {
                if ((boolean) LONG.compareAndSet(segment, offset, 0L, self)) {
                    return CLEAN;
                }
                continue;
            }
            if (spins < 100) {
                Thread.onSpinWait();
                continue;
            }
            long now = System.nanoTime();
            if (now - nextCheck >= 0) {
                nextCheck = now + CHECK_INTERVAL_NANOS;
                if (owner != self && !alive(region, owner)) {
                    if (onDead != null && owner != handedOver) {
                        handedOver = owner;
                        onDead.beforeTakeover(owner);
                        nextCheck = now;
                        continue;
                    }
                    if ((boolean) LONG.compareAndSet(segment, offset, owner, self)) {
                        return owner;
                    }
                }
                if (now - start > timeoutNanos) {
                    throw new SharedStateException(SharedStateException.Reason.LOCK_TIMEOUT, what + " of region '"
                            + region.name() + "' is held by a live process (participant slot="
                            + ((int) owner - 1) + " incarnation=" + (owner >>> 32) + ") for longer than timeout="
                            + timeoutNanos / 1_000_000 + "ms");
                }
            }
            if (spins < 200) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(20_000L);
            }
        }
    }

    private static boolean alive(SharedRegion region, long owner) {
        try {
            return region.isParticipantAlive(owner);
        } catch (IllegalArgumentException corrupt) {
            return false; // a word naming no slot belongs to no one; take it
        }
    }

    /** The holder's reference now, 0 when free. */
    static long owner(MemorySegment segment, long offset) {
        return (long) LONG.getVolatile(segment, offset);
    }

    static void release(MemorySegment segment, long offset) {
        LONG.setRelease(segment, offset, 0L);
    }
}
