package io.millrace.shm;

import static io.millrace.shm.RecordDescriptor.PADDING_TYPE;
import static io.millrace.shm.RecordDescriptor.SKIPPED_TYPE;
import static io.millrace.shm.RecordDescriptor.alignedLength;
import static io.millrace.shm.RecordDescriptor.header;

/**
 * The consumer's recovery of what dead producers leave at its head; used by the consumer thread only.
 *
 * <p>A producer killed between claim and commit leaves a header that never becomes committed. When the consumer is
 * stuck on it, it looks at the claimant the header names: if that participant is dead, the record becomes a
 * {@code SKIPPED} record (counted in {@link RingStats#skippedRecords()}, never delivered) and the ring flows on. A
 * live producer's claim is never skipped, however long it takes. Claims of one dead claimant that follow each other
 * (a dead producer's unflushed {@link Ring.Batch}) go in one pass. A dead claim with {@code LEAD} (a flush cut short)
 * also voids that claimant's batch members that follow (see {@link RecordDescriptor}), until its next {@code LEAD}
 * member.
 *
 * <p>A header that reads zero although {@code tail} covers it belongs to a claim whose header is not written yet.
 * In an SPSC ring that is an offer in flight, and {@link Spsc} knows where it ends and whether its producer is gone
 * (see {@link SpscProducer}). In an MPSC ring a producer can die in the few instructions between its
 * compare-and-set and its header store, leaving zeros: after {@link #ZERO_HEADER_TIMEOUT_NANOS} stuck with a producer
 * dead, the consumer skips to the next non-zero header (the claimed range is all zeros, as consumed space is zeroed);
 * a producer stalled that long in those few instructions while another is dead would lose its record.
 */
abstract sealed class ClaimRecovery permits ClaimRecovery.Spsc, ClaimRecovery.Mpsc {
    /** How long a zero header may block the consumer, with a producer dead, before it is skipped (MPSC). */
    static final long ZERO_HEADER_TIMEOUT_NANOS = 1_000_000_000L;

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

    /** True when the participant that claimed the record at {@code position} is gone. */
    boolean claimantGone(long position, int claimant) {
        return !ring.region.participants().isAlive(claimant);
    }

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

        @Override
        boolean claimantGone(long position, int claimant) {
            return ring.takeoverAbove(position) != Long.MAX_VALUE || super.claimantGone(position, claimant);
        }

        @Override
        long zeroGap(long position, long tail, long nowNanos) {
            long end = ring.takeoverAbove(position);
            if (end != Long.MAX_VALUE) {
                return end - position;
            }
            int producer = ring.spscProducerSlot();
            if (producer > 0 && ring.region.participants().isAlive(producer - 1)) {
                return 0;
            }
            return tail - position;
        }
    }

    /**
     * MPSC: a producer died between its compare-and-set and its header store, and who it was is written nowhere.
     * After {@link #ZERO_HEADER_TIMEOUT_NANOS} stuck there while some producer of the ring is dead, the gap runs to
     * the next non-zero header (consumed space is zeroed, so the dead claim is all zeros).
     */
    static final class Mpsc extends ClaimRecovery {
        private long stuckHead = -1;
        private long stuckSinceNanos;

        Mpsc(RingHeader ring, RingConsumer consumer) {
            super(ring, consumer);
        }

        @Override
        long zeroGap(long position, long tail, long nowNanos) {
            if (stuckHead != position) {
                stuckHead = position;
                stuckSinceNanos = nowNanos;
                return 0;
            }
            if (nowNanos - stuckSinceNanos < ZERO_HEADER_TIMEOUT_NANOS || !anyProducerDead()) {
                return 0;
            }
            int index = (int) (position & ring.mask);
            long limit = Math.min(tail - position, ring.capacity - index);
            long gap = RecordDescriptor.ALIGNMENT;
            while (gap < limit && ring.recordAcquire(index + gap) == 0L) {
                gap += RecordDescriptor.ALIGNMENT;
            }
            return gap;
        }

        private boolean anyProducerDead() {
            for (long bits = ring.producerSlots(); bits != 0; bits &= bits - 1) {
                if (!ring.region.participants().isAlive(Long.numberOfTrailingZeros(bits))) {
                    return true;
                }
            }
            return false;
        }
    }
}
