package io.millrace.shm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

import static io.millrace.shm.RecordDescriptor.HEADER_LENGTH;
import static io.millrace.shm.RecordDescriptor.MAX_TYPE;
import static io.millrace.shm.RecordDescriptor.PADDING_TYPE;
import static io.millrace.shm.RecordDescriptor.SKIPPED_TYPE;
import static io.millrace.shm.RecordDescriptor.alignedLength;
import static io.millrace.shm.RecordDescriptor.header;
import static io.millrace.shm.RingDescriptor.CONSUMER_SLOT_OFFSET;
import static io.millrace.shm.RingDescriptor.HEAD_OFFSET;
import static io.millrace.shm.RingDescriptor.PRODUCERS_JOINED_OFFSET;
import static io.millrace.shm.RingDescriptor.PRODUCER_MASK_OFFSET;
import static io.millrace.shm.RingDescriptor.RELEASING_OFFSET;
import static io.millrace.shm.RingDescriptor.SKIPPED_BYTES_OFFSET;
import static io.millrace.shm.RingDescriptor.SKIPPED_RECORDS_OFFSET;
import static io.millrace.shm.RingDescriptor.SPSC_PRODUCER_SLOT_OFFSET;
import static io.millrace.shm.RingDescriptor.SPSC_TAKEOVERS_OFFSET;
import static io.millrace.shm.RingDescriptor.TAIL_OFFSET;

/**
 * A sequenced ring of variable-length records in shared memory, in the manner of the LMAX Disruptor:
 * producers claim space, write, and publish; the single consumer drains a batch and releases it with one
 * head update. Obtain one from {@link SharedRegion#ring(String)}.
 *
 * <h2>Sending</h2>
 * <ul>
 *   <li>{@link #offer(int, MemorySegment)} copies a message in, or returns {@link OfferStatus#BACK_PRESSURED}
 *   when the ring is full; it never blocks, throws for a full ring, or allocates.</li>
 *   <li>{@link #tryClaim(int, int)} reserves space and returns its offset in {@link #buffer()} (zero-copy):
 *   write the payload there, then {@link #commit(long)} or {@link #abort(long)}.</li>
 *   <li>{@link #send(int, MemorySegment, Duration)} waits for space with the ring's {@link WaitStrategy},
 *   up to a timeout, and throws {@link PeerGoneException} if the consumer has died or detached.</li>
 *   <li>{@link #batch(int)} gives a {@link Batch}: records offered through it are written at once and published
 *   together, with one release store, at {@link Batch#flush()} (or when the batch is full, or the ring is).
 *   A stream of small messages costs less per message that way, and the consumer reads whole cache lines the
 *   producer has finished with.</li>
 * </ul>
 * A message longer than {@link #maxMessageLength()} is refused with {@link MessageTooLargeException}.
 * Types are 1 to {@link #MAX_TYPE}.
 *
 * <h2>Receiving</h2>
 * {@link #poll(RecordHandler, int)} drains up to {@code limit} records without waiting;
 * {@link #receive(RecordHandler, int, Duration)} waits for at least one, up to a timeout, and throws
 * {@link PeerGoneException} once the ring is drained and every producer that has sent on it has died or
 * detached. A process becomes a producer of a ring with its first send; one that has only attached to the region
 * is not waited for.
 * The first process to poll a ring becomes its consumer; a second live one is refused.
 *
 * <p>A handle is for one consumer thread and, for SPSC, one producer thread; an MPSC handle may be shared by
 * any number of producer threads.
 *
 * <h2>Protocol</h2>
 * Positions are 64-bit byte counts that never wrap; a record never straddles the end of the buffer (a padding
 * record fills the end instead). A producer claims space beyond {@code tail} (SPSC: a release store, as it is
 * the only writer; MPSC: compare-and-set), after checking free space against a cached {@code head} that it
 * refreshes only when the cache says full. It writes the record header as <em>claimed</em> (negative length,
 * its participant slot in the top byte of the type word, see {@link RecordDescriptor}), a store-store fence,
 * the payload, and commits by replacing the whole 8-byte header with the positive length and the type in one
 * release store.
 * When a record of at most 128 bytes ends on another cache line than its header's, the producer first stores a zero
 * into the record's last word, so that it owns that line before it touches the line the consumer spins on (see
 * {@link #ownLastLine}). An SPSC {@code offer} writes no claimed header: its claim is the release store of
 * {@code tail}; then it copies the payload in and stores the final header (see {@link SpscRing}).
 *
 * <p>The consumer never reads {@code tail} on the fast path: it reads the header at {@code head} with acquire,
 * and a positive length means a complete record. It stops at the first header that is not committed (claims
 * complete out of order in MPSC). After a batch it zeroes the consumed bytes, so that a header not yet written
 * reads as 0 in the next lap, and stores the new {@code head} with release once for the whole batch. It stores where
 * that release ends in {@code releasing} before zeroing, so that a consumer taking over from one killed while zeroing
 * finishes the release (the batch is not delivered again) rather than meet zeros it cannot parse. In steady
 * state the producer's only cross-core traffic is the data it writes, and the consumer's is the data it reads
 * plus one {@code head} store per batch.
 *
 * <p>A producer killed between claim and commit leaves a header that never becomes positive. When the consumer
 * is stuck on it, it looks at the claimant the header names: if that participant is dead, the record becomes
 * a {@code SKIPPED} record (counted in {@link RingStats#skippedRecords()}, never delivered) and the ring flows on.
 * A header that reads zero although {@code tail} covers it belongs to a claim whose header is not written yet.
 * In an SPSC ring that is an offer in flight, and {@link SpscRing} knows where it ends and whether its producer is
 * gone. In an MPSC ring a producer can die in the few instructions between its compare-and-set and its header
 * store, leaving zeros: after {@link #ZERO_HEADER_TIMEOUT_NANOS} stuck with a producer dead, the consumer skips to
 * the next non-zero header (the claimed range is all zeros, as consumed space is zeroed); a producer stalled that
 * long in those few instructions while another is dead would lose its record. Otherwise a live producer's claim is
 * never skipped, however long it takes.
 */
