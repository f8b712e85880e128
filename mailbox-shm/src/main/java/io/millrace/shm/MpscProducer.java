package io.millrace.shm;

import static io.millrace.shm.RecordDescriptor.HEADER_LENGTH;
import static io.millrace.shm.RecordDescriptor.alignedLength;

/**
 * Multi-producer producer side: any number of producer threads in any number of processes, claiming by
 * compare-and-set on {@code tail}. Producers share a lazily refreshed {@code headCache} in the ring header, so that
 * they read the consumer's {@code head} line only when the ring looks full. Every claim writes a claimed header (see
 * {@link RingProducer#writeClaimedHeader}); claims complete out of order, and the consumer stops at the first one not
 * committed.
 */
final class MpscProducer extends RingProducer {
    /** Spins on the claim window a sibling thread holds before yielding. */
    private static final int WINDOW_SPINS = 64;
    private volatile boolean registered;
    /** This process's claim window in the producer table (see {@link ProducerTable}). */
    private final long window;
    private final long windowEnd;

    MpscProducer(Ring ring, RingHeader header) {
        super(ring, header);
        this.window = header.producers.announceOffset(header.region.slot());
        this.windowEnd = header.producers.announceEndOffset(header.region.slot());
    }

    /**
     * Claims by compare-and-set on {@code tail}, inside this process's claim window: the claim's start and end are
     * announced before each compare-and-set and withdrawn after the claimed header is stored, so that the consumer
     * can tell a dead producer's zero header from a live one's (see {@link ProducerTable}).
     */
    @Override
    long headSeen() {
        return header.headCacheOpaque();
    }

    @Override
    long claim(int type, int length) {
        if (!registered && !registerProducer()) {
            return Ring.BACK_PRESSURED;
        }
        int recordLength = length + HEADER_LENGTH;
        int aligned = alignedLength(recordLength);
        long headCache = header.headCacheOpaque();
        long position;
        int index;
        int padding;
        long required;
        enterWindow();
        try {
            do {
                position = header.tailAcquire();
                index = (int) (position & mask);
                int toEnd = capacity - index;
                padding = aligned <= toEnd ? 0 : toEnd;
                required = (long) padding + aligned;
                if (position + required - headCache > capacity) {
                    headCache = header.headAcquire();
                    if (position + required - headCache > capacity) {
                        return Ring.BACK_PRESSURED;
                    }
                    header.putHeadCacheOpaque(headCache);
                }
                header.announceClaim(window, windowEnd, position, position + required);
            } while (!header.casTail(position, position + required));
            return writeClaimedHeader(index, padding, type, recordLength);
        } finally {
            header.releaseWindow(window);
        }
    }

    /** Takes this process's claim window; threads of one process take it in turn. */
    private void enterWindow() {
        for (int spins = 0; !header.casWindowIdle(window); spins++) {
            if (spins < WINDOW_SPINS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    @Override
    boolean registerProducer() {
        SharedRegion region = header.region;
        synchronized (this) {
            if (registered) {
                return true;
            }
            long replaced = header.producers.register(region.ref(), header.tailAcquire(), header.headAcquire());
            if (replaced == ProducerTable.BUSY) {
                return false;
            }
            if (replaced != 0) {
                header.countDead(replaced);
            }
            header.addProducerJoined();
            registered = true;
        }
        region.onRegistered(ring);
        return true;
    }

    @Override
    boolean deregisterProducer() {
        synchronized (this) {
            if (!registered) {
                return false;
            }
            registered = false;
            header.producers.leave(header.region.ref());
            return true;
        }
    }
}
