package io.millrace.shm;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;

import static io.millrace.shm.RecordDescriptor.HEADER_LENGTH;
import static io.millrace.shm.RecordDescriptor.MAX_TYPE;
import static io.millrace.shm.RecordDescriptor.PADDING_TYPE;
import static io.millrace.shm.RecordDescriptor.SKIPPED_TYPE;
import static io.millrace.shm.RecordDescriptor.alignedLength;

/** Read-mostly fields of a {@link RingConsumer}, ahead of the padding that keeps them off its written lines. */
abstract class RingConsumerFinals extends RingSide {
    final ClaimRecovery recovery;

    RingConsumerFinals(Ring ring, RingHeader header) {
        super(ring, header);
        this.recovery = ClaimRecovery.of(header, (RingConsumer) this);
    }
}

/** 128 bytes between the read-mostly fields and the consumer's own (two cache lines: the prefetcher pulls pairs). */
abstract class RingConsumerPadding extends RingConsumerFinals {
    int p0;
    long p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16;

    RingConsumerPadding(Ring ring, RingHeader header) {
        super(ring, header);
    }
}

/** The fields only the consumer thread writes. */
abstract class RingConsumerState extends RingConsumerPadding {
    long head;
    /** The highest {@code tail} the consumer has read: records that end at or before it need no further look. */
    long tailSeen;
    long lastStallCheck;
    int emptyPolls;
    /** Producers that left on purpose, as last seen by {@link RingConsumer#receive}. */
    long leftSeen;
    /** True while a poll runs: a poll from inside its handler is refused. */
    boolean polling;
    boolean registered;

    RingConsumerState(Ring ring, RingHeader header) {
        super(ring, header);
    }
}

/**
 * The consumer side of a {@link Ring}, in the manner of Aeron's {@code Subscription}: drains records into a
 * {@link RecordHandler}. Obtain it with {@link Ring#consumer()}; {@link Ring#poll} and {@link Ring#receive} are the same
 * calls. It is for one thread; its state sits on cache lines of its own, so that another thread of this process may
 * produce on the same ring through {@link Ring#producer()} without slowing it.
 *
 * <p>The first process to poll a ring becomes its consumer; while it lives, any other is refused with
 * {@link RoleTakenException}. A dead consumer's place is taken over.
 */
public final class RingConsumer extends RingConsumerState {
    /**
     * Empty polls (a power of 2) between two looks at a head stuck on a zero header; a look reads the clock and acts
     * at most every {@link PeerWatch#LIVENESS_CHECK_NANOS} (see {@link #onStalled}). Small enough that a consumer
     * polling now and then (every 10 ms, say) recovers a dead producer's gap in about a second, large enough that a
     * spinning consumer reads the clock (some 25 ns) only once in 64 empty polls.
     */
    private static final int STALL_CHECK_EVERY = 64;
    long q1, q2, q3, q4, q5, q6, q7, q8, q9, q10, q11, q12, q13, q14, q15, q16;
    private final BooleanSupplier dataReady = this::hasData;

    RingConsumer(Ring ring, RingHeader header) {
        super(ring, header);
        this.head = header.headAcquire();
    }

    /**
     * Drains up to {@code limit} records into {@code handler} without waiting. The first poll makes this process the
     * ring's consumer. Records are released (their space handed back to producers) when the poll returns, also when
     * the handler throws: the record whose handler threw counts as consumed.
     *
     * @param handler receives each record; its payload is valid only during the call
     * @param limit   the most records to deliver, at least 1
     * @return how many records were delivered, 0 when none was ready
     * @throws RoleTakenException      if another live process is the ring's consumer
     * @throws CorruptRecordException  if a record header breaks the protocol (the records before it are delivered)
     * @throws IllegalStateException   if called from inside a handler of the same ring
     * @throws ShmException            if the region has been closed
     */
    public int poll(RecordHandler handler, int limit) {
        Objects.requireNonNull(handler, "handler");
        Ring.checkLimit(limit);
        if (polling) {
            throw new IllegalStateException("ring '" + header.name + "': poll or receive called from inside a"
                    + " RecordHandler of the same ring; the record being handled is not released yet, so a nested poll"
                    + " would deliver it again. Return from the handler and poll again");
        }
        polling = true;
        try {
            return doPoll(handler, limit);
        } catch (IllegalStateException e) {
            throw header.translate(e);
        } finally {
            polling = false;
        }
    }

