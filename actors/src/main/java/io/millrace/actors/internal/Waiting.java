package io.millrace.actors.internal;

import io.millrace.shm.WaitStrategy;

import java.util.concurrent.locks.LockSupport;

/**
 * One step of a teller's bounded wait for room in a full lane queue, following the configured strategy. The
 * consumer does not signal room (that would cost every poll), so every strategy but busy-spin and yielding ends
 * in parks growing from 1 µs to 1 ms, each capped at the deadline. Busy spin yields once every {@value #SPIN_ROUNDS}
 * rounds (about {@link io.millrace.actors.remote.Outbound#SPIN_SLICE_NANOS} ns): the lane that makes room may be
 * waiting for this CPU.
 */
final class Waiting {

    private static final int SPINS = 100;
    private static final int YIELDS = 10;
    /** Rounds (a failed publish, a clock read, a spin-wait hint: some 100 ns) between a busy spinner's yields. */
    private static final int SPIN_ROUNDS = 256;
    private static final long MAX_PARK_NANOS = 1_000_000L;

    private Waiting() {
    }

    static void pause(WaitStrategy strategy, int round, long deadlineNanos) {
        if (strategy == WaitStrategy.busySpin()) {
            if (round % SPIN_ROUNDS == SPIN_ROUNDS - 1) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        } else if (round < SPINS) {
            Thread.onSpinWait();
        } else if (strategy == WaitStrategy.yielding() || round < SPINS + YIELDS) {
            Thread.yield();
        } else {
            long park = Math.min(1_000L << Math.min(round - SPINS - YIELDS, 10), MAX_PARK_NANOS);
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining > 0) {
                LockSupport.parkNanos(Math.min(park, remaining));
            }
        }
    }
}
