package io.millrace.shm;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;

import static io.millrace.shm.RecordDescriptor.HEADER_LENGTH;

/**
 * A sequenced ring of variable-length records in shared memory, in the manner of the LMAX Disruptor: producers
 * claim space, write, and publish; the single consumer drains a batch and releases it with one head update. Obtain
 * one from {@link SharedRegion#ring(String)}: the same handle on every call in a process.
 *
 * <h2>Sending</h2>
 * <ul>
 *   <li>{@link #offer(int, MemorySegment)} copies a message in, or returns {@link OfferStatus#BACK_PRESSURED}
 *   when the ring is full; it never blocks, throws for a full ring, or allocates.</li>
 *   <li>{@link #tryClaim(int, int)} reserves space and returns its offset in {@link #buffer()} (zero-copy):
 *   write the payload there, then {@link #commit(long)}, or {@link #abort(long)} if writing failed:
 *   <pre>{@code
 *   long index = ring.tryClaim(TYPE, 8);
 *   if (index != Ring.BACK_PRESSURED) {
 *       try {
 *           ring.buffer().set(ValueLayout.JAVA_LONG_UNALIGNED, index, value);
 *           ring.commit(index);
 *       } catch (RuntimeException e) {
 *           ring.abort(index);
 *           throw e;
 *       }
 *   }
 *   }</pre></li>
 *   <li>{@link #send(int, MemorySegment, Duration)} waits for space with the ring's {@link WaitStrategy}, up to a
 *   timeout, and throws {@link PeerGoneException} if the consumer has died or detached.</li>
 *   <li>{@link #batch(int)} gives a {@link Batch}: records offered through it are written at once and published
 *   together at {@link Batch#flush()} (or when the batch or the ring is full): cheaper for streams of small ones.</li>
 * </ul>
 * A full ring has one name: {@link OfferStatus#BACK_PRESSURED}, and {@link #BACK_PRESSURED} from {@code tryClaim}. A
 * message longer than {@link #maxMessageLength()} (see {@link #maxMessageLength(int)}) is refused with
 * {@link MessageTooLargeException}. Types are 1 to {@link #MAX_TYPE}.
 *
 * <h2>Receiving</h2>
 * {@link #poll(RecordHandler, int)} drains up to {@code limit} records without waiting;
 * {@link #receive(RecordHandler, int, Duration)} waits for at least one, up to a timeout. The first process to poll a
 * ring becomes its consumer; while it lives, any other gets
 * {@link RoleTakenException}, as does a second live producer of an SPSC ring. A poll from inside a handler of the
 * same ring is refused. A record header that breaks the protocol (shared memory written by something else) stops the
 * consumer with {@link CorruptRecordException}.
 *
 * <h2>End of stream</h2>
 * A process becomes a producer of a ring with {@link #joinAsProducer()} or its first send (one that has only
 * attached to the region is not waited for), and stops being one with {@link #leaveAsProducer()} or by closing its
 * region. Once producers have joined, the ring is drained, and none is left:
 * <ul>
 *   <li>if they all left on purpose, that is the end of the stream: {@link #receive} returns
 *   {@link #END_OF_STREAM} and {@link #isEndOfStream()} is true (a producer that joins later starts a new
 *   stream);</li>
 *   <li>if one of them died (killed, crashed) since the consumer was last told, {@link #receive} throws
 *   {@link PeerGoneException} with {@link PeerGoneException#died()} true, once; after that it is the end of the
 *   stream again.</li>
 * </ul>
 * A consumer never sees the end before a producer has joined: join before the first send when the consumer may
 * look first. Leaving or closing aborts the handle's open claims and unflushed batches (flush first to deliver
 * them), so the consumer is never left waiting on them.
 *
 * <h2>Threads</h2>
 * The ring's sending methods are those of its {@link #producer()}, its receiving methods those of its
 * {@link #consumer()}. Each side's state lies on cache lines of its own, so one thread may produce and another consume
 * the same ring in one process at full speed. The consumer is for one thread; an SPSC producer is for one thread; an
 * MPSC producer may be shared by any number of threads.
 *
 * <h2>Failures</h2>
 * A producer that dies with a claim open, a batch unflushed or a flush half done loses those records: the consumer
 * skips them once the claimant is seen dead (counted in {@link RingStats#skippedRecords()}) and never delivers one
 * half-written. A live producer's claim is never skipped, however long it takes. A consumer that dies is replaced by
 * the next process to poll, which goes on after the last batch the dead one released.
 */
