package io.millrace.shm;

import java.lang.foreign.MemorySegment;

import static io.millrace.shm.RecordDescriptor.HEADER_LENGTH;
import static io.millrace.shm.RecordDescriptor.PADDING_TYPE;
import static io.millrace.shm.RecordDescriptor.alignedLength;
import static io.millrace.shm.RecordDescriptor.header;

/**
 * Single-producer single-consumer ring: the protocol of {@link Ring}, with claims by plain stores because one
 * thread of one process produces. A second live producer is refused.
 *
 * <p>An {@code offer} writes no claimed header: it copies the payload in, then stores the final header, then
 * {@code tail}. Until the header is stored the consumer reads the zero that consumed space holds, and the header's
 * cache line is written once, at the end. A producer that dies during the copy leaves its bytes beyond
 * {@code tail}, where no record is: the producer that takes the ring over next zeroes the free space before it
 * writes (see {@link #takeOver}). A producer that dies between the header and {@code tail} leaves a complete record
 * that the consumer may already have read, so {@code tail} can trail {@code head}: everything that compares them
 * allows for it. {@link #tryClaim} and {@link Batch} still write claimed headers (their payload is written
 * later, or published later).
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
        return write(type, length, committed, null, null, 0);
    }

    @Override
    long offerCopy(int type, MemorySegment segment, byte[] array, int arrayOffset, int length) {
        return write(type, length, true, segment, array, arrayOffset);
    }

    /**
     * Takes room for a record of {@code length} payload bytes at {@code tail} and returns its payload's offset, or
     * {@link #BACK_PRESSURED}. With nothing to copy ({@code segment} and {@code array} null) it writes the header
     * {@link Ring#claim} describes, to be committed later. Otherwise it copies the payload in, then stores the
     * final header and {@code tail}, and wakes a blocked consumer.
     */
    private long write(int type, int length, boolean committed, MemorySegment segment, byte[] array,
                       int arrayOffset) {
        int recordLength = length + HEADER_LENGTH;
        long required = reserve(recordLength);
        if (required < 0) {
            return BACK_PRESSURED;
        }
        int index = (int) (tail & mask);
        int padding = (int) (required - alignedLength(recordLength));
        if (segment == null && array == null) {
            long payload = writeClaimedHeader(index, padding, type, recordLength, committed);
            tail += required;
            putTailOpaque(tail); // for stats and for the consumer's "drained" check; records carry their own commit
            return payload;
        }
        int at = padding > 0 ? 0 : index;
        ownLastLine(at, recordLength);
        copyPayload(segment, array, arrayOffset, at + HEADER_LENGTH, length);
        LONG.setRelease(buffer, (long) at, header(type, recordLength));
        if (padding > 0) {
            LONG.setRelease(buffer, (long) index, header(PADDING_TYPE, padding)); // leads the consumer to 0
        }
        tail += required;
        putTailRelease(tail);
        dataSignal.wakeIfWaiting();
        return at + HEADER_LENGTH;
    }

    /**
     * Bytes a record of {@code recordLength} takes at {@code tail}, padding to the end included, or
     * {@link #BACK_PRESSURED} when they are not free (the cached head is refreshed before saying so).
     */
    private long reserve(int recordLength) {
        if (!producerRegistered) {
            registerProducer();
        }
        int aligned = alignedLength(recordLength);
        int toEnd = capacity - (int) (tail & mask);
        long required = aligned <= toEnd ? aligned : (long) toEnd + aligned;
        if (tail + required - headCache > capacity) {
            headCache = headAcquire();
            if (tail + required - headCache > capacity) {
                return BACK_PRESSURED;
            }
        }
        return required;
    }

    private void registerProducer() {
        int mine = region.slot() + 1;
        boolean takeOver = false;
        while (true) {
            int current = spscProducerSlot();
            if (current == mine) {
                break;
            }
            boolean dead = current > 0 && !region.participants().isAlive(current - 1);
            if (current > 0 && !dead) {
                throw new IllegalStateException("ring '" + name + "' is single-producer and already has a producer:"
                        + " pid " + region.participants().pid(current - 1) + "; use an MPSC ring for several");
            }
            if (casSpscProducerSlot(current, mine)) {
                addProducerJoined();
                takeOver = dead;
                break;
            }
        }
        tail = takeOver ? takeOver() : tailAcquire();
        headCache = headAcquire();
        producerRegistered = true;
        region.onRegistered(this);
    }

    /**
     * Continues after a producer that died: finds where its records end, turning a claim it never committed into a
     * skipped record (as the consumer would), and zeroes the free space after them, where a record it was still
     * copying left its bytes. Returns the new {@code tail}, which it publishes.
     */
    private long takeOver() {
        long end = tailAcquire();
        while (true) {
            long head = headAcquire();
            if (head - end > 0) {
                end = head; // the consumer read a record whose tail store the dead producer never made
            }
            int index = (int) (end & mask);
            long header = (long) LONG.getAcquire(buffer, (long) index);
            int length = RecordDescriptor.length(header);
            if (length < 0) {
                skip(index, header, -length);
                continue; // the consumer may have skipped it first: read the header again
            }
            if (length == 0 || end - head >= capacity) {
                break; // the end (the second test only guards against a corrupt ring)
            }
            end += alignedLength(length);
        }
        long head = headAcquire();
        long free = Math.max(0, head + capacity - end);
        int index = (int) (end & mask);
        long first = Math.min(free, capacity - index);
        buffer.asSlice(index, first).fill((byte) 0);
        if (first < free) {
            buffer.asSlice(0, free - first).fill((byte) 0);
        }
        putTailRelease(end);
        return end;
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
