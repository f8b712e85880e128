package io.millrace.perf.bench;

/**
 * The busy-wait every Java role uses while it has nothing to do (empty ring, full ring, no echo yet):
 * {@link Thread#onSpinWait()}, and every {@value #YIELD_EVERY}th time a {@link Thread#yield()}. Never sleeps or
 * parks, so it is spinning against spinning; the yield only matters when two spinners share a CPU (a 2-CPU
 * machine with anything else running), where pure spinning would make each hand-off wait for a scheduler tick.
 *
 * <p>The counter is a plain static: each child process has one spinning thread.
 */
public final class Spin {

    static final int YIELD_EVERY = 1024;

    private static int idle;

    private Spin() {
    }

    public static void idle() {
        if (++idle % YIELD_EVERY == 0) {
            Thread.yield();
        } else {
            Thread.onSpinWait();
        }
    }
}
