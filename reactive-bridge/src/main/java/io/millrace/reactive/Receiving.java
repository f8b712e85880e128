package io.millrace.reactive;

import io.millrace.shm.RecordHandler;
import io.millrace.shm.Ring;

import java.time.Duration;

/**
 * How a bridge thread waits for its ring (the subscriber's data ring, the publisher's control ring); one per thread.
 * While records come quickly (its last wait ended within {@value #QUICK_NANOS} ns: a stream's elements and credit,
 * round trips with both peers on a CPU) it polls for up to {@value #SPIN_NANOS} ns, yielding its CPU between polls,
 * before it goes to the ring's blocking {@code receive}, so that they never pay a futex wake-up (tens of microseconds
 * on a small VM). Once a wait took longer, it sleeps at once (after the ring's own short spin), until a wait ends
 * quickly again: a thread that shares its CPU with a spinning application thread gets that CPU back sooner through
 * the futex's wake-up than by yielding to it (perf/EXPERIMENTS.md has the measurements).
 */
final class Receiving {
    /** How long a thread polls an empty ring before it sleeps on it. */
    static final long SPIN_NANOS = 50_000L;
    /** A wait that ended within this long lets the next one poll first. */
    static final long QUICK_NANOS = 10_000L;
    /** Polls between clock reads. */
    private static final int CLOCK_EVERY = 32;

    private boolean polling = true;

    /**
     * Delivers up to {@code limit} records of {@code ring} to {@code handler}: polls for a while if the last wait was
     * short, then waits in the ring's {@link Ring#receive(RecordHandler, int, Duration)} up to {@code timeout}.
     *
     * @return what {@code receive} returns: records delivered, 0 at the timeout, or {@link Ring#END_OF_STREAM}
     */
    int receive(Ring ring, RecordHandler handler, int limit, Duration timeout) {
        int received = ring.poll(handler, limit);
        if (received > 0) {
            return received;
        }
        long start = System.nanoTime();
        if (polling) {
            for (int round = 1; ; round++) {
                Thread.yield();
                received = ring.poll(handler, limit);
                if (received > 0) {
                    polling = System.nanoTime() - start <= QUICK_NANOS;
                    return received;
                }
                if (round % CLOCK_EVERY == 0 && System.nanoTime() - start > SPIN_NANOS) {
                    break;
                }
            }
        }
        received = ring.receive(handler, limit, timeout);
        polling = received > 0 && System.nanoTime() - start <= QUICK_NANOS;
        return received;
    }
}
