package io.millrace.shm;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How a waiting call of one side of a ring notices that the other side is gone. A blocking {@code send} or
 * {@code receive} needs no timer to see progress (the futex wakes it); it looks at its peers first after
 * {@link #LIVENESS_CHECK_NANOS}, then at intervals doubling to {@link #MAX_LIVENESS_CHECK_NANOS} while nothing happens,
 * and back to the first once work arrives, so that an idle sleeper wakes about once a second. A look reads the peers'
 * heartbeats, and {@code /proc} only for a stale one ({@link Participants#seemsAlive}). Each side has its own watch,
 * written only by its own thread.
 */
final class PeerWatch {
    /** How often a waiting call first looks at its peers' liveness. */
    static final long LIVENESS_CHECK_NANOS = 100_000_000L;
    static final long MAX_LIVENESS_CHECK_NANOS = 1_000_000_000L;

    private final RingHeader ring;
    private long lastCheck = System.nanoTime();
    private long interval = LIVENESS_CHECK_NANOS;

    PeerWatch(RingHeader ring) {
        this.ring = ring;
    }

    /** Work was done: the next wait looks at its peers soon again. */
    void workDone() {
        interval = LIVENESS_CHECK_NANOS;
    }

    /** True when a waiting call should look at its peers now; then backs the next look off, up to a second. */
    boolean due(long now) {
        if (now - lastCheck < interval) {
            return false;
        }
        lastCheck = now;
        interval = Math.min(interval * 2, MAX_LIVENESS_CHECK_NANOS);
        return true;
    }

    /** When the next look is due: a waiting call sleeps no longer than this. */
    long nextCheck() {
        return lastCheck + interval;
    }

    /** For a producer blocked on a full ring: throws when the consumer has died or detached. */
    void checkConsumer() {
        int consumer = ring.consumerSlotVolatile();
        if (consumer == -1) {
            throw new PeerGoneException("the consumer of ring '" + ring.name + "' has detached; the ring is full ("
                    + "capacity=" + ring.capacity + ")", false);
        }
        Participants participants = ring.region.participants();
        if (consumer > 0 && !participants.seemsAlive(consumer - 1)) {
            throw new PeerGoneException("the consumer of ring '" + ring.name + "' (pid "
                    + participants.pid(consumer - 1) + ") died; the ring is full (capacity=" + ring.capacity + ")",
                    true);
        }
    }

    /**
     * For a consumer waiting on a drained ring: throws when producers joined and none is left alive and attached.
     * {@code slots} are the producers' participant slots still registered.
     */
    void checkProducersGone(long slots) {
        long joined = ring.producersJoined();
        if (joined == 0) {
            return; // no producer has come yet: keep waiting for one
        }
        Participants participants = ring.region.participants();
        List<Long> dead = new ArrayList<>();
        for (long bits = slots; bits != 0; bits &= bits - 1) {
            int slot = Long.numberOfTrailingZeros(bits);
            if (participants.seemsAlive(slot)) {
                return;
            }
            dead.add(participants.pid(slot));
        }
        throw new PeerGoneException(dead.isEmpty()
                ? "all " + joined + " producer(s) of ring '" + ring.name + "' have detached and the ring is drained"
                : "the producers of ring '" + ring.name + "' are gone (died: pid "
                  + dead.stream().map(String::valueOf).collect(Collectors.joining(", "))
                  + ") and the ring is drained", !dead.isEmpty());
    }

    static long earlier(long a, long b) {
        return a - b < 0 ? a : b;
    }
}
