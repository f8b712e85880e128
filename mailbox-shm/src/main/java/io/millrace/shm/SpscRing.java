package io.millrace.shm;

import java.lang.foreign.MemorySegment;

import static io.millrace.shm.RecordDescriptor.HEADER_LENGTH;
import static io.millrace.shm.RecordDescriptor.alignedLength;

/**
 * Single-producer single-consumer ring: the protocol of {@link Ring}, with claims by plain stores because one
 * thread of one process produces. A second live producer is refused.
 */
final class SpscRing extends Ring {
    // producer thread
    private long tail;
    private long headCache;
    private boolean producerRegistered;

    SpscRing(SharedRegion region, String name, MemorySegment segment, long base, int capacity) {
        super(region, name, segment, base, capacity);
    }

    @Override
    long claim(int type, int length, boolean committed) {
        if (!producerRegistered) {
            registerProducer();
        }
        int recordLength = length + HEADER_LENGTH;
        int aligned = alignedLength(recordLength);
        long position = tail;
        int index = (int) (position & mask);
        int toEnd = capacity - index;
        int padding = aligned <= toEnd ? 0 : toEnd;
        long required = (long) padding + aligned;
        if (position + required - headCache > capacity) {
            headCache = headAcquire();
            if (position + required - headCache > capacity) {
                return BACK_PRESSURED;
            }
        }
        long payload = writeClaimedHeader(index, padding, type, recordLength, committed);
        tail = position + required;
        putTailOpaque(tail); // for stats and for the consumer's "drained" check; records carry their own commit
        return payload;
    }

    private void registerProducer() {
        int mine = region.slot() + 1;
        while (true) {
            int current = spscProducerSlot();
            if (current == mine) {
                break;
            }
            if (current > 0 && region.participants().isAlive(current - 1)) {
                throw new IllegalStateException("ring '" + name + "' is single-producer and already has a producer:"
                        + " pid " + region.participants().pid(current - 1) + "; use an MPSC ring for several");
            }
            if (casSpscProducerSlot(current, mine)) {
                addProducerJoined();
                break;
            }
        }
        tail = tailAcquire();
        headCache = headAcquire();
        producerRegistered = true;
        region.onRegistered(this);
    }

    @Override
    void deregisterProducer() {
        if (producerRegistered) {
            boolean ignored = casSpscProducerSlot(region.slot() + 1, 0);
        }
    }

    @Override
    long producerSlots() {
        int producer = spscProducerSlot();
        return producer > 0 ? 1L << (producer - 1) : 0L;
    }
}
