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
 * written only by its own thread; the consumer's also keeps what it has been told of its producers' ends (end of
 * stream when all left on purpose, {@link PeerGoneException} once per death).
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
        long consumer = ring.consumerRef();
        if (consumer == -1) {
            throw new PeerGoneException("the consumer of ring '" + ring.name + "' has detached; the ring is full ("
                    + "capacity=" + ring.capacity + ")", false);
        }
        Participants participants = ring.region.participants();
        if (consumer > 0 && !participants.seemsAlive(consumer)) {
            if (!participants.isOccupiedByLive(Participants.slotOf(consumer))) {
                ring.dataSignal.clearWaiter(Participants.slotOf(consumer)); // it may have died asleep
            }
            throw new PeerGoneException("the consumer of ring '" + ring.name + "' (pid "
                    + participants.pidOf(consumer) + ") died; the ring is full (capacity=" + ring.capacity + ")",
                    true);
        }
    }

    // ---------------------------------------------------------------- the consumer's view of its producers

    /** Deaths of producers counted in the ring and already reported to this consumer. */
    private long deathsReported;
    /** Pids of producers this consumer found dead, for the next {@link PeerGoneException}. */
    private final List<Long> deadPids = new ArrayList<>();

    /** This process has just become the consumer: deaths before it came are reported by the records skipped. */
    void consumerRegistered() {
        deathsReported = ring.producersDied();
    }

    /**
     * What the consumer finds when it waits on a ring drained up to {@code head}: 0 while a producer is registered and
     * alive (or none has joined yet), {@link Ring#END_OF_STREAM} when all have left on purpose; throws
     * {@link PeerGoneException} when a producer died since the last report (only if {@code report}, else returns 0).
     * Dead producers found here are cleared from the ring, their waiter bits too, and counted in
     * {@code producersDied}.
     */
    int producersGone(long head, boolean report) {
        long joined = ring.producersJoined();
        if (joined == 0) {
            return 0; // no producer has come yet: keep waiting for one
        }
        List<Long> dead = deadPids;
        if (anyProducerAlive(dead)) {
            return 0;
        }
        long died = ring.producersDied();
        if (ring.tailAcquire() - head > 0) {
            return 0; // sent before leaving: deliver it first
        }
        if (died == deathsReported) {
            return Ring.END_OF_STREAM;
        }
        if (!report) {
            return 0;
        }
        long deaths = died - deathsReported;
        deathsReported = died;
        String pids = dead.stream().distinct().map(String::valueOf).collect(Collectors.joining(", "));
        dead.clear();
        throw new PeerGoneException(pids.isEmpty()
                ? "the producers of ring '" + ring.name + "' are gone (" + deaths + " died) and the ring is drained"
                : "the producers of ring '" + ring.name + "' are gone (died: pid " + pids + ") and the ring is drained",
                true);
    }

    /**
     * True when a registered producer seems alive; the pids of dead ones are added to {@code dead}, and each is
     * counted once in {@code producersDied} and its waiter bit cleared.
     */
    private boolean anyProducerAlive(List<Long> dead) {
        Participants participants = ring.region.participants();
        if (ring.spsc) {
            long word = ring.spscProducer();
            long producer = word & ~SpscProducer.DEATH_COUNTED;
            if (producer == 0) {
                return false;
            }
            if (participants.seemsAlive(producer)) {
                return true;
            }
            noteDead(participants.pidOf(producer), dead);
            if ((word & SpscProducer.DEATH_COUNTED) == 0 && ring.casSpscProducer(word, word | SpscProducer.DEATH_COUNTED)) {
                ring.countDead(producer);
            }
            return false;
        }
        boolean alive = false;
        for (int slot = 0; slot < participants.capacity(); slot++) {
            long producer = ring.producers.producer(slot);
            if (producer == 0) {
                continue;
            }
            if (participants.seemsAlive(producer)) {
                alive = true;
            } else {
                noteDead(participants.pidOf(producer), dead);
                if (ring.producers.clearDead(slot, producer)) {
                    ring.countDead(producer);
                }
            }
        }
        return alive;
    }

    private static void noteDead(long pid, List<Long> dead) {
        if (pid != 0 && !dead.contains(pid)) {
            dead.add(pid);
        }
    }

    static long earlier(long a, long b) {
        return a - b < 0 ? a : b;
    }
}
