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
    private volatile boolean registered;

    MpscProducer(Ring ring, RingHeader header) {
        super(ring, header);
    }

    @Override
    long claim(int type, int length) {
        if (!registered) {
            registerProducer();
        }
        int recordLength = length + HEADER_LENGTH;
        int aligned = alignedLength(recordLength);
        long headCache = header.headCacheOpaque();
        long position;
        int index;
        int padding;
        long required;
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
        } while (!header.casTail(position, position + required));
        return writeClaimedHeader(index, padding, type, recordLength);
    }

    private void registerProducer() {
        SharedRegion region = header.region;
        synchronized (this) {
            if (registered) {
                return;
            }
            long bit = 1L << region.slot();
            while (true) {
                long current = header.producerMask();
                if ((current & bit) != 0) {
                    break;
                }
                if (header.casProducerMask(current, current | bit)) {
                    header.addProducerJoined();
                    break;
                }
            }
            registered = true;
        }
        region.onRegistered(ring);
    }

    @Override
    void deregister() {
        if (registered) {
            long bit = 1L << header.region.slot();
            while (true) {
                long current = header.producerMask();
                if ((current & bit) == 0 || header.casProducerMask(current, current & ~bit)) {
                    break;
                }
            }
        }
    }
}
