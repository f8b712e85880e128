package io.millrace.shm;

import java.lang.foreign.MemorySegment;

import static io.millrace.shm.RecordDescriptor.HEADER_LENGTH;
import static io.millrace.shm.RecordDescriptor.PADDING_TYPE;
import static io.millrace.shm.RecordDescriptor.alignedLength;
import static io.millrace.shm.RecordDescriptor.header;

/**
 * Single-producer single-consumer ring.
 *
 * <h2>Protocol</h2>
 * The producer owns {@code tail}; the consumer owns {@code head}. The producer writes a record (header with
 * its final length and type, then payload) beyond {@code tail} and publishes it by storing the new
 * {@code tail} with release semantics; nothing in the record itself says "committed". The consumer reads
 * {@code tail} with acquire once per batch, and everything below it is complete: it walks the records with
 * plain loads, then stores the new {@code head} with release once for the whole batch, which tells the
 * producer the space may be reused. The producer keeps the last head it saw and reads {@code head} again only
 * when that cached value says the ring is full, so in steady state the two sides exchange one cache line each
 * way per batch. A record never straddles the end of the buffer: a padding record fills the end instead.
 */
final class SpscRing extends Ring {
    // producer thread
    private long tail;
    private long headCache;
    private long claimIndex = -1;
    private long claimNextTail;
    private boolean producerRegistered;
    // consumer thread
    private long head;

    SpscRing(SharedRegion region, String name, MemorySegment segment, long base, int capacity) {
        super(region, name, segment, base, capacity);
        this.head = headAcquire();
    }

    @Override
    long claim(int type, int length) {
        if (!producerRegistered) {
            registerProducer();
        }
        if (claimIndex >= 0) {
            throw new IllegalStateException("ring '" + name + "': a claim at index=" + claimIndex
                    + " is still open; commit or abort it before claiming again");
        }
        int recordLength = length + HEADER_LENGTH;
        int aligned = alignedLength(recordLength);
        long position = tail;
        int index = (int) (position & mask);
        int toEnd = capacity - index;
        long required = aligned <= toEnd ? aligned : (long) toEnd + aligned;
        if (position + required - headCache > capacity) {
            headCache = headAcquire();
            if (position + required - headCache > capacity) {
                return BACK_PRESSURED;
            }
        }
        if (aligned > toEnd) {
            LONG.set(buffer, (long) index, header(PADDING_TYPE, toEnd));
            position += toEnd;
            index = 0;
        }
        LONG.set(buffer, (long) index, header(type, recordLength));
        claimNextTail = position + aligned;
        claimIndex = index + HEADER_LENGTH;
        return claimIndex;
    }

    @Override
    void doCommit(long index) {
        checkClaim(index);
        claimIndex = -1;
        tail = claimNextTail;
        putTailRelease(claimNextTail);
        dataSignal.wakeIfWaiting();
    }

    @Override
    void doAbort(long index) {
        checkClaim(index);
        claimIndex = -1;
    }

    private void checkClaim(long index) {
        if (index != claimIndex || index < 0) {
            throw new IllegalStateException("ring '" + name + "': no open claim at index=" + index
                    + (claimIndex < 0 ? " (none is open)" : " (the open claim is at index=" + claimIndex + ")"));
        }
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
    int doPoll(RecordHandler handler, int limit) {
        registerConsumer();
        long start = head;
        long available = tailAcquire();
        if (available == start) {
            return 0;
        }
        long position = start;
        int count = 0;
        try {
            while (position < available && count < limit) {
                int index = (int) (position & mask);
                long header = (long) LONG.get(buffer, (long) index);
                int length = RecordDescriptor.length(header);
                int type = RecordDescriptor.type(header);
                position += alignedLength(length);
                if (type == PADDING_TYPE) {
                    continue;
                }
                count++;
                handler.onRecord(type, buffer, index + HEADER_LENGTH, length - HEADER_LENGTH);
            }
        } finally {
            head = position;
            putHeadRelease(position);
            spaceSignal.wakeIfWaiting();
        }
        return count;
    }

    @Override
    boolean hasData() {
        return tailAcquire() != head;
    }

    @Override
    void onConsumerIdle(long nowNanos) {
        if (tailAcquire() == head) {
            int producer = spscProducerSlot();
            checkProducersGone(producer > 0 ? 1L << (producer - 1) : 0L);
        }
    }
}
