package io.millrace.shm;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static io.millrace.shm.RecordDescriptor.HEADER_LENGTH;
import static io.millrace.shm.RecordDescriptor.MAX_TYPE;
import static io.millrace.shm.RecordDescriptor.PADDING_TYPE;
import static io.millrace.shm.RecordDescriptor.SKIPPED_TYPE;
import static io.millrace.shm.RecordDescriptor.alignedLength;
import static io.millrace.shm.RecordDescriptor.claimedHeader;
import static io.millrace.shm.RecordDescriptor.header;

/**
 * Multi-producer single-consumer ring: any number of producer threads in any number of processes.
 *
 * <h2>Protocol</h2>
 * A producer claims space by compare-and-set on {@code tail} (after checking free space against a shared,
 * lazily refreshed {@code headCache}), then writes the record header as <em>claimed</em>: negative length,
 * and its participant slot in the top byte of the type word; a store-store fence keeps that header ahead of
 * the payload. It writes the payload, then commits by replacing the whole 8-byte header with the positive
 * length and bare type in one release store ({@link RecordDescriptor}). Because claims can complete out of
 * order, the consumer does not trust {@code tail}: it reads each header at {@code head} with acquire and stops
 * at the first that is not committed. After a batch it zeroes the consumed bytes (so that an unwritten header
 * reads as 0 next lap) and releases {@code head} once.
 *
 * <h2>Dead producers</h2>
 * A producer killed between claim and commit leaves a header that never becomes positive. When the consumer
 * is stuck on such a header it looks at the claimant recorded in it: if that participant is dead, the record
 * is turned into a {@code SKIPPED} record (counted in {@code skippedRecords}, never delivered) and the ring
 * flows on. The narrower window in which a producer dies after its compare-and-set but before writing the
 * header leaves zeros: after {@link #ZERO_HEADER_TIMEOUT_NANOS} with some producer dead, the consumer skips
 * to the next non-zero header (the claimed range is all zeros, as consumed space is zeroed).
 */
final class MpscRing extends Ring {
    /** How long a zero header may block the consumer, with a producer dead, before it is skipped. */
    static final long ZERO_HEADER_TIMEOUT_NANOS = 1_000_000_000L;

    private volatile boolean producerRegistered;
    // consumer thread
    private long head;
    private long stuckHead = -1;
    private long stuckSinceNanos;
    private long lastStallCheck;

    MpscRing(SharedRegion region, String name, MemorySegment segment, long base, int capacity) {
        super(region, name, segment, base, capacity);
        this.head = headAcquire();
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
        int toEnd;
        long required;
        do {
            position = tailAcquire();
            index = (int) (position & mask);
            toEnd = capacity - index;
            required = aligned <= toEnd ? aligned : (long) toEnd + aligned;
            if (position + required - headCache > capacity) {
                headCache = headAcquire();
                if (position + required - headCache > capacity) {
                    return BACK_PRESSURED;
                }
                putHeadCacheOpaque(headCache);
            }
        } while (!casTail(position, position + required));
        if (aligned > toEnd) {
            LONG.setRelease(buffer, (long) index, header(PADDING_TYPE, toEnd));
            index = 0;
        }
        LONG.set(buffer, (long) index, claimedHeader(type, recordLength, region.slot()));
        VarHandle.storeStoreFence();
        return index + HEADER_LENGTH;
    }

    @Override
    void doCommit(long index) {
        long headerIndex = index - HEADER_LENGTH;
        long header = claimedHeaderAt(index);
        LONG.setRelease(buffer, headerIndex, header(RecordDescriptor.type(header) & MAX_TYPE,
                -RecordDescriptor.length(header)));
        dataSignal.wakeIfWaiting();
    }

    @Override
    void doAbort(long index) {
        long header = claimedHeaderAt(index);
        LONG.setRelease(buffer, index - HEADER_LENGTH, header(PADDING_TYPE, -RecordDescriptor.length(header)));
        dataSignal.wakeIfWaiting();
    }