    /**
     * Waits up to {@code timeout} for records and drains up to {@code limit} of them, with the ring's
     * {@link WaitStrategy}.
     *
     * @param handler receives each record; its payload is valid only during the call
     * @param limit   the most records to deliver, at least 1
     * @param timeout how long to wait for the first record
     * @return how many records were delivered; 0 when the timeout passed first; {@link Ring#END_OF_STREAM} when
     *         producers have joined, every one has left on purpose and the ring is drained
     * @throws PeerGoneException       when the ring is drained, no producer is left, and one of them died since the
     *                                 consumer was last told ({@link PeerGoneException#died()} is true)
     * @throws RoleTakenException      if another live process is the ring's consumer
     * @throws CorruptRecordException  if a record header breaks the protocol
     * @throws IllegalStateException   if called from inside a handler of the same ring
     * @throws ShmException            if the region is closed, also while this waits
     */
    public int receive(RecordHandler handler, int limit, Duration timeout) {
        long timeoutNanos = Ring.checkTimeout(timeout);
        int received = poll(handler, limit);
        if (received > 0) {
            watch.workDone();
            return received;
        }
        long deadline = System.nanoTime() + timeoutNanos;
        WaitStrategy strategy = ring.waitStrategy();
        for (int round = 0; ; round++) {
            received = poll(handler, limit);
            if (received > 0) {
                return received;
            }
            header.region.checkOpen();
            long now = System.nanoTime();
            long left = header.producersLeft();
            if (left != leftSeen) {
                leftSeen = left; // a producer left: the stream may have ended, look now
                if (watch.producersGone(head, false) == Ring.END_OF_STREAM) {
                    return Ring.END_OF_STREAM;
                }
            }
            if (watch.due(now) && onIdle(now) == Ring.END_OF_STREAM) {
                return Ring.END_OF_STREAM;
            }
            if (now - deadline >= 0) {
                return 0;
            }
            strategy.idle(round, header.dataSignal, PeerWatch.earlier(deadline, watch.nextCheck()), dataReady);
        }
    }

    /**
     * Waits, with the ring's {@link WaitStrategy}, until a record is ready, {@code alsoReady} says so, a thread calls
     * {@link #wakeConsumer()} after making {@code alsoReady} true, or {@code deadlineNanos} passes, whichever is first.
     * For a consumer thread with other sources besides this ring (queues of its own process): their
     * producers call {@link #wakeConsumer()} after publishing, so that the thread sleeps on one futex for all of
     * them. While it waits it looks after dead producers' claims as {@link #receive} does; unlike {@code receive} it
     * never reports the end of the stream or a dead producer (the ring outlives its producers).
     *
     * @param alsoReady     true when another source has work; checked after announcing the sleep, so a publish
     *                      followed by {@link #wakeConsumer()} is never missed
     * @param deadlineNanos a {@link System#nanoTime()} value after which it returns
     * @throws IllegalStateException if called from inside a handler of the same ring
     * @throws ShmException          if the region is closed, also while this waits
     */
    public void await(BooleanSupplier alsoReady, long deadlineNanos) {
        Objects.requireNonNull(alsoReady, "alsoReady");
        if (polling) {
            throw new IllegalStateException("ring '" + header.name + "': await called from inside a RecordHandler"
                    + " of the same ring; return from the handler first");
        }
        BooleanSupplier ready = () -> hasData() || alsoReady.getAsBoolean();
        WaitStrategy strategy = ring.waitStrategy();
        try {
            for (int round = 0; ; round++) {
                leftSeen = header.producersLeft(); // a producer that left ends no stream here: not a reason to wake
                if (ready.getAsBoolean()) {
                    return;
                }
                header.region.checkOpen();
                long now = System.nanoTime();
                if (watch.due(now)) {
                    try {
                        onIdle(now);
                    } catch (PeerGoneException gone) {
                        // a producer died with the ring drained: nothing to deliver, and this ring goes on
                    }
                }
                if (now - deadlineNanos >= 0) {
                    return;
                }
                strategy.idle(round, header.dataSignal, PeerWatch.earlier(deadlineNanos, watch.nextCheck()), ready);
            }
        } catch (IllegalStateException e) {
            throw header.translate(e);
        }
    }

    /**
     * Wakes the thread in {@link #await} (or {@link #receive}) of this ring if it sleeps: one load of shared memory
     * when none does. Any thread of this process may call it, after it made work ready for the consumer thread. Once
     * the region is closed it does nothing (nobody can sleep on it then).
     */
    public void wakeConsumer() {
        try {
            header.dataSignal.wakeIfWaiting();
        } catch (IllegalStateException e) {
            if (!header.region.isClosed()) {
                throw e;
            }
        }
    }

