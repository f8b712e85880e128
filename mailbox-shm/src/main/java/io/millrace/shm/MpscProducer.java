package io.millrace.shm;

import static io.millrace.shm.RecordDescriptor.HEADER_LENGTH;
import static io.millrace.shm.RecordDescriptor.alignedLength;

/**
 * Multi-producer producer side: any number of producer threads in any number of processes, claiming by
 * compare-and-set on {@code tail}. Every claim writes a claimed header (see {@link RingProducer#writeClaimedHeader});
 * claims complete out of order, and the consumer stops at the first one not committed.
 *
 * <h2>Zeroing ahead of the claims (layout 6)</h2>
 * A header that a claim has not written yet must read zero (docs/ARCHITECTURE.md I4, I6), and a claim may start on
 * any word of the last lap's records. The consumer does not zero what it releases (it used to, once per poll: its
 * stores took every line of a record from the producer's cache and the producer took them back a lap later).
 * Instead the ring's {@code cleaned} word says up to where the space ahead of {@code tail} is zero (at creation the
 * capacity: a new file is zero, so the first lap is claimed without zeroing), and producers
 * claim only below it, keeping {@value #TERMINATOR} bytes free after each claim, so that the word at {@code tail}
 * is zero at all times. A claim that comes within half a chunk ({@code capacity / 32}) of {@code cleaned}, or past
 * it, zeroes the next chunk first (as far as the consumer has released), in the manner of Aeron's term cleaning:
 * it takes the ring's {@code cleaner} word (its participant reference, by compare-and-set from 0, or from a
 * reference that is dead), re-reads {@code cleaned}, zeroes from there, stores the new {@code cleaned} with release
 * (every zero before it) and frees the word. Only the holder writes {@code cleaned}, and no claim reaches the bytes
 * it zeroes until that release, so no zero store can land on a record. Its process's claim window is held
 * meanwhile, so its other threads cannot clean at once with it. A claim that finds another live producer cleaning
 * goes on below {@code cleaned} if it fits, otherwise it is back-pressured (never blocked) until that producer's
 * wake of {@code spaceSignal}. A cleaner that dies leaves {@code cleaned} where it was; the next one zeroes the same
 * bytes again. The consumer only stores {@code head}.
 */
final class MpscProducer extends RingProducer {
    /** Spins on the claim window a sibling thread holds before yielding. */
    private static final int WINDOW_SPINS = 64;
    /** Bytes kept free after the latest claim: the zero word the next claim's header goes into. */
    static final int TERMINATOR = Long.BYTES;
    /** A cleaning zeroes at least {@code capacity >>> CLEAN_CHUNK_SHIFT} bytes (see the class comment). */
    private static final int CLEAN_CHUNK_SHIFT = 4;
    private final int cleanChunk;
    private volatile boolean registered;
    /** This process's claim window in the producer table (see {@link ProducerTable}). */
    private final long window;
    private final long windowEnd;

    MpscProducer(Ring ring, RingHeader header) {
        super(ring, header);
        this.window = header.producers.announceOffset(header.region.slot());
        this.windowEnd = header.producers.announceEndOffset(header.region.slot());
        this.cleanChunk = capacity >>> CLEAN_CHUNK_SHIFT;
    }

    /** The consumer had passed {@code cleaned - capacity} when that was zeroed. */
    @Override
    long headSeen() {
        return header.cleanedAcquire() - capacity;
    }

    /**
     * Claims by compare-and-set on {@code tail}, inside this process's claim window: the claim's start and end are
     * announced before each compare-and-set and withdrawn after the claimed header is stored, so that the consumer
     * can tell a dead producer's zero header from a live one's (see {@link ProducerTable}); and only below
     * {@code cleaned} (see the class comment).
     */
    @Override
    long claim(int type, int length) {
        if (!registered && !registerProducer()) {
            return Ring.BACK_PRESSURED;
        }
        int recordLength = length + HEADER_LENGTH;
        int aligned = alignedLength(recordLength);
        long cleaned = header.cleanedAcquire();
        long position;
        int index;
        int padding;
        long required;
        enterWindow();
        try {
            header.region.checkOpen(); // closed while it waited: a close waits only for windows taken before it
            do {
                position = header.tailAcquire();
                index = (int) (position & mask);
                int toEnd = capacity - index;
                padding = aligned <= toEnd ? 0 : toEnd;
                required = (long) padding + aligned;
                long end = position + required + TERMINATOR;
                if (cleaned - end < cleanChunk >>> 1) {
                    cleaned = clean(end);
                    if (end - cleaned > 0) {
                        return Ring.BACK_PRESSURED;
                    }
                }
                header.announceClaim(window, windowEnd, position, position + required);
            } while (!header.casTail(position, position + required));
            return writeClaimedHeader(index, padding, type, recordLength);
        } finally {
            header.releaseWindow(window);
        }
    }

    /**
     * Zeroes the space ahead of the claims up to a chunk beyond {@code cleaned}, and at least to {@code end}, as far
     * as the consumer has released it, unless another live producer is doing so (see the class comment); returns
     * {@code cleaned} as it is then. Called with this process's claim window held.
     */
    private long clean(long end) {
        long head = header.headAcquire();
        long cleaned = header.cleanedAcquire();
        if (end - (head + capacity) > 0 || cleaned - (head + capacity) >= 0) {
            return cleaned; // full: nothing released to zero, or not enough for this claim (no shared store)
        }
        long mine = header.region.ref();
        long holder = header.cleaner();
        if (holder != 0 && holder != mine && header.region.participants().seemsAlive(holder)
                || !header.casCleaner(holder, mine)) {
            return header.cleanedAcquire();
        }
        try {
            long from = header.cleanedAcquire();
            long to = Math.min(head + capacity, Math.max(end, from + cleanChunk));
            if (to - from <= 0) {
                return from;
            }
            int index = (int) (from & mask);
            long bytes = to - from;
            long first = Math.min(bytes, capacity - index);
            buffer.asSlice(index, first).fill((byte) 0);
            if (first < bytes) {
                buffer.asSlice(0, bytes - first).fill((byte) 0);
            }
            if (!header.casCleaned(from, to)) {
                return header.cleanedAcquire();
            }
            header.spaceSignal.wakeIfWaiting();
            return to;
        } finally {
            boolean ignored = header.casCleaner(mine, 0L);
        }
    }

    /**
     * Waits for this process's claim window to be idle: a claim (or zeroing) under way ends; one that takes it from
     * now on sees the region closed ({@link #claim}: the window's CAS, then the check).
     */
    @Override
    void awaitClaimsEnded(long deadlineNanos) {
        while (!header.windowIdle(window) && System.nanoTime() - deadlineNanos < 0) {
            Thread.yield();
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
