package io.millrace.shm;

import java.lang.foreign.MemorySegment;

import static io.millrace.shm.RecordDescriptor.HEADER_LENGTH;
import static io.millrace.shm.RecordDescriptor.alignedLength;

/**
 * Multi-producer single-consumer ring: any number of producer threads in any number of processes. The
 * protocol of {@link Ring}, with claims by compare-and-set on {@code tail}; producers share a lazily refreshed
 * {@code headCache} so that they read the consumer's {@code head} line only when the ring looks full.
 */
final class MpscRing extends Ring {
    private volatile boolean producerRegistered;

    MpscRing(SharedRegion region, String name, MemorySegment segment, long base, int capacity) {
        super(region, name, segment, base, capacity);
    }

    @Override
    long claim(int type, int length) {
        if (!producerRegistered) {
            registerProducer();
        }
        int recordLength = length + HEADER_LENGTH;
        int aligned = alignedLength(recordLength);
        long headCache = headCacheOpaque();
        long position;
        int index;
        int padding;
        long required;
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
        } while (!casTail(position, position + required));
        return writeClaimedHeader(index, padding, type, recordLength);
    }

    private void registerProducer() {
        synchronized (this) {
            if (producerRegistered) {
                return;
            }
            long bit = 1L << region.slot();
            while (true) {
                long current = producerMask();
                if ((current & bit) != 0) {
                    break;
                }
                if (casProducerMask(current, current | bit)) {
                    addProducerJoined();
                    break;
                }
            }
            producerRegistered = true;
        }
        region.onRegistered(this);
    }

    @Override
    void deregisterProducer() {
        if (producerRegistered) {
            long bit = 1L << region.slot();
            while (true) {
                long current = producerMask();
                if ((current & bit) == 0 || casProducerMask(current, current & ~bit)) {
                    break;
                }
            }
        }
    }

    @Override
    long producerSlots() {
        return producerMask();
    }

    private long headCacheOpaque() {
        return (long) LONG.getOpaque(segment, base + RingDescriptor.HEAD_CACHE_OFFSET);
    }

    private void putHeadCacheOpaque(long value) {
        LONG.setOpaque(segment, base + RingDescriptor.HEAD_CACHE_OFFSET, value);
    }
}