public abstract sealed class Ring permits SpscRing, MpscRing {

    /** Largest record type; types are 1 to this. */
    public static final int MAX_TYPE = RecordDescriptor.MAX_TYPE;
    /** Most records a {@link Batch} holds before it flushes by itself. */
    public static final int MAX_BATCH_RECORDS = 4096;
    /**
     * Returned by {@link #tryClaim} when the ring has no room now: the offset-returning form of
     * {@link OfferStatus#BACK_PRESSURED}.
     */
    public static final long BACK_PRESSURED = -1;

    static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();
    static final VarHandle INT = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();
    /** Bytes of a cache line (the buffer starts on a 128-byte boundary). */
    static final int CACHE_LINE = 64;
    /** Longest record for which {@link #ownLastLine} stores into the last line first: two cache lines. */
    static final int OWN_LAST_LINE_MAX = 2 * CACHE_LINE;
    /**
     * How often a waiting call first looks at its peers' liveness; while nothing happens the interval doubles up
     * to {@link #MAX_LIVENESS_CHECK_NANOS}, so that an idle sleeper wakes about once a second (a wake to publish
     * comes from the futex, not from this timer).
     */
    static final long LIVENESS_CHECK_NANOS = 100_000_000L;
    static final long MAX_LIVENESS_CHECK_NANOS = 1_000_000_000L;

    final SharedRegion region;
    final String name;
    /** The whole region: header fields are at {@code base + *_OFFSET}. */
    final MemorySegment segment;
    final long base;
    /** The data buffer: {@code capacity} bytes of records. */
    final MemorySegment buffer;
    final int capacity;
    final long mask;
    final int maxMessageLength;
    final Signal dataSignal;
    final Signal spaceSignal;
    private final BooleanSupplier dataReady = this::hasData;
    private volatile WaitStrategy waitStrategy = WaitStrategy.blocking();
    private boolean consumerRegistered;
    private long lastLivenessCheck = System.nanoTime();
    private long livenessInterval = LIVENESS_CHECK_NANOS;
    /** How long a zero header may block the consumer, with a producer dead, before it is skipped. */
    static final long ZERO_HEADER_TIMEOUT_NANOS = 1_000_000_000L;
    /**
     * Empty polls (a power of 2) between two looks at a head stuck on a zero header; a look reads the clock and acts
     * at most every {@link #LIVENESS_CHECK_NANOS} (see {@link #onStalled}). Small enough that a consumer polling now
     * and then (every 10 ms, say) recovers a dead producer's gap in about a second, large enough that a spinning
     * consumer reads the clock (some 25 ns) only once in 64 empty polls.
     */
    private static final int STALL_CHECK_EVERY = 64;
    // consumer thread
    private long head;
    /** The highest {@code tail} the consumer has read: records that end at or before it need no further look. */
    private long tailSeen;
    /** True while a poll of this handle runs: a poll from inside its handler is refused. */
    private boolean polling;
    /** Claimants (bit per slot) whose batch the consumer found cut short by death mid-flush, see {@link Batch}. */
    private final long[] voidBatches = new long[2];
    private long stuckHead = -1;
    private long stuckSinceNanos;
    private long lastStallCheck;
    private int emptyPolls;

    Ring(SharedRegion region, String name, MemorySegment segment, long base, int capacity) {
        this.region = region;
        this.name = name;
        this.segment = segment;
        this.base = base;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.maxMessageLength = RingDescriptor.maxMessageLength(capacity);
        this.buffer = segment.asSlice(base + RingDescriptor.HEADER_LENGTH, capacity);
        this.dataSignal = new Signal(segment, base + RingDescriptor.DATA_SIGNAL_OFFSET);
        this.spaceSignal = new Signal(segment, base + RingDescriptor.SPACE_SIGNAL_OFFSET);
        this.head = headAcquire();
    }

    // ---------------------------------------------------------------- producer side

    /** Copies {@code src} into the ring as one record of {@code type}; never blocks. */
    public final OfferStatus offer(int type, MemorySegment src) {
        Objects.requireNonNull(src, "src");
        int length = checkMessage(type, src.byteSize());
        return published(type, src, null, 0, length);
    }

