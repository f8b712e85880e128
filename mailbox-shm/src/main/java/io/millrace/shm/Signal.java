package io.millrace.shm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A wake-up word in shared memory: a sequence (the futex word) and a count of sleepers, 8 bytes on a
 * 128-byte block of their own. Whoever makes progress (a producer publishing, a consumer freeing space) calls
 * {@link #wakeIfWaiting()}; whoever waits for that progress may sleep in {@link #sleep}.
 *
 * <h2>Protocol</h2>
 * <pre>
 *   waker:   publish (release store)          sleeper: seq = sequence (acquire)
 *            if waiters != 0:                          waiters += 1 (full fence)
 *                sequence += 1                         if ready(): return       (re-check 1)
 *                futex_wake(sequence)                  pause ~2 us; if ready(): return  (re-check 2)
 *                                                      futex_wait(sequence, seq, timeout)
 *                                                      waiters -= 1
 * </pre>
 * A waker that reads {@code waiters} after the sleeper's increment bumps the sequence, so the sleeper's
 * {@code futex_wait} returns at once or is woken. A waker that read {@code waiters == 0} just before the
 * increment still has its publishing store in flight (x86 lets a load pass an earlier store): re-check 2 runs
 * after that store has drained from the waker's store buffer and sees the progress. So the waker pays one
 * plain load per publish and no fence, and the sleeper still misses no wake-up. Should a store ever take
 * longer than the pause to drain, the cost is one sleep slice (bounded by the caller's timeout), never a hang.
 */
final class Signal {
    static final long SEQUENCE_OFFSET = 0;
    static final long WAITERS_OFFSET = 4;

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();
    private static final long RECHECK_PAUSE_NANOS = 2_000;

    private final MemorySegment segment;
    private final long offset;
    private final MemorySegment futexWord;

    Signal(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        this.futexWord = segment.asSlice(offset + SEQUENCE_OFFSET, 4);
    }

    /** Called after publishing progress: wakes sleepers, if there are any. One plain load otherwise. */
    void wakeIfWaiting() {
        if ((int) INT.getAcquire(segment, offset + WAITERS_OFFSET) != 0) {
            int ignored = (int) INT.getAndAdd(segment, offset + SEQUENCE_OFFSET, 1);
            if (Futex.AVAILABLE) {
                Futex.wakeAll(futexWord);
            }
        }
    }

    /** Number of sleepers registered now (for tools and tests). */
    int waiters() {
        return (int) INT.getVolatile(segment, offset + WAITERS_OFFSET);
    }

    /**
     * Sleeps until woken, until {@code deadlineNanos} (a {@link System#nanoTime()} value), or until {@code ready}
     * says the awaited progress has happened; see the class comment for the protocol.
     */
    void sleep(BooleanSupplier ready, long deadlineNanos) {
        int sequence = (int) INT.getAcquire(segment, offset + SEQUENCE_OFFSET);
        int ignored = (int) INT.getAndAdd(segment, offset + WAITERS_OFFSET, 1);
        try {
            if (ready.getAsBoolean()) {
                return;
            }
            long pauseEnd = System.nanoTime() + RECHECK_PAUSE_NANOS;
            while (System.nanoTime() - pauseEnd < 0) {
                Thread.onSpinWait();
            }
            if (ready.getAsBoolean()) {
                return;
            }
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0) {
                return;
            }
            if (Futex.AVAILABLE) {
                Futex.await(futexWord, sequence, remaining);
            } else {
                LockSupport.parkNanos(Math.min(remaining, 1_000_000L));
            }
        } finally {
            int ignoredToo = (int) INT.getAndAdd(segment, offset + WAITERS_OFFSET, -1);
        }
    }
}
