package io.millrace.shm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;

import static io.millrace.shm.RecordDescriptor.HEADER_LENGTH;
import static io.millrace.shm.RecordDescriptor.MAX_TYPE;
import static io.millrace.shm.RecordDescriptor.PADDING_TYPE;
import static io.millrace.shm.RecordDescriptor.alignedLength;
import static io.millrace.shm.RecordDescriptor.header;

/**
 * The producer side of a {@link Ring}, in the manner of Aeron's {@code Publication}: copies records in
 * ({@link #offer}), reserves space to write in place ({@link #tryClaim}), waits for space ({@link #send}), or
 * publishes in batches ({@link #batch}). Obtain it with {@link Ring#producer()}; the ring's methods of the same names
 * are the same calls. An SPSC producer is for one thread, and its state sits on cache lines of its own, so that another
 * thread of this process may consume the same ring through {@link Ring#consumer()} without slowing it; an MPSC
 * producer may be shared by any number of threads.
 *
 * <p>A full ring is never an exception: {@link OfferStatus#BACK_PRESSURED}, or {@link Ring#BACK_PRESSURED} from
 * {@code tryClaim}. A message longer than {@link #maxMessageLength()} is refused at once.
 */
public abstract sealed class RingProducer extends RingSide permits SpscProducerPadding, MpscProducer {
    /** Bytes of a cache line (the buffer starts on a 128-byte boundary). */
    static final int CACHE_LINE = 64;
    /** Longest record for which {@link #ownLastLine} stores into the last line first: two cache lines. */
    static final int OWN_LAST_LINE_MAX = 2 * CACHE_LINE;

    final int maxMessageLength;
    /** This handle's claims not yet committed or aborted, and its batches: aborted when it leaves or closes. */
    final OpenWork openWork = new OpenWork();

    RingProducer(Ring ring, RingHeader header) {
        super(ring, header);
        this.maxMessageLength = header.maxMessageLength;
    }

    /**
     * Copies {@code src} into the ring as one record of {@code type}; never blocks.
     *
     * @param type a record type, 1 to {@link Ring#MAX_TYPE}
     * @param src  the payload, at most {@link #maxMessageLength()} bytes
     * @return {@link OfferStatus#ACCEPTED}, or {@link OfferStatus#BACK_PRESSURED} with nothing written
     * @throws IllegalArgumentException if {@code type} is out of range
     * @throws MessageTooLargeException if {@code src} is longer than {@link #maxMessageLength()}
     * @throws RoleTakenException       if the ring is SPSC and another live process is its producer
     * @throws ShmException             if the region has been closed
     */
    public final OfferStatus offer(int type, MemorySegment src) {
        Objects.requireNonNull(src, "src");
        int length = checkMessage(type, src.byteSize());
        return published(type, src, null, 0, length);
    }