    /** Copies {@code length} bytes of {@code src} from {@code offset} into the ring; never blocks. */
    public final OfferStatus offer(int type, byte[] src, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(src, "src").length);
        checkMessage(type, length);
        return published(type, null, src, offset, length);
    }

    private OfferStatus published(int type, MemorySegment segment, byte[] array, int arrayOffset, int length) {
        try {
            return offerCopy(type, segment, array, arrayOffset, length) < 0
                    ? OfferStatus.BACK_PRESSURED : OfferStatus.ACCEPTED;
        } catch (IllegalStateException e) {
            throw translate(e);
        }
    }

    /**
     * Writes and publishes one record of {@code length} bytes copied from {@code segment}, or from {@code array}
     * at {@code arrayOffset} when {@code segment} is null; returns the payload's offset or {@link #BACK_PRESSURED}.
     * Arguments are checked by the caller.
     */
    long offerCopy(int type, MemorySegment segment, byte[] array, int arrayOffset, int length) {
        long index = copyIn(type, segment, array, arrayOffset, length);
        if (index >= 0) {
            publish(index, type, length + HEADER_LENGTH);
        }
        return index;
    }

    /** {@link #claim} a record of {@code length} payload bytes and copies them in (see {@link #offerCopy}). */
    private long copyIn(int type, MemorySegment segment, byte[] array, int arrayOffset, int length) {
        long index = claim(type, length);
        if (index >= 0) {
            copyPayload(segment, array, arrayOffset, index, length);
        }
        return index;
    }

    final void copyPayload(MemorySegment segment, byte[] array, int arrayOffset, long index, int length) {
        if (segment != null) {
            MemorySegment.copy(segment, 0, buffer, index, length);
        } else {
            MemorySegment.copy(array, arrayOffset, buffer, ValueLayout.JAVA_BYTE, index, length);
        }
    }

    /**
     * Reserves room for a record of {@code length} payload bytes and returns the offset in {@link #buffer()}
     * at which to write it, or {@link #BACK_PRESSURED}. The record becomes visible at {@link #commit(long)};
     * {@link #abort(long)} gives the space back unseen.
     */
    public final long tryClaim(int type, int length) {
        checkMessage(type, length);
        try {
            return claim(type, length);
        } catch (IllegalStateException e) {
            throw translate(e);
        }
    }

    /** Publishes the record claimed at {@code index}. */
    public final void commit(long index) {
        try {
            doCommit(index);
        } catch (IllegalStateException e) {
            throw translate(e);
        }
    }

    /** Discards the record claimed at {@code index}: the consumer never sees it. */
    public final void abort(long index) {
        try {
            doAbort(index);
        } catch (IllegalStateException e) {
            throw translate(e);
        }
    }

    /**
     * A batch of records published together, for one producer thread (any number of batches may be used on an
     * MPSC ring, one per thread). Each {@link #offer} copies its record into the ring at once; the consumer sees
     * none of the batch until {@link #flush()} publishes all of it with one release store. A batch flushes by
     * itself when it holds {@code maxRecords} records or a quarter of the ring's capacity in bytes (so that the
     * consumer works on one part of the ring while the producer fills the next), and before an offer returns
     * {@link OfferStatus#BACK_PRESSURED} (the consumer could never free space behind records it cannot see).
     *
     * <p>Call {@link #flush()} when the stream pauses, or use the batch in try-with-resources ({@link #close()}
     * flushes): records left unflushed are never delivered. A batch is all-or-nothing: if the process dies, or
     * closes the region, before or during a flush, the consumer skips every record of it (counted in
     * {@link RingStats#skippedRecords()}, as any claim of a dead producer) and never sees one half-written.
     *
     * <p>Records an offer of the ring itself publishes while a batch of the same thread is open come after the
     * batch in the ring, so the consumer sees them only when the batch is flushed too.
     */
    public final class Batch implements AutoCloseable {
        private final int maxRecords;
        private boolean closed;
        private final int maxBytes = capacity / 4;
        private int pending;
        private int pendingBytes;
        /** Offsets in the buffer of the unpublished records' headers, and the headers that commit them. */
        private final long[] headerIndexes;
        private final long[] headers;

        private Batch(int maxRecords) {
            this.maxRecords = Math.min(maxRecords, MAX_BATCH_RECORDS);
            // it flushes at maxBytes, so it never holds more records than fit there with empty payloads
            int most = Math.min(this.maxRecords, maxBytes / RecordDescriptor.ALIGNMENT + 1);
            headerIndexes = new long[most];
            headers = new long[most];
        }

        /** Copies {@code src} into the ring as one record of {@code type}, published at the next flush. */
        public OfferStatus offer(int type, MemorySegment src) {
            Objects.requireNonNull(src, "src");
            int length = checkMessage(type, src.byteSize());
            return stage(type, src, null, 0, length);
        }

        /** Copies {@code length} bytes of {@code src} from {@code offset}, published at the next flush. */
        public OfferStatus offer(int type, byte[] src, int offset, int length) {
            Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(src, "src").length);
            checkMessage(type, length);
            return stage(type, null, src, offset, length);
        }

        /**
         * Copies a record in under a claimed header and notes it (flushing when the batch is full), or flushes and
         * reports back-pressure. A producer that dies before the flush leaves only claims of a dead claimant, which
         * the consumer skips.
         */
        private OfferStatus stage(int type, MemorySegment segment, byte[] array, int arrayOffset, int length) {
            if (closed) {
                throw new IllegalStateException("batch of ring '" + name + "' is closed");
            }
            long index;
            try {
                index = copyIn(type, segment, array, arrayOffset, length);
            } catch (IllegalStateException e) {
                throw translate(e);
            }
            if (index < 0) {
                flush();
                return OfferStatus.BACK_PRESSURED;
            }
            headerIndexes[pending] = index - HEADER_LENGTH;
            headers[pending] = header(type, length + HEADER_LENGTH);
            pendingBytes += length + HEADER_LENGTH;
            if (++pending >= headers.length || pendingBytes >= maxBytes) {
                flush();
            }
            return OfferStatus.ACCEPTED;
        }

        /**
         * Publishes every record offered since the last flush, all together; does nothing when there is none.
         *
         * @throws ShmException if the region has been closed
         */
        public void flush() {
            if (pending == 0) {
                return;
            }
            int records = pending;
            if (records > 1) {
                try {
                    markFlushing();
                    for (int i = 1; i < records; i++) {
                        commitMember(i);
                    }
                } catch (IllegalStateException e) {
                    throw translate(e);
                }
            }
            pending = 0;
            pendingBytes = 0;
            publishHeader(headerIndexes[0], records > 1 ? member(0) : headers[0]);
        }

        /**
         * Flushes the records offered and closes the batch: further offers through it are refused. Idempotent.
         *
         * @throws ShmException if the region has been closed with records pending
         */
        @Override
        public void close() {
            if (!closed) {
                closed = true;
                flush();
            }
        }

        /*
         * The flush of n > 1 records, all-or-nothing even if the producer dies in it. Each record is claimed (see
         * RecordDescriptor's states). (1) markFlushing: the first's claimed header gains LEAD, then a store-store
         * fence. (2) commitMember: the others become batch members, committed and naming the claimant. (3) The
         * first becomes a LEAD member with one release store, and the consumer, stopped at the first all along,
         * finds the whole batch. A producer dead before (1) leaves claims only: each is skipped. Dead after (1),
         * it leaves a LEAD claim: the consumer skips it, and remembers the claimant, so that it skips that
         * claimant's members that follow too, up to a LEAD member of the same claimant (a later batch flushed whole,
         * by a successor in the same slot). Limit: two batches of one process flushed at once on one ring
         * interleave their members, and a death then can cut the one flushed whole or keep the other's members.
         */

        /** Step (1) of the flush: the first record's claimed header says that the flush has begun. */
        void markFlushing() {
            long first = headers[0];
            LONG.set(buffer, headerIndexes[0], RecordDescriptor.leadClaimedHeader(RecordDescriptor.type(first),
                    RecordDescriptor.length(first), region.slot()));
            VarHandle.storeStoreFence();
        }

        /** Step (2) of the flush, for record {@code i} > 0: commits it as a batch member. */
        void commitMember(int i) {
            LONG.set(buffer, headerIndexes[i], member(i));
        }

        private long member(int i) {
            return RecordDescriptor.batchMemberHeader(RecordDescriptor.type(headers[i]),
                    RecordDescriptor.length(headers[i]), region.slot(), i == 0);
        }

        /** Records offered and not yet published. */
        public int pending() {
            return pending;
        }

        /** Records after which the batch flushes by itself (it also does at a quarter of the capacity in bytes). */
        public int maxRecords() {
            return maxRecords;
        }

        /** The ring this batch writes to. */
        public Ring ring() {
            return Ring.this;
        }

        @Override
        public String toString() {
            return "Batch[" + Ring.this + ", maxRecords=" + maxRecords + ", pending=" + pending + "]";
        }
    }

    /**
     * A new {@link Batch} on this ring that publishes by itself every {@code maxRecords} records (at most
     * {@value #MAX_BATCH_RECORDS}; a larger value counts as that); for one producer thread.
     */
    public final Batch batch(int maxRecords) {
        if (maxRecords < 1) {
            throw new IllegalArgumentException("maxRecords=" + maxRecords + " must be at least 1");
        }
        region.checkOpen();
        return new Batch(maxRecords);
    }

    /** Commits a record this call claimed itself, whose type and length it knows: no re-reading, no checks. */
    final void publish(long index, int type, int recordLength) {
        publishHeader(index - HEADER_LENGTH, header(type, recordLength));
    }

    /** Stores a committed {@code header} at {@code headerIndex} with release, and wakes a sleeping consumer. */
    private void publishHeader(long headerIndex, long header) {
        try {
            LONG.setRelease(buffer, headerIndex, header);
            dataSignal.wakeIfWaiting();
        } catch (IllegalStateException e) {
            throw translate(e);
        }
    }

    private void doCommit(long index) {
        long header = claimedHeaderAt(index);
        LONG.setRelease(buffer, index - HEADER_LENGTH,
                header(RecordDescriptor.type(header) & MAX_TYPE, -RecordDescriptor.length(header)));
        dataSignal.wakeIfWaiting();
    }

    private void doAbort(long index) {
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

    /**
     * Writes the claimed header of a record at {@code index} (or, when {@code padding} > 0, at 0, and then a
     * padding record at {@code index} that leads the consumer there); returns the payload's offset.
     */
    final long writeClaimedHeader(int index, int padding, int type, int recordLength) {
        int at = padding > 0 ? 0 : index;
        ownLastLine(at, recordLength);
        LONG.setRelease(buffer, (long) at, RecordDescriptor.claimedHeader(type, recordLength, region.slot()));
        if (padding > 0) {
            writePadding(index, padding); // after the header at 0
        }
        VarHandle.storeStoreFence();
        return at + HEADER_LENGTH;
    }

    /** Stores a padding record of {@code padding} bytes at {@code index}, which leads the consumer to 0. */
    final void writePadding(int index, int padding) {
        LONG.setRelease(buffer, (long) index, header(PADDING_TYPE, padding));
    }

    /**
     * When a small record at {@code at} ends on another cache line than its header's, stores a zero into its last
     * word (bytes the payload or the alignment overwrite, zero until then), so that this core owns that line
     * before it writes the header's line. The consumer spins on the header's line: written last and all at once,
     * the line moves to the consumer once, instead of being read away between the header and the rest of the
     * record while this core waits for the other line. Records longer than {@link #OWN_LAST_LINE_MAX} bytes are
     * written front to back only: the early store to their end cost more in streams than it saved in round trips.
     */
    final void ownLastLine(int at, int recordLength) {
        int aligned = alignedLength(recordLength);
        int last = at + aligned - Long.BYTES;
        if (aligned <= OWN_LAST_LINE_MAX && (last ^ at) >= CACHE_LINE) {
            LONG.set(buffer, (long) last, 0L);
        }
    }

    /** FFM reports use of an unmapped segment as IllegalStateException: say which region was closed. */
    final RuntimeException translate(IllegalStateException e) {
        if (region.isClosed()) {
            return new ShmException("region '" + region.name() + "' is closed; ring '" + name
                    + "' can no longer be used", e);
        }
        return e;
    }

    /**
     * Sends a record, waiting for space up to {@code timeout}. Returns {@link OfferStatus#BACK_PRESSURED} when the
     * timeout passed with the ring still full; throws {@link PeerGoneException} when its consumer died or detached.
     */
    public final OfferStatus send(int type, MemorySegment src, Duration timeout) {
        long timeoutNanos = checkTimeout(timeout);
        if (offer(type, src) == OfferStatus.ACCEPTED) {
            livenessInterval = LIVENESS_CHECK_NANOS;
            return OfferStatus.ACCEPTED;
        }
        long deadline = System.nanoTime() + timeoutNanos;
        WaitStrategy strategy = waitStrategy;
        for (int round = 0; ; round++) {
            long seenHead = headAcquire();
            if (offer(type, src) == OfferStatus.ACCEPTED) {
                return OfferStatus.ACCEPTED;
            }
            region.checkOpen();
            long now = System.nanoTime();
            if (livenessCheckDue(now)) {
                checkConsumer();
            }
            if (now - deadline >= 0) {
                return OfferStatus.BACK_PRESSURED;
            }
            strategy.idle(round, spaceSignal, earlier(deadline, lastLivenessCheck + livenessInterval),
                    () -> headAcquire() != seenHead);
        }
    }

    /** {@link #send(int, MemorySegment, Duration)} for {@code length} bytes of {@code src} at {@code offset}. */
    public final OfferStatus send(int type, byte[] src, int offset, int length, Duration timeout) {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(src, "src").length);
        return send(type, MemorySegment.ofArray(src).asSlice(offset, length), timeout);
    }

    /**
     * Claims space for a record of {@code length} payload bytes and writes its claimed header (see
     * {@link #writeClaimedHeader}); returns the payload's offset or {@link #BACK_PRESSURED}.
     */
    abstract long claim(int type, int length);

    // ---------------------------------------------------------------- consumer side

    /**
     * Drains up to {@code limit} records into {@code handler} without waiting; returns how many. A poll from inside
     * a handler of the same ring is refused; the first poll makes this process the ring's consumer.
     */
    public final int poll(RecordHandler handler, int limit) {
        Objects.requireNonNull(handler, "handler");
        checkLimit(limit);
        if (polling) {
            throw new IllegalStateException("ring '" + name + "': poll or receive called from inside a RecordHandler"
                    + " of the same ring; the record being handled is not released yet, so a nested poll would"
                    + " deliver it again. Return from the handler and poll again");
        }
        polling = true;
        try {
            return doPoll(handler, limit);
        } catch (IllegalStateException e) {
            throw translate(e);
        } finally {
            polling = false;
        }
    }

    /**
     * The consumer's loop. The common record costs three predictable branches beyond the read of its header: its
     * length is in range (at least a header, at most the bytes to the end of the buffer), its type is a user type,
     * and it ends at or before the last {@code tail} read ({@code tail} is read again only for a record that ends
     * beyond it). Anything else takes {@link #decode}: padding, skipped records, batch members, and corrupt headers,
     * which throw before anything at or after them is delivered or released.
     */
    private int doPoll(RecordHandler handler, int limit) {
        registerConsumer();
        long start = head;
        long bytesRead = 0;
        int count = 0;
        try {
            while (count < limit && bytesRead < capacity) {
                long position = start + bytesRead;
                int index = (int) (position & mask);
                long header = (long) LONG.getAcquire(buffer, (long) index);
                int length = RecordDescriptor.length(header);
                if (length <= 0) {
                    if (length < 0) {
                        checkClaimed(position, index, header);
                    }
                    // a claimed header at once; a zero one (nothing yet, or a dead producer's gap) now and then
                    if (bytesRead == 0 && (length < 0 || (++emptyPolls & (STALL_CHECK_EVERY - 1)) == 0)) {
                        onStalled();
                    }
                    break;
                }
                int type = RecordDescriptor.type(header);
                if (Integer.compareUnsigned(length - HEADER_LENGTH, capacity - index - HEADER_LENGTH) > 0
                        || Integer.compareUnsigned(type - 1, MAX_TYPE - 1) > 0) {
                    long decoded = decode(position, index, header);
                    type = (int) (decoded >>> 32);
                    length = (int) decoded;
                }
                long end = position + alignedLength(length);
                if (end - tailSeen > 0 && end - (tailSeen = tailAcquire()) > 0) {
                    throw corrupt(position, header, "the record runs past tail=" + tailSeen);
                }
                bytesRead += alignedLength(length);
                if (type == 0) {
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

    /**
     * The slow path of {@link #doPoll} for a committed {@code header} at {@code position}: returns the type to deliver
     * (0 for none: padding, a skipped record, a member of a batch cut short) in the high int and the record length
     * in the low int, or throws {@link CorruptRecordException}.
     */
    private long decode(long position, int index, long header) {
        int length = RecordDescriptor.length(header);
        int type = RecordDescriptor.type(header);
        int recordLength = length & ~RecordDescriptor.BATCH_FLAG;
        if (recordLength - HEADER_LENGTH < 0 || recordLength > capacity - index) {
            throw corrupt(position, header, "length=" + recordLength + " must be at least " + HEADER_LENGTH
                    + " and end at or before the end of the buffer (" + (capacity - index) + " bytes on)");
        }
        if (length == recordLength) {
            if (type != PADDING_TYPE && type != SKIPPED_TYPE) {
                throw corrupt(position, header, "type=" + type + " is neither 1 to " + MAX_TYPE
                        + ", padding nor skipped");
            }
            return recordLength;
        }
        int claimant = RecordDescriptor.claimant(header);
        int userType = RecordDescriptor.userType(header);
        if (claimant < 0 || userType == 0) {
            throw corrupt(position, header, "a batch member must name its claimant and a type, found claimant="
                    + claimant + " type=" + userType);
        }
        long bit = 1L << claimant;
        if (RecordDescriptor.isLead(header)) {
            voidBatches[claimant >>> 6] &= ~bit; // a batch its producer flushed whole: its members are delivered
        } else if ((voidBatches[claimant >>> 6] & bit) != 0) {
            addSkipped(alignedLength(recordLength)); // committed by a flush its producer did not live to finish
            return recordLength;
        }
        return (long) userType << 32 | recordLength;
    }

    /** Throws unless the claimed {@code header} at {@code position} covers a record that could have been claimed. */
    private void checkClaimed(long position, int index, long header) {
        int recordLength = -RecordDescriptor.length(header);
        if (Integer.compareUnsigned(recordLength - HEADER_LENGTH, capacity - index - HEADER_LENGTH) > 0) {
            throw corrupt(position, header, "claimed length=" + recordLength + " must be at least " + HEADER_LENGTH
                    + " and end at or before the end of the buffer (" + (capacity - index) + " bytes on)");
        }
        long end = position + alignedLength(recordLength);
        if (end - tailSeen > 0 && end - (tailSeen = tailAcquire()) > 0) {
            throw corrupt(position, header, "the claimed record runs past tail=" + tailSeen);
        }
    }

    private CorruptRecordException corrupt(long position, long header, String what) {
        return new CorruptRecordException("ring '" + name + "' of region '" + region.name() + "' is corrupt at"
                + " position=" + position + ": header=0x" + Long.toHexString(header) + ": " + what
                + "; head=" + head + ", nothing from there on is delivered", name, position, header);
    }

    /**
     * Zeroes the consumed bytes, then hands them back to the producers with one release of {@code head}. Where the
     * release ends is stored first, in {@code releasing}: a consumer killed while zeroing leaves its successor a part
     * of zeros it could not parse, and the successor finishes the release instead (see {@link #registerConsumer}).
     */
    private void release(long start, long bytes) {
        head = start + bytes;
        putReleasing(head);
        int index = (int) (start & mask);
        long first = Math.min(bytes, capacity - index);
        buffer.asSlice(index, first).fill((byte) 0);
        if (first < bytes) {
            buffer.asSlice(0, bytes - first).fill((byte) 0);
        }
        putHeadRelease(head);
        spaceSignal.wakeIfWaiting();
    }

    /** The head record is not committed: now and then, see whether whoever writes it is gone. */
    private void onStalled() {
        long now = System.nanoTime();
        if (now - lastStallCheck >= LIVENESS_CHECK_NANOS) {
            lastStallCheck = now;
            recoverDeadClaim(now);
        }
    }

    /**
     * Turns what blocks the consumer at its head into skipped records when whoever was writing it is gone: claimed
     * headers of a dead claimant (one after another, as a dead producer's unflushed {@link Batch} leaves them), or a
     * claim whose header was never written (see {@link #zeroGap}). Returns true if it skipped anything.
     */
    final boolean recoverDeadClaim(long nowNanos) {
        long position = head;
        int deadClaimant = -1;
        boolean skipped = false;
        while (true) {
            long tail = tailAcquire(); // before the header: a zero header read after it is a claim tail covers
            if (tail - position <= 0) {
                return skipped;
            }
            int index = (int) (position & mask);
            long header = (long) LONG.getAcquire(buffer, (long) index);
            int length = RecordDescriptor.length(header);
            int recordLength;
            int type = SKIPPED_TYPE;
            if (length < 0) {
                int claimant = RecordDescriptor.claimant(header);
                checkClaimed(position, index, header);
                recordLength = -length;
                if (claimant < 0 || claimant != deadClaimant && !claimantGone(position, claimant)) {
                    return skipped;
                }
                deadClaimant = claimant;
            } else if (length == 0) {
                long gap = zeroGap(position, tail, nowNanos);
                if (gap == 0) {
                    return skipped;
                }
                if (index + gap > capacity) {
                    recordLength = capacity - index; // the padding a dead producer did not write before its record at 0
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
        return !region.participants().isAlive(claimant);
    }

    /**
     * Bytes to skip at {@code position}, whose header reads zero although {@code tail} (read before it) covers it;
     * 0 while whoever claimed it may still write it. Here, for MPSC: a producer died between its compare-and-set and
     * its header store, and who it was is written nowhere. After {@link #ZERO_HEADER_TIMEOUT_NANOS} stuck there while
     * some producer of the ring is dead, the gap runs to the next non-zero header (consumed space is zeroed, so the
     * dead claim is all zeros). {@link SpscRing} knows more.
     */
    long zeroGap(long position, long tail, long nowNanos) {
        if (stuckHead != position) {
            stuckHead = position;
            stuckSinceNanos = nowNanos;
            return 0;
        }
        if (nowNanos - stuckSinceNanos < ZERO_HEADER_TIMEOUT_NANOS || !anyProducerDead()) {
            return 0;
        }
        int index = (int) (position & mask);
        long limit = Math.min(tail - position, capacity - index);
        long gap = RecordDescriptor.ALIGNMENT;
        while (gap < limit && (long) LONG.getAcquire(buffer, index + gap) == 0L) {
            gap += RecordDescriptor.ALIGNMENT;
        }
        return gap;
    }

    /**
     * Replaces the header at {@code index}, if it is still {@code header}, with one of {@code type} for
     * {@code recordLength} bytes: {@code SKIPPED} (counted) or {@code PADDING}; false if the header changed.
     */
    private boolean skip(int index, long header, int type, int recordLength) {
        if (!LONG.compareAndSet(buffer, (long) index, header, header(type, recordLength))) {
            return false;
        }
        if (type == SKIPPED_TYPE) {
            addSkipped(alignedLength(recordLength));
        }
        return true;
    }

    private boolean anyProducerDead() {
        for (long bits = producerSlots(); bits != 0; bits &= bits - 1) {
            if (!region.participants().isAlive(Long.numberOfTrailingZeros(bits))) {
                return true;
            }
        }
        return false;
    }

    /** The participant slots of the producers registered now, one bit each. */
    abstract long producerSlots();

    /**
     * Waits up to {@code timeout} for records and drains up to {@code limit} of them; returns how many (0 when
     * the timeout passed). Throws {@link PeerGoneException} when the ring is drained and every producer that
     * attached has died or detached.
     */
    public final int receive(RecordHandler handler, int limit, Duration timeout) {
        long timeoutNanos = checkTimeout(timeout);
        int received = poll(handler, limit);
        if (received > 0) {
            livenessInterval = LIVENESS_CHECK_NANOS;
            return received;
        }
        long deadline = System.nanoTime() + timeoutNanos;
        WaitStrategy strategy = waitStrategy;
        for (int round = 0; ; round++) {
            received = poll(handler, limit);
            if (received > 0) {
                return received;
            }
            region.checkOpen();
            long now = System.nanoTime();
            if (livenessCheckDue(now)) {
                onConsumerIdle(now);
            }
            if (now - deadline >= 0) {
                return 0;
            }
            strategy.idle(round, dataSignal, earlier(deadline, lastLivenessCheck + livenessInterval), dataReady);
        }
    }

    /** True when a record is ready for the consumer. */
    private boolean hasData() {
        return RecordDescriptor.length((long) LONG.getAcquire(buffer, head & mask)) > 0;
    }

    /** Called while the consumer waits: recover dead producers' claims, notice that all producers are gone. */
    private void onConsumerIdle(long nowNanos) {
        if (!recoverDeadClaim(nowNanos) && tailAcquire() - head <= 0) {
            checkProducersGone(producerSlots());
        }
    }

    // ---------------------------------------------------------------- configuration and state

    /** How blocking calls on this handle wait; {@link WaitStrategy#blocking()} unless set. */
    public final Ring waitStrategy(WaitStrategy strategy) {
        this.waitStrategy = Objects.requireNonNull(strategy, "strategy");
        return this;
    }

    public final WaitStrategy waitStrategy() {
        return waitStrategy;
    }

    public final String name() {
        return name;
    }

    /** Data capacity in bytes. */
    public final int capacity() {
        return capacity;
    }

    /** Largest payload accepted: an eighth of the capacity less the 8-byte record header. */
    public final int maxMessageLength() {
        return maxMessageLength;
    }

    /**
     * The largest payload a ring of {@code capacity} bytes accepts: an eighth of the capacity less the 8-byte record
     * header (so that padding at the end of the buffer never wastes more than an eighth of it).
     *
     * @param capacity a ring's data capacity: a power of two from 1 KiB to 1 GiB
     * @return the largest message length {@code offer}, {@code tryClaim} and {@code send} accept on such a ring
     * @throws IllegalArgumentException if {@code capacity} is not a valid ring capacity
     */
    public static int maxMessageLength(int capacity) {
        if (Integer.bitCount(capacity) != 1 || capacity < RingDescriptor.MIN_CAPACITY
                || capacity > RingDescriptor.MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity=" + capacity + " must be a power of two from "
                    + RingDescriptor.MIN_CAPACITY + " to " + RingDescriptor.MAX_CAPACITY);
        }
        return RingDescriptor.maxMessageLength(capacity);
    }

    /** The data buffer; {@link #tryClaim} offsets and {@link RecordHandler} offsets point into it. */
    public final MemorySegment buffer() {
        return buffer;
    }

    /** A snapshot of the ring's counters and peers. */
    public final RingStats stats() {
        return RingStats.read(name, this instanceof SpscRing ? RegionSpec.Kind.SPSC_RING : RegionSpec.Kind.MPSC_RING,
                segment, base, region.participants());
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + region.name() + "/" + name + ", capacity=" + capacity + "]";
    }

    // ---------------------------------------------------------------- shared machinery

    final int checkMessage(int type, long length) {
        if (type < 1 || type > MAX_TYPE) {
            throw new IllegalArgumentException("type=" + type + " must be between 1 and " + MAX_TYPE);
        }
        if (length > maxMessageLength) {
            throw new MessageTooLargeException("message length=" + length + " exceeds maxMessageLength="
                    + maxMessageLength + " of ring '" + name + "' (capacity=" + capacity
                    + "); create the ring with a capacity of at least 8x the largest message", length, maxMessageLength);
        }
        if (length < 0) {
            throw new IllegalArgumentException("length=" + length + " must not be negative");
        }
        return (int) length;
    }

    static long checkTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout=" + timeout + " must not be negative");
        }
        return timeout.compareTo(Duration.ofDays(365)) > 0 ? Duration.ofDays(365).toNanos() : timeout.toNanos();
    }

    static int checkLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit=" + limit + " must be at least 1");
        }
        return limit;
    }

    /** True when a waiting call should look at its peers now; then backs the next look off, up to a second. */
    private boolean livenessCheckDue(long now) {
        if (now - lastLivenessCheck < livenessInterval) {
            return false;
        }
        lastLivenessCheck = now;
        livenessInterval = Math.min(livenessInterval * 2, MAX_LIVENESS_CHECK_NANOS);
        return true;
    }

    private static long earlier(long a, long b) {
        return a - b < 0 ? a : b;
    }

    final long tailAcquire() {
        return (long) LONG.getAcquire(segment, base + TAIL_OFFSET);
    }

    final void putTailRelease(long value) {
        LONG.setRelease(segment, base + TAIL_OFFSET, value);
    }

    final boolean casTail(long expected, long value) {
        return LONG.compareAndSet(segment, base + TAIL_OFFSET, expected, value);
    }

    final long headAcquire() {
        return (long) LONG.getAcquire(segment, base + HEAD_OFFSET);
    }

    final void putHeadRelease(long value) {
        LONG.setRelease(segment, base + HEAD_OFFSET, value);
    }

    final long releasingAcquire() {
        return (long) LONG.getAcquire(segment, base + RELEASING_OFFSET);
    }

    /** Stores where the release under way ends, ahead of every store of its zeroing. */
    final void putReleasing(long value) {
        LONG.set(segment, base + RELEASING_OFFSET, value);
        VarHandle.storeStoreFence();
    }

    final void addSkipped(int alignedLength) {
        long ignored = (long) LONG.getAndAdd(segment, base + SKIPPED_RECORDS_OFFSET, 1L);
        ignored = (long) LONG.getAndAdd(segment, base + SKIPPED_BYTES_OFFSET, (long) alignedLength);
    }

    /** Makes this process the ring's consumer, once; refuses when another live process is. */
    final void registerConsumer() {
        if (consumerRegistered) {
            return;
        }
        int mine = region.slot() + 1;
        while (true) {
            int current = (int) INT.getVolatile(segment, base + CONSUMER_SLOT_OFFSET);
            if (current == mine) {
                break;
            }
            if (current > 0 && region.participants().isAlive(current - 1)) {
                long holder = region.participants().pid(current - 1);
                throw new RoleTakenException("ring '" + name + "' already has a consumer: pid " + holder
                        + "; an SPSC or MPSC ring has one consumer", name, RoleTakenException.Role.CONSUMER, holder);
            }
            if (INT.compareAndSet(segment, base + CONSUMER_SLOT_OFFSET, current, mine)) {
                break;
            }
        }
        head = headAcquire(); // another consumer may have moved it since this handle was made
        long releasing = releasingAcquire();
        if (releasing - head > 0) {
            release(head, releasing - head); // a dead consumer's release, cut short while zeroing: finish it
        }
        consumerRegistered = true;
        region.onRegistered(this);
    }

    /** Called by the region at close: this process stops being the consumer and producer of this ring. */
    void deregister() {
        int mine = region.slot() + 1;
        if (consumerRegistered) {
            boolean ignored = INT.compareAndSet(segment, base + CONSUMER_SLOT_OFFSET, mine, -1);
        }
        deregisterProducer();
    }

    abstract void deregisterProducer();

    /** Throws when the consumer has died or detached, for a producer blocked on a full ring. */
    private void checkConsumer() {
        int consumer = (int) INT.getVolatile(segment, base + CONSUMER_SLOT_OFFSET);
        if (consumer == -1) {
            throw new PeerGoneException("the consumer of ring '" + name + "' has detached; the ring is full ("
                    + "capacity=" + capacity + ")", false);
        }
        if (consumer > 0 && !region.participants().seemsAlive(consumer - 1)) {
            throw new PeerGoneException("the consumer of ring '" + name + "' (pid "
                    + region.participants().pid(consumer - 1) + ") died; the ring is full (capacity=" + capacity
                    + ")", true);
        }
    }

    /**
     * Throws when producers joined and none is left alive and attached. {@code slots} are the producers'
     * participant slots still registered.
     */
    final void checkProducersGone(long slots) {
        long joined = (long) LONG.getVolatile(segment, base + PRODUCERS_JOINED_OFFSET);
        if (joined == 0) {
            return; // no producer has come yet: keep waiting for one
        }
        List<Long> dead = new ArrayList<>();
        for (long bits = slots; bits != 0; bits &= bits - 1) {
            int slot = Long.numberOfTrailingZeros(bits);
            if (region.participants().seemsAlive(slot)) {
                return;
            }
            dead.add(region.participants().pid(slot));
        }
        throw new PeerGoneException(dead.isEmpty()
                ? "all " + joined + " producer(s) of ring '" + name + "' have detached and the ring is drained"
                : "the producers of ring '" + name + "' are gone (died: pid "
                  + dead.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "))
                  + ") and the ring is drained", !dead.isEmpty());
    }

    final long producerMask() {
        return (long) LONG.getVolatile(segment, base + PRODUCER_MASK_OFFSET);
    }

    final void addProducerJoined() {
        long ignored = (long) LONG.getAndAdd(segment, base + PRODUCERS_JOINED_OFFSET, 1L);
    }

    final int spscProducerSlot() {
        return (int) INT.getVolatile(segment, base + SPSC_PRODUCER_SLOT_OFFSET);
    }

    /** Entry {@code i} of the SPSC takeover table (see {@link SpscRing}): a tail position, 0 when unused. */
    final long spscTakeover(int i) {
        return (long) LONG.getAcquire(segment, base + SPSC_TAKEOVERS_OFFSET + (long) i * Long.BYTES);
    }

    final boolean casSpscTakeover(int i, long expected, long value) {
        return LONG.compareAndSet(segment, base + SPSC_TAKEOVERS_OFFSET + (long) i * Long.BYTES, expected, value);
    }

    final boolean casSpscProducerSlot(int expected, int value) {
        return INT.compareAndSet(segment, base + SPSC_PRODUCER_SLOT_OFFSET, expected, value);
    }

    final boolean casProducerMask(long expected, long value) {
        return LONG.compareAndSet(segment, base + PRODUCER_MASK_OFFSET, expected, value);
    }
}
