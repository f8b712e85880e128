package io.millrace.shm;

import java.lang.foreign.MemorySegment;
import java.util.List;

import static io.millrace.shm.RecordDescriptor.HEADER_LENGTH;
import static io.millrace.shm.RecordDescriptor.alignedLength;

/**
 * Multi-producer single-consumer ring: any number of producer threads in any number of processes. The
 * protocol of {@link Ring}, with claims by compare-and-set on {@code tail}; producers share a lazily refreshed
 * {@code headCache} so that they read the consumer's {@code head} line only when the ring looks full.
 */
final class MpscRing extends Ring {
    /** Spins on the claim window a sibling thread holds before yielding. */
    private static final int WINDOW_SPINS = 64;
    private volatile boolean producerRegistered;
    /** This process's claim window in the producer table (see {@link ProducerTable}). */
    private final long window;
    private final long windowEnd;

    MpscRing(SharedRegion region, String name, MemorySegment segment, long base, int capacity) {
        super(region, name, segment, base, capacity);
        this.window = producers.announceOffset(region.slot());
        this.windowEnd = producers.announceEndOffset(region.slot());
    }

    /**
     * Claims by compare-and-set on {@code tail}, inside this process's claim window: the claim's start and end are
     * announced before each compare-and-set and withdrawn after the claimed header is stored, so that the consumer
     * can tell a dead producer's zero header from a live one's (see {@link ProducerTable}).
     */
    @Override
    long claim(int type, int length) {
        if (!producerRegistered && !registerProducer()) {
            return BACK_PRESSURED;
        }
        int recordLength = length + HEADER_LENGTH;
        int aligned = alignedLength(recordLength);
        long headCache = headCacheOpaque();
        long position;
        int index;
        int padding;
        long required;
        enterWindow();
        try {
            do {
                position = tailAcquire();
                index = (int) (position & mask);
                int toEnd = capacity - index;
                padding = aligned <= toEnd ? 0 : toEnd;
                required = (long) padding + aligned;
                if (position + required - headCache > capacity) {
                    headCache = headAcquire();
                    if (position + required - headCache > capacity) {
                        return BACK_PRESSURED;
                    }
                    putHeadCacheOpaque(headCache);
                }
                LONG.set(segment, windowEnd, position + required);
                LONG.setRelease(segment, window, position + 1);
            } while (!casTail(position, position + required));
            return writeClaimedHeader(index, padding, type, recordLength);
        } finally {
            LONG.setRelease(segment, window, 0L);
        }
    }

    /** Takes this process's claim window; threads of one process take it in turn. */
    private void enterWindow() {
        for (int spins = 0; !LONG.compareAndSet(segment, window, 0L, ProducerTable.BUSY); spins++) {
            if (spins < WINDOW_SPINS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    @Override
    boolean registerProducer() {
        synchronized (this) {
            if (producerRegistered) {
                return true;
            }
            long replaced = producers.register(region.ref(), tailAcquire(), headAcquire());
            if (replaced == ProducerTable.BUSY) {
                return false;
            }
            if (replaced != 0) {
                countDead(replaced);
            }
            addProducerJoined();
            producerRegistered = true;
        }
        region.onRegistered(this);
        return true;
    }

    @Override
    boolean deregisterProducer() {
        synchronized (this) {
            if (!producerRegistered) {
                return false;
            }
            producerRegistered = false;
            producers.leave(region.ref());
            return true;
        }
    }

    @Override
    boolean anyProducerAlive(List<Long> dead) {
        boolean alive = false;
        for (int slot = 0; slot < region.participants().capacity(); slot++) {
            long producer = producers.producer(slot);
            if (producer == 0) {
                continue;
            }
            if (region.participants().seemsAlive(producer)) {
                alive = true;
            } else {
                long pid = region.participants().pidOf(producer);
                if (pid != 0 && !dead.contains(pid)) {
                    dead.add(pid);
                }
                if (producers.clearDead(slot, producer)) {
                    countDead(producer);
                }
            }
        }
        return alive;
    }

    private long headCacheOpaque() {
        return (long) LONG.getOpaque(segment, base + RingDescriptor.HEAD_CACHE_OFFSET);
    }

    private void putHeadCacheOpaque(long value) {
        LONG.setOpaque(segment, base + RingDescriptor.HEAD_CACHE_OFFSET, value);
    }
}