public final class Ring {
    /** Largest record type; types are 1 to this. */
    public static final int MAX_TYPE = RecordDescriptor.MAX_TYPE;
    /** Most records a {@link Batch} holds before it flushes by itself. */
    public static final int MAX_BATCH_RECORDS = 4096;
    /** Returned by {@link #tryClaim} when the ring has no room now: {@link OfferStatus#BACK_PRESSURED} as an offset. */
    public static final long BACK_PRESSURED = -1;
    /** Returned by {@link #receive} when every producer has left on purpose and the ring is drained. */
    public static final int END_OF_STREAM = -1;

    private final RingHeader header;
    private final RingProducer producer;
    private final RingConsumer consumer;
    private volatile WaitStrategy waitStrategy = WaitStrategy.blocking();

    Ring(SharedRegion region, String name, boolean spsc, MemorySegment segment, long base, int capacity) {
        this.header = new RingHeader(region, name, spsc, segment, base, capacity);
        this.consumer = new RingConsumer(this, header);
        this.producer = spsc ? new SpscProducer(this, header) : new MpscProducer(this, header);
    }

    /** @return the producer side of this ring: the calls {@link #offer}, {@link #tryClaim}, {@link #send} make */
    public RingProducer producer() {
        return producer;
    }

    /** @return the consumer side of this ring: the calls {@link #poll} and {@link #receive} make */
    public RingConsumer consumer() {
        return consumer;
    }

    // ---------------------------------------------------------------- sending: see RingProducer

    /**
     * Copies {@code src} into the ring as one record of {@code type}; never blocks. See {@link RingProducer#offer}.
     *
     * @param type a record type, 1 to {@link #MAX_TYPE}
     * @param src  the payload, at most {@link #maxMessageLength()} bytes
     * @return {@link OfferStatus#ACCEPTED}, or {@link OfferStatus#BACK_PRESSURED} with nothing written
     * @throws MessageTooLargeException if {@code src} is longer than {@link #maxMessageLength()}
     * @throws RoleTakenException       if the ring is SPSC and another live process is its producer
     */
    public OfferStatus offer(int type, MemorySegment src) {
        return producer.offer(type, src);
    }

    /**
     * Copies {@code length} bytes of {@code src} from {@code offset} into the ring; never blocks.
     *
     * @param type   a record type, 1 to {@link #MAX_TYPE}
     * @param src    the array holding the payload
     * @param offset where the payload starts in {@code src}
     * @param length the payload's length, at most {@link #maxMessageLength()}
     * @return {@link OfferStatus#ACCEPTED}, or {@link OfferStatus#BACK_PRESSURED} with nothing written
     * @throws MessageTooLargeException if {@code length} exceeds {@link #maxMessageLength()}
     * @throws RoleTakenException       if the ring is SPSC and another live process is its producer
     */
    public OfferStatus offer(int type, byte[] src, int offset, int length) {
        return producer.offer(type, src, offset, length);
    }

    /**
     * Copies {@code length} bytes of {@code src} from {@code offset} into the ring (a handler's record, unsliced);
     * never blocks. See {@link RingProducer#offer(int, MemorySegment, long, long)}.
     *
     * @param type   a record type, 1 to {@link #MAX_TYPE}
     * @param src    the segment holding the payload
     * @param offset where the payload starts in {@code src}
     * @param length the payload's length, at most {@link #maxMessageLength()}
     * @return {@link OfferStatus#ACCEPTED}, or {@link OfferStatus#BACK_PRESSURED} with nothing written
     * @throws IndexOutOfBoundsException if {@code offset} and {@code length} do not lie within {@code src}
     * @throws MessageTooLargeException  if {@code length} exceeds {@link #maxMessageLength()}
     * @throws RoleTakenException        if the ring is SPSC and another live process is its producer
     */
    public OfferStatus offer(int type, MemorySegment src, long offset, long length) {
        return producer.offer(type, src, offset, length);
    }

    /**
     * Reserves room for a record to write in place; see {@link RingProducer#tryClaim} and the snippet above.
     *
     * @param type   a record type, 1 to {@link #MAX_TYPE}
     * @param length the payload's length, at most {@link #maxMessageLength()}
     * @return the payload's offset in {@link #buffer()}, or {@link #BACK_PRESSURED} when the ring has no room
     * @throws MessageTooLargeException if {@code length} exceeds {@link #maxMessageLength()}
     */
    public long tryClaim(int type, int length) {
        return producer.tryClaim(type, length);
    }

