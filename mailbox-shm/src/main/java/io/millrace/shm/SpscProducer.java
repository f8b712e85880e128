package io.millrace.shm;

import java.lang.foreign.MemorySegment;

import static io.millrace.shm.RecordDescriptor.HEADER_LENGTH;
import static io.millrace.shm.RecordDescriptor.alignedLength;
import static io.millrace.shm.RecordDescriptor.header;

/** 128 bytes between {@link RingProducer}'s read-mostly fields and the SPSC producer's own. */
abstract sealed class SpscProducerPadding extends RingProducer permits SpscProducerState {
    int p0;
    long p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16;

    SpscProducerPadding(Ring ring, RingHeader header) {
        super(ring, header);
    }
}

/** The fields only the SPSC producer thread writes. */
abstract sealed class SpscProducerState extends SpscProducerPadding permits SpscProducer {
    long tail;
    long headCache;
    boolean registered;

    SpscProducerState(Ring ring, RingHeader header) {
        super(ring, header);
    }
}

/**
 * Single-producer producer side: claims by a release store of {@code tail}, because one thread of one process
 * produces. A second live producer is refused.
 *
 * <p>An {@code offer} writes no claimed header. Its claim is the release store of {@code tail}; then it writes the
 * padding header if the record wraps, copies the payload in, and stores the final header with release. Until then
 * the consumer reads the zero that consumed space holds, so the header's cache line is written once, at the end.
 * Each claim's first header is stored before the next claim's {@code tail}, so a header that reads zero although
 * {@code tail} covers it lies in the producer's latest claim, which ends at {@code tail}: the producer is writing
 * it, or died doing so and left payload bytes under a zero header. {@link #tryClaim} and {@link Ring.Batch} claim the
 * same way, then write a claimed header (their payload is written later, or published later).
 *
 * <p>The consumer does not zero what it releases (as Agrona's {@code OneToOneRingBuffer}): released space holds the
 * last lap's bytes, and the one word the consumer may read there is the header at {@code tail}, once it has consumed
 * everything before it. So before each claim's {@code tail} store the producer stores 0 into the word at the new
 * {@code tail} (the terminator: the next claim's header), and into the word at 0 when the record wraps (its header,
 * read once the padding is); a claim is refused unless {@value #TERMINATOR} bytes stay free after it, so that the
 * terminator never lands on a record the consumer has still to read. The consumer then writes nothing into the data,
 * and the lines a record occupies go from this core to the consumer's and back once a lap, not twice (measured:
 * perf/EXPERIMENTS.md). A zero header under {@code tail} is still the start of the latest claim, or of a dead
 * producer's: every claim start was a terminator first, stored before the {@code tail} store that covers it.
 *
 * <p>Recovery is the consumer's alone ({@link ClaimRecovery.Spsc}): it skips such a gap once its producer is gone.
 * While no producer has taken over, that is when the registered producer is dead or none is registered. The ring
 * names its producer by participant reference (incarnation and slot), so a dead producer whose slot another process
 * took is still seen dead. A producer that registers in a dead one's place first notes the {@code tail} it starts
 * from in the ring's takeover table: a gap below that point was the dead producer's last claim and ends there. A successor cannot tell a zero header the consumer is zeroing from
 * one never written, so it neither walks nor repairs the records it inherits. A claimed header below a takeover point
 * is a dead producer's too, even if a live process has its participant slot now. The table holds
 * {@value RingDescriptor#SPSC_TAKEOVERS} points; an entry is free again once the consumer has passed it. A producer
 * that finds none free (that many producers were killed, one after another, before the consumer caught up) is
 * back-pressured until the consumer has.
 *
 * <p>Closing a region while another thread of the same process is inside an {@code offer} on it is a usage error:
 * the close detaches the producer before the unmapping stops that thread, so the consumer may skip the record in
 * flight and then meet the thread's late header store in space it has released.
 */
final class SpscProducer extends SpscProducerState {
    /**
     * Set in the producer word, beside a dead producer's reference, once its death is counted in
     * {@code producersDied}, so that the consumer and a successor count it once between them.
     */
    static final long DEATH_COUNTED = 1L << 8;
    /** Bytes kept free after the latest claim: the zero word its successor's header goes into. */
    static final int TERMINATOR = Long.BYTES;
    long q1, q2, q3, q4, q5, q6, q7, q8, q9, q10, q11, q12, q13, q14, q15, q16;

    SpscProducer(Ring ring, RingHeader header) {
        super(ring, header);
    }

    @Override
    long headSeen() {
        return headCache;
    }

    @Override
    long claim(int type, int length) {
        return write(type, length, null, null, 0);
    }

