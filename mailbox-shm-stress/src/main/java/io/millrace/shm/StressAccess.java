package io.millrace.shm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.function.BooleanSupplier;

/**
 * The one place where the stress tests reach package-private pieces of mailbox-shm: {@link Signal} and its layout,
 * and whether futexes are in use. Everything else they do goes through the public {@link Ring} API, so that a
 * refactoring of the rings leaves them alone; when {@code Signal} changes, adapt this class.
 */
final class StressAccess {
    /** Bytes a {@link Signal} takes: a block of its own, so that no other word shares its lines. */
    static final int SIGNAL_BYTES = 128;

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();

    private StressAccess() {
    }

    /** A signal over {@link #SIGNAL_BYTES} zeroed (or quiescent) bytes at {@code offset} of {@code segment}. */
    static Signal signal(MemorySegment segment, long offset) {
        return new Signal(segment, offset, 0); // sleeps as participant slot 0
    }

    /** The signal's sequence (the futex word), which a waker bumps when it sees a sleeper. */
    static int sequence(MemorySegment segment, long offset) {
        return (int) INT.getVolatile(segment, offset + Signal.SEQUENCE_OFFSET);
    }

    /** Sleepers registered on the signal now. */
    static int waiters(Signal signal) {
        return signal.waiters();
    }

    /** {@link Signal#sleep}: until woken, until {@code deadlineNanos}, or until {@code ready} says so. */
    static void sleep(Signal signal, BooleanSupplier ready, long deadlineNanos) {
        signal.sleep(ready, deadlineNanos);
    }

    /** {@link Signal#wakeIfWaiting}: what a publisher calls after its publishing store. */
    static void wake(Signal signal) {
        signal.wakeIfWaiting();
    }

    /** True when sleeps are futex waits (the native downcall is there); false when they fall back to parking. */
    static boolean futexAvailable() {
        return Futex.AVAILABLE;
    }
}