    /**
     * Publishes the record claimed at {@code index}.
     *
     * @param index an offset {@link #tryClaim} returned, not yet committed or aborted
     * @throws IllegalStateException if there is no open claim of this process at {@code index}
     */
    public void commit(long index) {
        producer.commit(index);
    }

    /**
     * Drops the record claimed at {@code index}: the consumer never sees it.
     *
     * @param index an offset {@link #tryClaim} returned, not yet committed or aborted
     * @throws IllegalStateException if there is no open claim of this process at {@code index}
     */
    public void abort(long index) {
        producer.abort(index);
    }

    /**
     * Sends a record, waiting for space up to {@code timeout}; see {@link RingProducer#send(int, MemorySegment,
     * Duration)}.
     *
     * @param type    a record type, 1 to {@link #MAX_TYPE}
     * @param src     the payload, at most {@link #maxMessageLength()} bytes
     * @param timeout how long to wait for space
     * @return {@link OfferStatus#ACCEPTED}, or {@link OfferStatus#BACK_PRESSURED} when the ring was still full at
     *         the timeout
     * @throws PeerGoneException if the ring's consumer died or detached while the ring was full
     */
    public OfferStatus send(int type, MemorySegment src, Duration timeout) {
        return producer.send(type, src, timeout);
    }

    /**
     * {@link #send(int, MemorySegment, Duration)} for {@code length} bytes of {@code src} at {@code offset}.
     *
     * @param type    a record type, 1 to {@link #MAX_TYPE}
     * @param src     the array holding the payload
     * @param offset  where the payload starts in {@code src}
     * @param length  the payload's length, at most {@link #maxMessageLength()}
     * @param timeout how long to wait for space
     * @return {@link OfferStatus#ACCEPTED}, or {@link OfferStatus#BACK_PRESSURED} when the ring was still full at
     *         the timeout
     * @throws PeerGoneException if the ring's consumer died or detached while the ring was full
     */
    public OfferStatus send(int type, byte[] src, int offset, int length, Duration timeout) {
        return producer.send(type, src, offset, length, timeout);
    }

    /**
     * A new {@link Batch} on this ring, for one producer thread.
     *
     * @param maxRecords the batch flushes by itself every {@code maxRecords} records (at most
     *                   {@value #MAX_BATCH_RECORDS}; a larger value counts as that)
     * @return a batch with nothing pending
     * @throws IllegalArgumentException if {@code maxRecords} is below 1
     * @throws ShmException             if the region has been closed
     */
    public Batch batch(int maxRecords) {
        return producer.batch(maxRecords);
    }

    /**
     * Makes this process a producer of the ring before its first send; see {@link RingProducer#joinAsProducer()}.
     *
     * @return true when registered; false when the ring cannot take this producer yet: try again, or send
     * @throws RoleTakenException if the ring is SPSC and another live process is its producer
     */
    public boolean joinAsProducer() {
        return producer.joinAsProducer();
    }

    /**
     * Stops this process being a producer of the ring, aborting its open claims and unflushed batches; see
     * {@link RingProducer#leaveAsProducer()}.
     */
    public void leaveAsProducer() {
        producer.leaveAsProducer();
    }

    // ---------------------------------------------------------------- receiving: see RingConsumer

    /**
     * Drains up to {@code limit} records into {@code handler} without waiting; see {@link RingConsumer#poll}.
     *
     * @param handler receives each record; its payload is valid only during the call
     * @param limit   the most records to deliver, at least 1
     * @return how many records were delivered, 0 when none was ready
     * @throws RoleTakenException     if another live process is the ring's consumer
     * @throws CorruptRecordException if a record header breaks the protocol
     * @throws IllegalStateException  if called from inside a handler of the same ring
     */
    public int poll(RecordHandler handler, int limit) {
        return consumer.poll(handler, limit);
    }

    /**
     * Waits up to {@code timeout} for records and drains up to {@code limit} of them; see
     * {@link RingConsumer#receive}.
     *
     * @param handler receives each record; its payload is valid only during the call
     * @param limit   the most records to deliver, at least 1
     * @param timeout how long to wait for the first record
     * @return how many records were delivered; 0 when the timeout passed first; {@link #END_OF_STREAM} when
     *         producers have joined, every one has left on purpose and the ring is drained
     * @throws PeerGoneException when the ring is drained, no producer is left, and one of them died since the
     *                           consumer was last told
     */
    public int receive(RecordHandler handler, int limit, Duration timeout) {
        return consumer.receive(handler, limit, timeout);
    }

    /**
     * Whether the stream on this ring has ended; see {@link RingConsumer#isEndOfStream()}.
     *
     * @return true when producers have joined, every one has left on purpose, and the ring is drained
     */
    public boolean isEndOfStream() {
        return consumer.isEndOfStream();
    }