    /**
     * True when producers have joined, every one has left on purpose, and the ring is drained: the consumer has seen
     * the whole stream. False while a producer is registered (alive, or dead and not yet noticed), while records are
     * left, and when a producer died since {@link #receive} last reported it. Like {@link #poll}, it makes this
     * process the ring's consumer.
     *
     * @return whether the stream on this ring has ended
     * @throws RoleTakenException if another live process is the ring's consumer
     */
    public boolean isEndOfStream() {
        try {
            registerConsumer();
            return watch.producersGone(head, false) == Ring.END_OF_STREAM;
        } catch (IllegalStateException e) {
            throw header.translate(e);
        }
    }

    /** @return the ring this consumes */
    public Ring ring() {
        return ring;
    }

    @Override
    public String toString() {
        return "RingConsumer[" + header + ", head=" + head + "]";
    }

    /**
     * The consumer's loop. The common record costs two predictable branches beyond the read of its header: its
     * length is in range (at least a header, at most the bytes to the end of the buffer) and its type is a user type.
     * Anything else takes {@link #decode}: padding, skipped records, batch members, and corrupt headers, which throw
     * before anything at or after them is delivered or released. The fast path does not read {@code tail}: when the
     * consumer keeps up, every record ends at the {@code tail} the producer has just stored, so a read per record
     * would move that line between the cores on every message (measured: with that read, the 64 B round trip was
     * 1.85x the cache-line probe; without it, 1.73x in the same noisy hour; perf/EXPERIMENTS.md). A committed header beyond {@code tail} can only be written
     * by a zero-copy writer running past its claim, which {@code commit} refuses (see {@link RingProducer#commit}),
     * or by damage from outside; the latter is found when the consumer next idles: {@link #checkHeadBehindTail}.
     *
     * <p>The consumer never waits on {@code tail}: it reads the header at {@code head} with acquire, and a positive
     * length means a complete record. It stops at the first header that is not committed (claims complete out of
     * order in MPSC). It writes nothing into the data: producers keep a header not yet written zero (MPSC: zeroing
     * ahead of their claims, see {@link MpscProducer}; SPSC: the word after each claim, see {@link SpscProducer}),
     * and it stores the new {@code head} with release once for the whole batch (see {@link #release}).
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
                long record = header.recordAcquire(index);
                int length = RecordDescriptor.length(record);
                if (length <= 0) {
                    if (length < 0) {
                        checkClaimed(position, index, record);
                    }
                    // a claimed header at once; a zero one (nothing yet, or a dead producer's gap) now and then
                    if (bytesRead == 0 && (length < 0 || (++emptyPolls & (STALL_CHECK_EVERY - 1)) == 0)) {
                        onStalled();
                    }
                    break;
                }
                int type = RecordDescriptor.type(record);
                if (Integer.compareUnsigned(length - HEADER_LENGTH, capacity - index - HEADER_LENGTH) > 0
                        || Integer.compareUnsigned(type - 1, MAX_TYPE - 1) > 0) {
                    long decoded = decode(position, index, record);
                    type = (int) (decoded >>> 32);
                    length = (int) decoded;
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
     * The slow path of {@link #doPoll} for a committed {@code record} header at {@code position}: returns the type to
     * deliver (0 for none: padding, a skipped record, a member of a batch cut short) in the high int and the record
     * length in the low int, or throws {@link CorruptRecordException}.
     */
    private long decode(long position, int index, long record) {
        int length = RecordDescriptor.length(record);
        int type = RecordDescriptor.type(record);
        int recordLength = length & ~RecordDescriptor.BATCH_FLAG;
        if (recordLength - HEADER_LENGTH < 0 || recordLength > capacity - index) {
            throw corrupt(position, record, "length=" + recordLength + " must be at least " + HEADER_LENGTH
                    + " and end at or before the end of the buffer (" + (capacity - index) + " bytes on)");
        }
        if (length == recordLength) {
            if (type != PADDING_TYPE && type != SKIPPED_TYPE) {
                throw corrupt(position, record, "type=" + type + " is neither 1 to " + MAX_TYPE
                        + ", padding nor skipped");
            }
            return recordLength;
        }
        int claimant = RecordDescriptor.claimant(record);
        int userType = RecordDescriptor.userType(record);
        if (claimant < 0 || userType == 0) {
            throw corrupt(position, record, "a batch member must name its claimant and a type, found claimant="
                    + claimant + " type=" + userType);
        }
        if (RecordDescriptor.isLead(record)) {
            recovery.batchFlushed(claimant);
        } else if (recovery.voided(claimant)) {
            header.addSkipped(alignedLength(recordLength)); // committed by a flush its producer did not live to end
            return recordLength;
        }
        return (long) userType << 32 | recordLength;
    }