    /**
     * Copies {@code length} bytes of {@code src} from {@code offset} into the ring as one record; never blocks. The
     * form for forwarding a record received from another ring ({@code (buffer, offset, length)} of a
     * {@link RecordHandler}) without making a slice of it per message.
     *
     * @param type   a record type, 1 to {@link Ring#MAX_TYPE}
     * @param src    the segment holding the payload
     * @param offset where the payload starts in {@code src}
     * @param length the payload's length, at most {@link #maxMessageLength()}
     * @return {@link OfferStatus#ACCEPTED}, or {@link OfferStatus#BACK_PRESSURED} with nothing written
     * @throws IndexOutOfBoundsException if {@code offset} and {@code length} do not lie within {@code src}
     * @throws IllegalArgumentException  if {@code type} is out of range
     * @throws MessageTooLargeException  if {@code length} exceeds {@link #maxMessageLength()}
     * @throws RoleTakenException        if the ring is SPSC and another live process is its producer
     * @throws ShmException              if the region has been closed
     */
    public final OfferStatus offer(int type, MemorySegment src, long offset, long length) {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(src, "src").byteSize());
        return published(type, src, null, offset, checkMessage(type, length));
    }

    /**
     * Copies {@code length} bytes of {@code src} from {@code offset} into the ring as one record; never blocks.
     *
     * @param type   a record type, 1 to {@link Ring#MAX_TYPE}
     * @param src    the array holding the payload
     * @param offset where the payload starts in {@code src}
     * @param length the payload's length, at most {@link #maxMessageLength()}
     * @return {@link OfferStatus#ACCEPTED}, or {@link OfferStatus#BACK_PRESSURED} with nothing written
     * @throws IndexOutOfBoundsException if {@code offset} and {@code length} do not lie within {@code src}
     * @throws IllegalArgumentException  if {@code type} is out of range
     * @throws MessageTooLargeException  if {@code length} exceeds {@link #maxMessageLength()}
     * @throws RoleTakenException        if the ring is SPSC and another live process is its producer
     * @throws ShmException              if the region has been closed
     */
    public final OfferStatus offer(int type, byte[] src, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(src, "src").length);
        checkMessage(type, length);
        return published(type, null, src, offset, length);
    }

    private OfferStatus published(int type, MemorySegment segment, byte[] array, long srcOffset, int length) {
        try {
            return offerCopy(type, segment, array, srcOffset, length) < 0
                    ? OfferStatus.BACK_PRESSURED : OfferStatus.ACCEPTED;
        } catch (IllegalStateException e) {
            throw header.translate(e);
        }
    }

    /**
     * Reserves room for a record of {@code length} payload bytes, to be written in place in {@link Ring#buffer()} and
     * then published with {@link #commit} or dropped with {@link #abort}. Until then the consumer waits at this
     * record (records claimed after it are delivered after it), so write, then commit or abort, at once:
     * <pre>{@code
     * long index = producer.tryClaim(TYPE, length);
     * if (index != Ring.BACK_PRESSURED) {
     *     try {
     *         ring.buffer().set(ValueLayout.JAVA_LONG_UNALIGNED, index, value); // ... the payload, at index
     *         producer.commit(index);
     *     } catch (RuntimeException e) {
     *         producer.abort(index);
     *         throw e;
     *     }
     * }
     * }</pre>
     * If this process dies with the claim open, the consumer skips the record.
     *
     * @param type   a record type, 1 to {@link Ring#MAX_TYPE}
     * @param length the payload's length, at most {@link #maxMessageLength()}
     * @return the payload's offset in {@link Ring#buffer()}, or {@link Ring#BACK_PRESSURED} when the ring has no room
     * @throws IllegalArgumentException if {@code type} or {@code length} is out of range
     * @throws MessageTooLargeException if {@code length} exceeds {@link #maxMessageLength()}
     * @throws RoleTakenException       if the ring is SPSC and another live process is its producer
     * @throws ShmException             if the region has been closed
     */
    public final long tryClaim(int type, int length) {
        checkMessage(type, length);
        try {
            long index = claim(type, length);
            if (index >= 0) {
                openWork.claimed(index);
            }
            return index;
        } catch (IllegalStateException e) {
            throw header.translate(e);
        }
    }

    /**
     * Publishes the record claimed at {@code index}.
     *
     * @param index an offset {@link #tryClaim} returned, not yet committed or aborted
     * @throws IllegalArgumentException if {@code index} cannot be a claim's offset
     * @throws IllegalStateException    if there is no open claim of this process at {@code index}
     */
    public final void commit(long index) {
        try {
            long claimed = claimedHeaderAt(index);
            checkWithinClaim(index, -RecordDescriptor.length(claimed));
            header.putRecordRelease(index - HEADER_LENGTH,
                    header(RecordDescriptor.userType(claimed), -RecordDescriptor.length(claimed)));
            header.dataSignal.wakeIfWaiting();
            openWork.closed(index);
        } catch (IllegalStateException e) {
            throw header.translate(e);
        }
    }

    /**
     * Drops the record claimed at {@code index}: the consumer never sees it.
     *
     * @param index an offset {@link #tryClaim} returned, not yet committed or aborted
     * @throws IllegalArgumentException if {@code index} cannot be a claim's offset
     * @throws IllegalStateException    if there is no open claim of this process at {@code index}
     */
    public final void abort(long index) {
        try {
            long claimed = claimedHeaderAt(index);
            header.putRecordRelease(index - HEADER_LENGTH, header(PADDING_TYPE, -RecordDescriptor.length(claimed)));
            header.dataSignal.wakeIfWaiting();
            openWork.closed(index);
        } catch (IllegalStateException e) {
            throw header.translate(e);
        }
    }

    /**
     * Sends a record, waiting for space up to {@code timeout} with the ring's {@link WaitStrategy}.
     *
     * @param type    a record type, 1 to {@link Ring#MAX_TYPE}
     * @param src     the payload, at most {@link #maxMessageLength()} bytes
     * @param timeout how long to wait for space
     * @return {@link OfferStatus#ACCEPTED}, or {@link OfferStatus#BACK_PRESSURED} when the ring was still full at
     *         the timeout (nothing written)
     * @throws PeerGoneException        if the ring's consumer died or detached while the ring was full
     * @throws IllegalArgumentException if {@code type} or {@code timeout} is out of range
     * @throws MessageTooLargeException if {@code src} is longer than {@link #maxMessageLength()}
     * @throws RoleTakenException       if the ring is SPSC and another live process is its producer
     * @throws ShmException             if the region is closed, also while this waits
     */
    public final OfferStatus send(int type, MemorySegment src, Duration timeout) {
        long timeoutNanos = Ring.checkTimeout(timeout);
        if (offer(type, src) == OfferStatus.ACCEPTED) {
            watch.workDone();
            return OfferStatus.ACCEPTED;
        }
        long deadline = System.nanoTime() + timeoutNanos;
        WaitStrategy strategy = ring.waitStrategy();
        for (int round = 0; ; round++) {
            long seenHead = header.headAcquire();
            long seenCleaned = header.cleanedAcquire(); // MPSC: a claim refused while another producer zeroed
            if (offer(type, src) == OfferStatus.ACCEPTED) {
                return OfferStatus.ACCEPTED;
            }
            header.region.checkOpen();
            long now = System.nanoTime();
            if (watch.due(now)) {
                watch.checkConsumer();
            }
            if (now - deadline >= 0) {
                return OfferStatus.BACK_PRESSURED;
            }
            strategy.idle(round, header.spaceSignal, PeerWatch.earlier(deadline, watch.nextCheck()),
                    () -> header.headAcquire() != seenHead || header.cleanedAcquire() != seenCleaned);
        }
    }

    /**
     * {@link #send(int, MemorySegment, Duration)} for {@code length} bytes of {@code src} at {@code offset}.
     *
     * @param type    a record type, 1 to {@link Ring#MAX_TYPE}
     * @param src     the array holding the payload
     * @param offset  where the payload starts in {@code src}
     * @param length  the payload's length, at most {@link #maxMessageLength()}
     * @param timeout how long to wait for space
     * @return {@link OfferStatus#ACCEPTED}, or {@link OfferStatus#BACK_PRESSURED} when the ring was still full at
     *         the timeout
     * @throws IndexOutOfBoundsException if {@code offset} and {@code length} do not lie within {@code src}
     * @throws PeerGoneException         if the ring's consumer died or detached while the ring was full
     */
    public final OfferStatus send(int type, byte[] src, int offset, int length, Duration timeout) {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(src, "src").length);
        return send(type, MemorySegment.ofArray(src).asSlice(offset, length), timeout);
    }

    /**
     * A new {@link Ring.Batch} on this ring, for one producer thread.
     *
     * @param maxRecords the batch flushes by itself every {@code maxRecords} records (at most
     *                   {@value Ring#MAX_BATCH_RECORDS}; a larger value counts as that)
     * @return a batch with nothing pending
     * @throws IllegalArgumentException if {@code maxRecords} is below 1
     * @throws ShmException             if the region has been closed
     */
    public final Ring.Batch batch(int maxRecords) {
        if (maxRecords < 1) {
            throw new IllegalArgumentException("maxRecords=" + maxRecords + " must be at least 1");
        }
        header.region.checkOpen();
        Ring.Batch batch = new Ring.Batch(this, maxRecords);
        openWork.add(batch);
        return batch;
    }

    /**
     * Makes this process a producer of the ring now, before its first send, so that a consumer waiting for it does
     * not see the stream end (or its producers gone) before it has sent anything. Idempotent.
     *
     * @return true when registered; false when the ring cannot take this producer yet (it replaces dead ones whose
     *         last claims the consumer has still to pass): try again, or send, which retries
     * @throws RoleTakenException if the ring is SPSC and another live process is its producer
     * @throws ShmException       if the region has been closed
     */
    public final boolean joinAsProducer() {
        header.region.checkOpen();
        try {
            return registerProducer();
        } catch (IllegalStateException e) {
            throw header.translate(e);
        }
    }

    /**
     * Stops this process being a producer of the ring: its open claims and the unflushed records of its batches on
     * this handle are aborted (the consumer never sees them), then it deregisters. When no producer is left and the
     * ring is drained, the consumer sees the end of the stream. Sending again joins again. For use when no other
     * thread of this process is sending on this ring. Idempotent.
     *
     * @throws ShmException if the region has been closed
     */
    public final void leaveAsProducer() {
        header.region.checkOpen();
        try {
            leave();
        } catch (IllegalStateException e) {
            throw header.translate(e);
        }
    }

    /** Called at leave and by the region at close: aborts the open work, deregisters, tells the consumer. */
    final void leave() {
        openWork.abort(ring);
        if (deregisterProducer()) {
            header.addProducerLeft();
            header.dataSignal.wakeIfWaiting();
        }
    }

    /** @return the largest payload accepted: an eighth of the capacity less the 8-byte record header */
    public final int maxMessageLength() {
        return maxMessageLength;
    }

    /** @return the ring this produces on */
    public final Ring ring() {
        return ring;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + header + "]";
    }

    // ---------------------------------------------------------------- claims, for the two kinds

    /**
     * Claims space for a record of {@code length} payload bytes and writes its claimed header (see
     * {@link #writeClaimedHeader}); returns the payload's offset or {@link Ring#BACK_PRESSURED}.
     */
    abstract long claim(int type, int length);

    /** A {@code head} this producer read lately: the consumer has released at least this much. */
    abstract long headSeen();

    /** Registers this process as a producer; false when it cannot yet (see {@link #joinAsProducer()}). */
    abstract boolean registerProducer();

    /** Deregisters this process as a producer; true if it was one. */
    abstract boolean deregisterProducer();

    /**
     * At the region's close, before its participant slot is freed: waits (up to {@code deadlineNanos}) for this
     * process's claims under way (MPSC: the claim window, its zeroing included) to end, so that no claim or zeroing
     * of theirs is judged a dead process's. The copy and commit after a claim are not waited for: closing a region
     * while another of its threads is inside an {@code offer} stays a usage error (docs/ARCHITECTURE.md §11).
     */
    void awaitClaimsEnded(long deadlineNanos) {
    }

    /**
     * Writes and publishes one record of {@code length} bytes copied from {@code segment}, or from {@code array} when
     * {@code segment} is null, at {@code srcOffset}; returns the payload's offset or {@link Ring#BACK_PRESSURED}.
     * Arguments are checked by the caller.
     */
    long offerCopy(int type, MemorySegment segment, byte[] array, long srcOffset, int length) {
        long index = copyIn(type, segment, array, srcOffset, length);
        if (index >= 0) {
            publishHeader(index - HEADER_LENGTH, header(type, length + HEADER_LENGTH));
        }
        return index;
    }

    /** {@link #claim} a record of {@code length} payload bytes and copies them in (see {@link #offerCopy}). */
    final long copyIn(int type, MemorySegment segment, byte[] array, long srcOffset, int length) {
        long index = claim(type, length);
        if (index >= 0) {
            copyPayload(segment, array, srcOffset, index, length);
        }
        return index;
    }

    /** Copies the payload from {@code segment}, or from {@code array} when it is null, at {@code srcOffset}. */
    final void copyPayload(MemorySegment segment, byte[] array, long srcOffset, long index, int length) {
        if (segment != null) {
            MemorySegment.copy(segment, srcOffset, buffer, index, length);
        } else {
            MemorySegment.copy(array, (int) srcOffset, buffer, ValueLayout.JAVA_BYTE, index, length);
        }
    }

    /** Stores a committed {@code record} header at {@code headerIndex} with release, and wakes a sleeping consumer. */
    final void publishHeader(long headerIndex, long record) {
        try {
            header.putRecordRelease(headerIndex, record);
            header.dataSignal.wakeIfWaiting();
        } catch (IllegalStateException e) {
            throw header.translate(e);
        }
    }

    /**
     * Refuses to publish a zero-copy record whose writer ran past its claim: when the record is the latest claim (its
     * end is {@code tail}) and {@code tail} is less than a capacity ahead of a {@code head} seen lately, the word after
     * it is free space, zeroed ahead of the claims (MPSC, see {@link MpscProducer}) or by the claim itself (SPSC: the
     * terminator, see {@link SpscProducer}) and zero until a producer claims it; a writer that overran the claim left
     * bytes there that the consumer would read as the next header (its fast path does not read {@code tail}, see
     * {@code RingConsumer}). The record is aborted, and the space after it is claimed as one record as long as the
     * longest message and aborted too, so that the consumer skips the overrun's bytes (an overrun longer than that, or
     * one met with the ring too full to claim, is refused by the consumer when it reads it:
     * {@link CorruptRecordException}). When a later claim already covers the word (MPSC), the overrun went into another
     * producer's record: its commit writes its header again, and its payload is the overrunning writer's damage, as in
     * any shared buffer.
     */
    private void checkWithinClaim(long index, int recordLength) {
        long end = (index - HEADER_LENGTH + alignedLength(recordLength)) & mask;
        long next = header.recordPlain(end);
        if (next == 0) {
            return;
        }
        long tail = header.tailAcquire();
        if ((tail & mask) != end || tail - headSeen() >= capacity) {
            return; // a later claim covers the word, or it may hold a record of the last lap not yet consumed
        }
        header.putRecordRelease(index - HEADER_LENGTH, header(PADDING_TYPE, recordLength));
        header.dataSignal.wakeIfWaiting();
        openWork.closed(index);
        int room = (int) Math.min(maxMessageLength, capacity - end - HEADER_LENGTH);
        long filler = room >= 0 ? tryClaim(1, room) : Ring.BACK_PRESSURED;
        if (filler >= 0) {
            abort(filler);
        }
        throw new ShmException("ring '" + header.name + "': the writer of the record claimed at index=" + index
                + " (length=" + (recordLength - HEADER_LENGTH) + ") wrote past its claim (found 0x"
                + Long.toHexString(next) + " at index=" + end + "); the record was aborted, not published");
    }

    private long claimedHeaderAt(long index) {
        if (index < HEADER_LENGTH || index >= capacity || (index & (RecordDescriptor.ALIGNMENT - 1)) != 0) {
            throw new IllegalArgumentException("ring '" + header.name + "': index=" + index + " is not a claim index");
        }
        long claimed = header.recordPlain(index - HEADER_LENGTH);
        if (RecordDescriptor.length(claimed) >= 0 || RecordDescriptor.claimant(claimed) != header.region.slot()) {
            throw new IllegalStateException("ring '" + header.name + "': no open claim of this process at index="
                    + index);
        }
        return claimed;
    }

    /**
     * Writes the claimed header of a record at {@code index} (or, when {@code padding} > 0, at 0, and then a
     * padding record at {@code index} that leads the consumer there); returns the payload's offset. The header is
     * <em>claimed</em>: negative length, this process's participant slot + 1 in the top byte of the type word (see
     * {@link RecordDescriptor}); a store-store fence follows, then the caller's payload, and the commit replaces the
     * whole 8-byte header with one release store.
     */
    final long writeClaimedHeader(int index, int padding, int type, int recordLength) {
        int at = padding > 0 ? 0 : index;
        ownLastLine(at, recordLength);
        header.putRecordRelease(at, RecordDescriptor.claimedHeader(type, recordLength, header.region.slot()));
        if (padding > 0) {
            writePadding(index, padding); // after the header at 0
        }
        VarHandle.storeStoreFence();
        return at + HEADER_LENGTH;
    }

    /** Stores a padding record of {@code padding} bytes at {@code index}, which leads the consumer to 0. */
    final void writePadding(int index, int padding) {
        header.putRecordRelease(index, header(PADDING_TYPE, padding));
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
            header.putRecordPlain(last, 0L);
        }
    }

    final int checkMessage(int type, long length) {
        if (type < 1 || type > MAX_TYPE) {
            throw new IllegalArgumentException("type=" + type + " must be between 1 and " + MAX_TYPE);
        }
        if (length > maxMessageLength) {
            throw new MessageTooLargeException("message length=" + length + " exceeds maxMessageLength="
                    + maxMessageLength + " of ring '" + header.name + "' (capacity=" + capacity
                    + "); create the ring with a capacity of at least 8x the largest message", length,
                    maxMessageLength);
        }
        if (length < 0) {
            throw new IllegalArgumentException("length=" + length + " must not be negative");
        }
        return (int) length;
    }
}