    // ---------------------------------------------------------------- configuration and state

    /**
     * Sets how blocking calls on this ring ({@code send}, {@code receive}) wait.
     *
     * @param strategy the wait strategy; {@link WaitStrategy#blocking()} unless set
     * @return this ring
     */
    public Ring waitStrategy(WaitStrategy strategy) {
        this.waitStrategy = Objects.requireNonNull(strategy, "strategy");
        return this;
    }

    /** @return how blocking calls on this ring wait */
    public WaitStrategy waitStrategy() {
        return waitStrategy;
    }

    /** @return the ring's name in its region */
    public String name() {
        return header.name;
    }

    /**
     * The data capacity. An MPSC ring holds records of up to this many bytes at once; an SPSC ring 8 bytes fewer (the
     * word after its latest record is kept free, zeroed for the next one's header).
     *
     * @return the data capacity in bytes
     */
    public int capacity() {
        return header.capacity;
    }

    /** @return the largest payload accepted: {@link #maxMessageLength(int)} of the capacity */
    public int maxMessageLength() {
        return header.maxMessageLength;
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

    /** @return the data buffer; {@link #tryClaim} offsets and {@link RecordHandler} offsets point into it */
    public MemorySegment buffer() {
        return header.buffer;
    }

    /** @return a snapshot of the ring's counters and peers */
    public RingStats stats() {
        return header.stats();
    }

    @Override
    public String toString() {
        return "Ring[" + header + ", " + (header.spsc ? "SPSC" : "MPSC") + ", capacity=" + header.capacity + "]";
    }

    // ---------------------------------------------------------------- package-private plumbing

    /** The ring's shared words (tests forge crash states through it). */
    RingHeader header() {
        return header;
    }

    /**
     * Called by the region at close: aborts this handle's open claims and unflushed batches, then this process stops
     * being the producer and consumer of this ring.
     */
    void deregister() {
        producer.leave();
        consumer.deregister();
    }

    /** Wakes this process's threads asleep on the ring, so that they see the region closed. */
    void wakeSleepers() {
        header.dataSignal.wakeIfWaiting();
        header.spaceSignal.wakeIfWaiting();
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

    /**
     * A batch of records published together, for one producer thread (any number of batches may be used on an MPSC
     * ring, one per thread). Each {@link #offer} copies its record into the ring at once; the consumer sees none of
     * the batch until {@link #flush()} publishes all of it. A batch flushes by itself when it holds
     * {@code maxRecords} records or a quarter of the ring's capacity in bytes (so that the consumer works on one part
     * of the ring while the producer fills the next), and before an offer returns {@link OfferStatus#BACK_PRESSURED}
     * (the consumer could never free space behind records it cannot see).
     *
     * <p>Call {@link #flush()} when the stream pauses, or use the batch in try-with-resources ({@link #close()}
     * flushes): records left unflushed are never delivered. A batch is all-or-nothing: if the process dies, or
     * closes the region, before or during a flush, the consumer skips every record of it (counted in
     * {@link RingStats#skippedRecords()}, as any claim of a dead producer) and never sees one half-written.
     *
     * <p>Records an offer of the ring itself publishes while a batch of the same thread is open come after the
     * batch in the ring, so the consumer sees them only when the batch is flushed too; on an MPSC ring, so do other
     * producers' records claimed after the batch's first.
     */
    public static final class Batch implements AutoCloseable {
        private final RingProducer producer;
        private final RingHeader header;
        private final int maxRecords;
        private final int maxBytes;
        private int pending;
        private int pendingBytes;
        private boolean closed;
        /** Offsets in the buffer of the unpublished records' headers, and their committed headers. */
        private final long[] headerIndexes;
        private final long[] headers;

        Batch(RingProducer producer, int maxRecords) {
            this.producer = producer;
            this.header = producer.header;
            this.maxRecords = Math.min(maxRecords, MAX_BATCH_RECORDS);
            this.maxBytes = header.capacity / 4;
            // it flushes at maxBytes, so it never holds more records than fit there with empty payloads
            int most = Math.min(this.maxRecords, maxBytes / RecordDescriptor.ALIGNMENT + 1);
            headerIndexes = new long[most];
            headers = new long[most];
        }

        /**
         * Copies {@code src} into the ring as one record of {@code type}, published at the next flush.
         *
         * @param type a record type, 1 to {@link #MAX_TYPE}
         * @param src  the payload, at most {@link Ring#maxMessageLength()} bytes
         * @return {@link OfferStatus#ACCEPTED}, or {@link OfferStatus#BACK_PRESSURED} (after flushing what was
         *         pending) with nothing written
         * @throws MessageTooLargeException if {@code src} is longer than {@link Ring#maxMessageLength()}
         * @throws IllegalStateException    if the batch has been closed
         * @throws ShmException             if the region has been closed
         */
        public OfferStatus offer(int type, MemorySegment src) {
            Objects.requireNonNull(src, "src");
            int length = producer.checkMessage(type, src.byteSize());
            return stage(type, src, null, 0, length);
        }

        /**
         * Copies {@code length} bytes of {@code src} from {@code offset}, published at the next flush.
         *
         * @param type   a record type, 1 to {@link #MAX_TYPE}
         * @param src    the array holding the payload
         * @param offset where the payload starts in {@code src}
         * @param length the payload's length, at most {@link Ring#maxMessageLength()}
         * @return {@link OfferStatus#ACCEPTED}, or {@link OfferStatus#BACK_PRESSURED} (after flushing what was
         *         pending) with nothing written
         * @throws IndexOutOfBoundsException if {@code offset} and {@code length} do not lie within {@code src}
         * @throws MessageTooLargeException  if {@code length} exceeds {@link Ring#maxMessageLength()}
         * @throws IllegalStateException     if the batch has been closed
         */
        public OfferStatus offer(int type, byte[] src, int offset, int length) {
            Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(src, "src").length);
            producer.checkMessage(type, length);
            return stage(type, null, src, offset, length);
        }

        /** Copies a record in under a claimed header and notes it (flushing when full), or flushes and reports. */
        private OfferStatus stage(int type, MemorySegment segment, byte[] array, int arrayOffset, int length) {
            if (closed) {
                throw new IllegalStateException("batch of ring '" + header.name + "' is closed");
            }
            long index;
            try {
                index = producer.copyIn(type, segment, array, arrayOffset, length);
            } catch (IllegalStateException e) {
                throw header.translate(e);
            }
            if (index < 0) {
                flush();
                return OfferStatus.BACK_PRESSURED;
            }
            headerIndexes[pending] = index - HEADER_LENGTH;
            headers[pending] = RecordDescriptor.header(type, length + HEADER_LENGTH);
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
                    throw header.translate(e);
                }
            }
            pending = 0;
            pendingBytes = 0;
            producer.publishHeader(headerIndexes[0], records > 1 ? member(0) : headers[0]);
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
         * by a successor in the same slot; see ClaimRecovery). Limit: two batches of one process flushed at once on
         * one ring interleave their members, and a death then can cut the one flushed whole or keep the other's.
         */

