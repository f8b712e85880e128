package io.millrace.shm;

import static io.millrace.shm.RecordDescriptor.PADDING_TYPE;
import static io.millrace.shm.RecordDescriptor.SKIPPED_TYPE;
import static io.millrace.shm.RecordDescriptor.alignedLength;
import static io.millrace.shm.RecordDescriptor.header;

/**
 * The consumer's recovery of what dead producers leave at its head; used by the consumer thread only.
 *
 * <p>A producer killed between claim and commit leaves a header that never becomes committed. When the consumer is
 * stuck on it, it looks at the claimant the header names: if that participant incarnation is gone (dead, or its slot
 * since taken by another process, see {@link ProducerTable}), the record becomes a
 * {@code SKIPPED} record (counted in {@link RingStats#skippedRecords()}, never delivered) and the ring flows on. A
 * live producer's claim is never skipped, however long it takes. Claims of one dead claimant that follow each other
 * (a dead producer's unflushed {@link Ring.Batch}) go in one pass. A dead claim with {@code LEAD} (a flush cut short)
 * also voids that claimant's batch members that follow (see {@link RecordDescriptor}), until its next {@code LEAD}
 * member.
 *
 * <p>A header that reads zero although {@code tail} covers it belongs to a claim whose header is not written yet.
 * In an SPSC ring that is an offer in flight, and {@link Spsc} knows where it ends and whether its producer is gone
 * (see {@link SpscProducer}). In an MPSC ring a producer can die in the few instructions between its
 * compare-and-set and its header store, leaving zeros; it announced that claim in the ring's producer table first, so
 * the consumer skips it once that producer is dead (see {@link ProducerTable}).
 */
abstract sealed class ClaimRecovery permits ClaimRecovery.Spsc, ClaimRecovery.Mpsc {
    final RingHeader ring;
    private final RingConsumer consumer;
    /** Claimants (bit per slot) whose batch was cut short by death mid-flush. */
    private final long[] voidBatches = new long[2];

    ClaimRecovery(RingHeader ring, RingConsumer consumer) {
        this.ring = ring;
        this.consumer = consumer;
    }

    static ClaimRecovery of(RingHeader ring, RingConsumer consumer) {
        return ring.spsc ? new Spsc(ring, consumer) : new Mpsc(ring, consumer);
    }

    /** True when batch members of {@code claimant} are to be skipped: its last flush was cut short by its death. */
    final boolean voided(int claimant) {
        return (voidBatches[claimant >>> 6] & 1L << claimant) != 0;
    }

    /** A {@code LEAD} member of {@code claimant}: a batch flushed whole, whose members are delivered. */
    final void batchFlushed(int claimant) {
        voidBatches[claimant >>> 6] &= ~(1L << claimant);
    }

    /**
     * Turns what blocks the consumer at {@code head} into skipped records when whoever was writing it is gone: claimed
     * headers of a dead claimant, one after another, or a claim whose header was never written (see
     * {@link #zeroGap}). Returns true if it skipped anything; throws {@link CorruptRecordException} for a claimed
     * header out of range.
     */
    final boolean recover(long head, long nowNanos) {
        long position = head;
        int deadClaimant = -1;
        boolean skipped = false;
        while (true) {
            long tail = ring.tailAcquire(); // before the header: a zero header read after it is a claim tail covers
            if (tail - position <= 0) {
                return skipped;
            }
            int index = (int) (position & ring.mask);
            long header = ring.recordAcquire(index);
            int length = RecordDescriptor.length(header);
            int recordLength;
            int type = SKIPPED_TYPE;
            if (length < 0) {
                consumer.checkClaimed(position, index, header);
                int claimant = RecordDescriptor.claimant(header);
                if (claimant < 0 || claimant != deadClaimant && !claimantGone(position, claimant)) {
                    return skipped;
                }
                deadClaimant = claimant;
                recordLength = -length;
            } else if (length == 0) {
                long gap = zeroGap(position, tail, nowNanos);
                if (gap == 0) {
                    return skipped;
                }
                if (index + gap > ring.capacity) {
                    recordLength = ring.capacity - index; // the padding a dead producer did not write before its record
                    type = PADDING_TYPE;
                } else {
                    recordLength = (int) gap;
                }
            } else {
                return skipped;
            }
            if (!skip(index, header, type, recordLength)) {
                return skipped;
            }
            if (length < 0 && RecordDescriptor.isLead(header)) {
                voidBatches[deadClaimant >>> 6] |= 1L << deadClaimant; // died mid-flush: its members go too
            }
            skipped = true;
            position += alignedLength(recordLength);
        }
    }

    /** True when the claim at {@code position}, whose header names participant slot {@code claimant}, is gone. */
    abstract boolean claimantGone(long position, int claimant);

    /**
     * Bytes to skip at {@code position}, whose header reads zero although {@code tail} (read before it) covers it;
     * 0 while whoever claimed it may still write it.
     */
    abstract long zeroGap(long position, long tail, long nowNanos);

    /**
     * Replaces the header at {@code index}, if it is still {@code header}, with one of {@code type} for
     * {@code recordLength} bytes: {@code SKIPPED} (counted) or {@code PADDING}; false if the header changed.
     */
    private boolean skip(int index, long header, int type, int recordLength) {
        if (!ring.casRecord(index, header, header(type, recordLength))) {
            return false;
        }
        if (type == SKIPPED_TYPE) {
            ring.addSkipped(alignedLength(recordLength));
        }
        return true;
    }

    /**
     * SPSC: the gap at {@code position} is the last claim of a producer that is gone: up to the first takeover point
     * above it, where a successor went on; otherwise the registered producer's latest claim, up to {@code tail}, once
     * that producer is dead or none is registered. A claim below a takeover point was a dead producer's, whoever
     * holds its participant slot now.
     */
    static final class Spsc extends ClaimRecovery {
        Spsc(RingHeader ring, RingConsumer consumer) {
            super(ring, consumer);
        }

        /**
         * Otherwise the claim is the registered producer's while that incarnation lives (a claim naming another slot,
         * or made while none was registered, is a previous producer's).
         */
        @Override
        boolean claimantGone(long position, int claimant) {
            if (ring.takeoverAbove(position) != Long.MAX_VALUE) {
                return true;
            }
            long producer = ring.spscProducer() & ~SpscProducer.DEATH_COUNTED;
            return producer == 0 || Participants.slotOf(producer) != claimant
                    || !ring.region.participants().isAlive(producer);
        }

        @Override
        long zeroGap(long position, long tail, long nowNanos) {
            long end = ring.takeoverAbove(position);
            if (end != Long.MAX_VALUE) {
                return end - position;
            }
            long producer = ring.spscProducer() & ~SpscProducer.DEATH_COUNTED;
            if (producer != 0 && ring.region.participants().isAlive(producer)) {
                return 0;
            }
            return tail - position;
        }
    }

    /**
     * MPSC: a claim is a live producer's while the producer table says so; a zero header is the claim of a producer
     * that died between its compare-and-set and its header store, found by the announcement it made before the
     * compare-and-set; a live producer's claim is never skipped, however long it is stopped there.
     */
    static final class Mpsc extends ClaimRecovery {
        Mpsc(RingHeader ring, RingConsumer consumer) {
            super(ring, consumer);
        }

        @Override
        boolean claimantGone(long position, int claimant) {
            return ring.producers.claimGone(position, claimant);
        }

        @Override
        long zeroGap(long position, long tail, long nowNanos) {
            long end = ring.producers.deadClaimEnd(position);
            return end == 0 ? 0 : Math.min(end, tail) - position;
        }
    }
}