    @Override
    long offerCopy(int type, MemorySegment segment, byte[] array, long srcOffset, int length) {
        return write(type, length, segment, array, srcOffset);
    }

    /**
     * Takes room for a record of {@code length} payload bytes at {@code tail} and returns its payload's offset, or
     * {@link Ring#BACK_PRESSURED}. With nothing to copy ({@code segment} and {@code array} null) it writes the claimed
     * header {@link RingProducer#writeClaimedHeader} describes, to be committed later. Otherwise it claims by storing
     * {@code tail}, copies the payload in, stores the final header, and wakes a blocked consumer.
     */
    private long write(int type, int length, MemorySegment segment, byte[] array, long srcOffset) {
        int recordLength = length + HEADER_LENGTH;
        long required = reserve(recordLength);
        if (required < 0) {
            return Ring.BACK_PRESSURED;
        }
        int index = (int) (tail & mask);
        int padding = (int) (required - alignedLength(recordLength));
        if (padding > 0) {
            header.putRecordPlain(0, 0L); // the record's header at 0, read once the padding is
        }
        tail += required;
        header.putRecordPlain(tail & mask, 0L); // the terminator: the next claim's header, before this one's claim
        header.putTailRelease(tail); // the claim, before any byte of the record: see the class comment
        if (segment == null && array == null) {
            return writeClaimedHeader(index, padding, type, recordLength);
        }
        int at = 0;
        if (padding > 0) {
            writePadding(index, padding); // before the record: the claim is already in tail
        } else {
            at = index;
        }
        ownLastLine(at, recordLength);
        copyPayload(segment, array, srcOffset, at + HEADER_LENGTH, length);
        publishHeader(at, header(type, recordLength));
        return at + HEADER_LENGTH;
    }

    /**
     * Bytes a record of {@code recordLength} takes at {@code tail}, padding to the end included, or
     * {@link Ring#BACK_PRESSURED} when they are not free (the cached head is refreshed before saying so).
     */
    private long reserve(int recordLength) {
        if (!registered && !registerProducer()) {
            return Ring.BACK_PRESSURED;
        }
        int aligned = alignedLength(recordLength);
        int toEnd = capacity - (int) (tail & mask);
        long required = aligned <= toEnd ? aligned : (long) toEnd + aligned;
        if (tail + required + TERMINATOR - headCache > capacity) {
            headCache = header.headAcquire();
            if (tail + required + TERMINATOR - headCache > capacity) {
                return Ring.BACK_PRESSURED;
            }
        }
        return required;
    }

    /**
     * Becomes the ring's producer, or throws when a live one is registered; false, with the slot kept, when it takes
     * over from a dead one but finds the takeover table full (the next call tries again).
     */
    @Override
    boolean registerProducer() {
        if (registered) {
            return true;
        }
        SharedRegion region = header.region;
        long mine = region.ref();
        boolean takeover;
        while (true) {
            long word = header.spscProducer();
            long current = word & ~DEATH_COUNTED;
            if (current == mine) {
                takeover = true; // registered by an earlier call that found the takeover table full
                break;
            }
            boolean dead = current != 0 && !region.participants().isAlive(current);
            if (current != 0 && !dead) {
                long holder = region.participants().pidOf(current);
                throw new RoleTakenException("ring '" + header.name + "' is single-producer and already has a"
                        + " producer: pid " + holder + "; use an MPSC ring for several", header.name,
                        RoleTakenException.Role.SPSC_PRODUCER, holder);
            }
            if (header.casSpscProducer(word, mine)) {
                header.addProducerJoined();
                if (dead && (word & DEATH_COUNTED) == 0) {
                    header.countDead(current);
                }
                takeover = dead;
                break;
            }
        }
        long start = header.tailAcquire();
        if (takeover && start != 0 && !noteTakeover(start)) {
            return false; // the slot stays ours: the next call comes back as a takeover
        }
        tail = start;
        headCache = header.headAcquire();
        registered = true;
        region.onRegistered(ring);
        return true;
    }

    /**
     * Notes in the takeover table that this producer goes on from {@code start}, in a dead producer's place; false
     * when every entry holds a point the consumer has not passed yet.
     */
    private boolean noteTakeover(long start) {
        long head = header.headAcquire();
        for (int i = 0; i < RingDescriptor.SPSC_TAKEOVERS; i++) {
            long point = header.spscTakeover(i);
            if (point == start || point - head <= 0 && header.casSpscTakeover(i, point, start)) {
                return true; // the point is there, or in an entry the consumer has passed (0: never used)
            }
        }
        return false;
    }

    @Override
    boolean deregisterProducer() {
        if (!registered) {
            return false;
        }
        registered = false;
        return header.casSpscProducer(header.region.ref(), 0);
    }
}
