package io.millrace.perf.bench;

/**
 * The busy-wait every Java role uses while it has nothing to do (empty ring, full ring, no echo yet):
 * {@link Thread#onSpinWait()}, plus a {@link Thread#yield()} once per {@value #YIELD_EVERY_NANOS} ns of idling.
 * It never sleeps or parks, so it is spinning against spinning; the yield only matters when two spinners share a
 * CPU (a 2-CPU machine with anything else running), where pure spinning would make every hand-off wait for a
 * scheduler tick (4 ms). It is time-based, not count-based, so that a loop whose idle step is a system call
 * (a socket read) yields as often as one that spins on memory.
 *
 * <p>The state is plain statics: each child process has one spinning thread.
 */
public final class Spin {

    static final long YIELD_EVERY_NANOS = 50_000;
    private static final int CLOCK_EVERY = 16;

    private static int idle;
    private static long lastYield = System.nanoTime();

    private Spin() {
    }

    public static void idle() {
        if (++idle % CLOCK_EVERY == 0) {
            long now = System.nanoTime();
            if (now - lastYield > YIELD_EVERY_NANOS) {
                lastYield = now;
                Thread.yield();
                return;
            }
        }
        Thread.onSpinWait();
    }
}