        /** Step (1) of the flush: the first record's claimed header says that the flush has begun. */
        void markFlushing() {
            long first = headers[0];
            header.putRecordPlain(headerIndexes[0], RecordDescriptor.leadClaimedHeader(RecordDescriptor.type(first),
                    RecordDescriptor.length(first), header.region.slot()));
            VarHandle.storeStoreFence();
        }

        /** Step (2) of the flush, for record {@code i} > 0: commits it as a batch member. */
        void commitMember(int i) {
            header.putRecordPlain(headerIndexes[i], member(i));
        }

        private long member(int i) {
            return RecordDescriptor.batchMemberHeader(RecordDescriptor.type(headers[i]),
                    RecordDescriptor.length(headers[i]), header.region.slot(), i == 0);
        }

        /**
         * Turns the records offered since the last flush into padding, last first, so that the consumer passes them
         * unseen: the handle leaves or its region closes. For the thread that owns the batch, or once it is done.
         */
        void abandon() {
            for (int i = pending - 1; i >= 0; i--) {
                header.putRecordRelease(headerIndexes[i], RecordDescriptor.header(RecordDescriptor.PADDING_TYPE,
                        RecordDescriptor.length(headers[i])));
            }
            if (pending > 0) {
                header.dataSignal.wakeIfWaiting();
            }
            pending = 0;
            pendingBytes = 0;
        }

        /** @return the records offered and not yet published */
        public int pending() {
            return pending;
        }

        /** @return the records after which the batch flushes by itself (it also does at a quarter of the capacity) */
        public int maxRecords() {
            return maxRecords;
        }

        /** @return the ring this batch writes to */
        public Ring ring() {
            return producer.ring;
        }

        @Override
        public String toString() {
            return "Batch[" + producer.ring + ", maxRecords=" + maxRecords + ", pending=" + pending + "]";
        }
    }
}