    private long claimedHeaderAt(long index) {
        if (index < HEADER_LENGTH || index >= capacity || (index & (RecordDescriptor.ALIGNMENT - 1)) != 0) {
            throw new IllegalArgumentException("ring '" + name + "': index=" + index + " is not a claim index");
        }
        long header = (long) LONG.get(buffer, index - HEADER_LENGTH);
        if (RecordDescriptor.length(header) >= 0 || RecordDescriptor.claimant(header) != region.slot()) {
            throw new IllegalStateException("ring '" + name + "': no open claim of this process at index=" + index);
        }
        return header;
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
    int doPoll(RecordHandler handler, int limit) {
        registerConsumer();
        long start = head;
        long bytesRead = 0;
        int count = 0;
        try {
            while (count < limit && bytesRead < capacity) {
                int index = (int) ((start + bytesRead) & mask);
                long header = (long) LONG.getAcquire(buffer, (long) index);
                int length = RecordDescriptor.length(header);
                if (length <= 0) {
                    if (length < 0 && bytesRead == 0) {
                        onStalled();
                    }
                    break;
                }
                int type = RecordDescriptor.type(header);
                bytesRead += alignedLength(length);
                if (type >= PADDING_TYPE) {
                    continue;
                }
                count++;
                handler.onRecord(type, buffer, index + HEADER_LENGTH, length - HEADER_LENGTH);
            }
        } finally {
            if (bytesRead > 0) {
                release(start, bytesRead);
            }
        }
        return count;
    }

    /** Zeroes the consumed bytes, then hands them back to the producers with one release of {@code head}. */
    private void release(long start, long bytes) {
        int index = (int) (start & mask);
        long first = Math.min(bytes, capacity - index);
        buffer.asSlice(index, first).fill((byte) 0);
        if (first < bytes) {
            buffer.asSlice(0, bytes - first).fill((byte) 0);
        }
        head = start + bytes;
        putHeadRelease(head);
        spaceSignal.wakeIfWaiting();
    }

    /** The head record is claimed but not committed: now and then, see whether its claimant died. */
    private void onStalled() {
        long now = System.nanoTime();
        if (now - lastStallCheck >= LIVENESS_CHECK_NANOS) {
            lastStallCheck = now;
            recoverDeadClaim(now);
        }
    }

    @Override
    boolean hasData() {
        return RecordDescriptor.length((long) LONG.getAcquire(buffer, head & mask)) > 0;
    }

    @Override
    void onConsumerIdle(long nowNanos) {
        if (recoverDeadClaim(nowNanos)) {
            return;
        }
        if (tailAcquire() == head) {
            checkProducersGone(producerMask());
        }
    }

    /** Turns the uncommitted record at the head into a skipped one if its claimant is dead; true if it did. */
    boolean recoverDeadClaim(long nowNanos) {
        long position = head;
        long tail = tailAcquire();
        if (tail == position) {
            return false;
        }
        int index = (int) (position & mask);
        long header = (long) LONG.getAcquire(buffer, (long) index);
        int length = RecordDescriptor.length(header);
        if (length > 0) {
            return false;
        }
        if (length < 0) {
            int claimant = RecordDescriptor.claimant(header);
            if (claimant >= 0 && !region.participants().isAlive(claimant)) {
                skip(index, -length);
                return true;
            }
            return false;
        }
        if (stuckHead != position) {
            stuckHead = position;
            stuckSinceNanos = nowNanos;
            return false;
        }
        if (nowNanos - stuckSinceNanos < ZERO_HEADER_TIMEOUT_NANOS || !anyProducerDead()) {
            return false;
        }
        long limit = Math.min(tail - position, capacity - index);
        long gap = RecordDescriptor.ALIGNMENT;
        while (gap < limit && (long) LONG.getAcquire(buffer, index + gap) == 0L) {
            gap += RecordDescriptor.ALIGNMENT;
        }
        skip(index, (int) gap);
        return true;
    }

    private void skip(int index, int recordLength) {
        LONG.setRelease(buffer, (long) index, header(SKIPPED_TYPE, recordLength));
        addSkipped(alignedLength(recordLength));
    }

    private boolean anyProducerDead() {
        for (long bits = producerMask(); bits != 0; bits &= bits - 1) {
            if (!region.participants().isAlive(Long.numberOfTrailingZeros(bits))) {
                return true;
            }
        }
        return false;
    }

    private long headCacheOpaque() {
        return (long) LONG.getOpaque(segment, base + RingDescriptor.HEAD_CACHE_OFFSET);
    }

    private void putHeadCacheOpaque(long value) {
        LONG.setOpaque(segment, base + RingDescriptor.HEAD_CACHE_OFFSET, value);
    }
}