    /** Throws unless the claimed {@code record} header at {@code position} covers a record that could be claimed. */
    void checkClaimed(long position, int index, long record) {
        int recordLength = -RecordDescriptor.length(record);
        if (Integer.compareUnsigned(recordLength - HEADER_LENGTH, capacity - index - HEADER_LENGTH) > 0
                || recordLength > header.maxMessageLength + HEADER_LENGTH) {
            throw corrupt(position, record, "claimed length=" + recordLength + " must be at least " + HEADER_LENGTH
                    + ", at most maxMessageLength + " + HEADER_LENGTH + "=" + (header.maxMessageLength + HEADER_LENGTH)
                    + " and end at or before the end of the buffer (" + (capacity - index) + " bytes on)");
        }
        long end = position + alignedLength(recordLength);
        if (end - tailSeen > 0 && end - (tailSeen = header.tailAcquire()) > 0) {
            throw corrupt(position, record, "the claimed record runs past tail=" + tailSeen);
        }
    }

    private CorruptRecordException corrupt(long position, long record, String what) {
        return new CorruptRecordException("ring '" + header.name + "' of region '" + header.region.name()
                + "' is corrupt at position=" + position + ": header=0x" + Long.toHexString(record) + ": " + what
                + "; head=" + head + ", nothing from there on is delivered", header.name, position, record);
    }

    /**
     * Hands the consumed bytes back to the producers with one release of {@code head} (no ring's consumer zeroes
     * them since layout 6: the producers keep the headers they have not written zero, see {@link MpscProducer} and
     * {@link SpscProducer}). Where the release ends is stored first, in {@code releasing}: a successor of a consumer
     * killed in between finishes the release (see {@link #registerConsumer}), so that it does not deliver again
     * what the dead one had delivered.
     */
    private void release(long start, long bytes) {
        head = start + bytes;
        header.putReleasing(head);
        header.putHeadRelease(head);
        header.spaceSignal.wakeIfWaiting();
    }

    /** The head record is not committed: now and then, see whether whoever writes it is gone. */
    private void onStalled() {
        long now = System.nanoTime();
        if (now - lastStallCheck >= PeerWatch.LIVENESS_CHECK_NANOS) {
            lastStallCheck = now;
            checkHeadBehindTail();
            recovery.recover(head, now);
        }
    }

    /**
     * Throws when {@code head} has passed {@code tail}: a record was read beyond what producers claimed, which only
     * damage from outside the ring's API can cause (the fast path does not read {@code tail}, see {@link #doPoll}).
     * Called when the consumer idles (a stall check, or a wait in {@code receive}); every later one throws again.
     */
    void checkHeadBehindTail() {
        long tail = header.tailAcquire();
        if (head - tail > 0) {
            throw corrupt(head, header.recordAcquire(head & mask), "head=" + head + " is ahead of tail=" + tail
                    + ": a record beyond what producers claimed was read (the ring was written outside its API)");
        }
    }

    /** True when a record is ready for the consumer, or a producer has left since the consumer last looked. */
    private boolean hasData() {
        return RecordDescriptor.length(header.recordAcquire(head & mask)) > 0 || header.producersLeft() != leftSeen;
    }

    /**
     * Called while the consumer waits: recover dead producers' claims, notice that all producers are gone; returns
     * {@link Ring#END_OF_STREAM} when they all left.
     */
    private int onIdle(long nowNanos) {
        checkHeadBehindTail();
        if (!recovery.recover(head, nowNanos) && header.tailAcquire() - head <= 0) {
            return watch.producersGone(head, true);
        }
        return 0;
    }

    /** Makes this process the ring's consumer, once; refuses when another live process is. */
    void registerConsumer() {
        if (registered) {
            return;
        }
        SharedRegion region = header.region;
        long mine = region.ref();
        Participants participants = region.participants();
        while (true) {
            long current = header.consumerRef();
            if (current == mine) {
                break;
            }
            if (current > 0 && participants.isAlive(current)) {
                long holder = participants.pidOf(current);
                throw new RoleTakenException("ring '" + header.name + "' already has a consumer: pid " + holder
                        + "; an SPSC or MPSC ring has one consumer", header.name, RoleTakenException.Role.CONSUMER,
                        holder);
            }
            if (header.casConsumerRef(current, mine)) {
                if (current > 0) {
                    header.dataSignal.clearWaiter(Participants.slotOf(current)); // it may have died asleep
                }
                break;
            }
        }
        head = header.headAcquire(); // another consumer may have moved it since this handle was made
        long releasing = header.releasingAcquire();
        if (releasing - head > 0) {
            release(head, releasing - head); // a dead consumer's release, cut short: finish it
        }
        watch.consumerRegistered();
        registered = true;
        region.onRegistered(ring);
    }

    /** Called by the region at close: this process stops being the ring's consumer. */
    void deregister() {
        if (registered) {
            boolean ignored = header.casConsumerRef(header.region.ref(), -1L);
        }
    }
}
