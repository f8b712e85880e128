package io.millrace.reactive;

import io.millrace.shm.RecordHandler;
import io.millrace.shm.Ring;

import java.time.Duration;

/**
 * How a bridge thread waits for its ring (the subscriber's data ring, the publisher's control ring): it polls for
 * {@value #SPIN_NANOS} ns, yielding its CPU between polls, before it goes to the ring's blocking {@code receive}. So
 * records that follow each other within that time (a stream's elements and its credit, request(1) round trips) never
 * pay a futex wake-up, which costs tens of microseconds on a small VM, while an idle subscription still sleeps. The
 * yield between polls lets the thread that would write the next record run when it shares this CPU (two CPUs carry
 * both bridge threads and the application's); perf/EXPERIMENTS.md has the measurements.
 */
final class Receiving {
    /** How long a thread polls an empty ring before it sleeps on it. */
    static final long SPIN_NANOS = 50_000L;
    /** Polls between clock reads. */
    private static final int CLOCK_EVERY = 32;

    private Receiving() {
    }

    /**
     * Delivers up to {@code limit} records of {@code ring} to {@code handler}: polls for a while, then waits in the
     * ring's {@link Ring#receive(RecordHandler, int, Duration)} up to {@code timeout}.
     *
     * @return what {@code receive} returns: records delivered, 0 at the timeout, or {@link Ring#END_OF_STREAM}
     */
    static int receive(Ring ring, RecordHandler handler, int limit, Duration timeout) {
        int received = ring.poll(handler, limit);
        if (received > 0) {
            return received;
        }
        long start = System.nanoTime();
        for (int round = 1; ; round++) {
            Thread.yield();
            received = ring.poll(handler, limit);
            if (received > 0) {
                return received;
            }
            if (round % CLOCK_EVERY == 0 && System.nanoTime() - start > SPIN_NANOS) {
                return ring.receive(handler, limit, timeout);
            }
        }
    }
}
