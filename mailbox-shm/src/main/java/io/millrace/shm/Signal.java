package io.millrace.shm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A wake-up word in shared memory: a sequence (the futex word) and the set of sleeping processes, on a 128-byte
 * block of their own. Whoever makes progress (a producer publishing, a consumer freeing space) calls
 * {@link #wakeIfWaiting()}; whoever waits for that progress may sleep in {@link #sleep}.
 *
 * <h2>Protocol</h2>
 * <pre>
 *   waker:   publish (release store)          sleeper: seq = sequence (acquire)
 *            if waiters != 0:                          waiters |= my slot's bit (full fence)
 *                sequence += 1                         if ready(): return       (re-check 1)
 *                futex_wake(sequence)                  pause ~2 us; if ready(): return  (re-check 2)
 *                                                      futex_wait(sequence, seq, timeout)
 *                                                      my bit cleared when this process's last sleeper leaves
 * </pre>
 * A waker that reads {@code waiters} after the sleeper's increment bumps the sequence, so the sleeper's
 * {@code futex_wait} returns at once or is woken. A waker that read {@code waiters == 0} just before the
 * increment still has its publishing store in flight (x86 lets a load pass an earlier store, and so may the JIT):
 * re-check 2 runs after that store has almost always drained from the waker's store buffer and sees the progress.
 * So the waker pays one plain load per publish and no fence. Should the load pass the store by more than the pause,
 * the wake-up is lost and costs one sleep slice (bounded by the caller's timeout), never a hang: jcstress's
 * {@code SignalWakeStress} saw that once in 600,000 samples under C2's code-motion stress options; a full fence in
 * the waker, which would close it, cost a quarter of 64 B SPSC throughput (perf/EXPERIMENTS.md).
 *
 * <p>{@code waiters} is a bit per participant slot (a process's threads share its bit, counted in the handle), so
 * that a process killed inside its wait does not leave it raised for ever: whoever takes over its role or finds it
 * dead clears its bit ({@link #clearWaiter}), and publishers stop paying an atomic add and a {@code FUTEX_WAKE} per
 * publish. Should that clear a bit a later occupant of the slot has just set, that sleeper wakes on its own timer
 * (at most a liveness interval): a delay, never a hang.
 */
final class Signal {
    static final long SEQUENCE_OFFSET = 0;
    static final long WAITERS_OFFSET = 8;

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();
    private static final long RECHECK_PAUSE_NANOS = 2_000;

    private final MemorySegment segment;
    private final long offset;
    private final MemorySegment futexWord;
    /** This process's bit in {@code waiters}, and how many of its threads sleep here now. */
    private final long bit;
    private int sleepers;

    Signal(MemorySegment segment, long offset, int slot) {
        this.segment = segment;
        this.offset = offset;
        this.futexWord = segment.asSlice(offset + SEQUENCE_OFFSET, 4);
        this.bit = slot < 0 ? 0 : 1L << slot;
    }

    /** Called after publishing progress: wakes sleepers, if there are any. One plain load otherwise. */
    void wakeIfWaiting() {
        if ((long) LONG.getAcquire(segment, offset + WAITERS_OFFSET) != 0) {
            int ignored = (int) INT.getAndAdd(segment, offset + SEQUENCE_OFFSET, 1);
            if (Futex.AVAILABLE) {
                Futex.wakeAll(futexWord);
            }
        }
    }

    /** Number of processes with a thread asleep here now (for tools and tests). */
    int waiters() {
        return Long.bitCount((long) LONG.getVolatile(segment, offset + WAITERS_OFFSET));
    }

    /** Clears the waiter bit of participant {@code slot}: its process died or its role was taken over. */
    void clearWaiter(int slot) {
        long ignored = (long) LONG.getAndBitwiseAnd(segment, offset + WAITERS_OFFSET, ~(1L << slot));
    }

    /**
     * Sleeps until woken, until {@code deadlineNanos} (a {@link System#nanoTime()} value), or until {@code ready}
     * says the awaited progress has happened; see the class comment for the protocol.
     */
    void sleep(BooleanSupplier ready, long deadlineNanos) {
        int sequence = (int) INT.getAcquire(segment, offset + SEQUENCE_OFFSET);
        enter();
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
            leave();
        }
    }

    private void enter() {
        synchronized (this) {
            if (sleepers++ == 0 || ((long) LONG.getVolatile(segment, offset + WAITERS_OFFSET) & bit) == 0) {
                long ignored = (long) LONG.getAndBitwiseOr(segment, offset + WAITERS_OFFSET, bit);
            }
        }
        VarHandle.fullFence();
    }

    private void leave() {
        synchronized (this) {
            if (--sleepers == 0) {
                long ignored = (long) LONG.getAndBitwiseAnd(segment, offset + WAITERS_OFFSET, ~bit);
            }
        }
    }
}
