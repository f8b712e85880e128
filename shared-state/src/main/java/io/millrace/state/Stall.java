package io.millrace.state;

/**
 * A reader's wait for a writer in progress (odd version, or a struct locked by a commit): it spins a little, then
 * yields (on a small machine the writer may need this very CPU); after a millisecond it says to go through the
 * writer's lock, which waits for a live writer and recovers a dead one. Made only when a reader must wait.
 */
final class Stall {
    static final long NANOS = 1_000_000L;
    private static final int SPINS = 64;
    private long since;
    private int spins;

    /** {@return true when the caller has waited long enough to take and drop the lock; the wait then restarts} */
    boolean idle() {
        if (spins == 0) {
            since = System.nanoTime();
        }
        if (spins++ < SPINS) {
            Thread.onSpinWait();
            return false;
        }
        Thread.yield();
        if (System.nanoTime() - since > NANOS) {
            spins = 0;
            return true;
        }
        return false;
    }
}
