package io.millrace.actors.remote;

import io.millrace.shm.MessageTooLargeException;
import io.millrace.shm.OfferStatus;
import io.millrace.shm.Ring;
import io.millrace.shm.WaitStrategy;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static io.millrace.actors.remote.Frames.FIRST_HEADER;
import static io.millrace.actors.remote.Frames.MESSAGE_HEADER;
import static io.millrace.actors.remote.Frames.NEXT_HEADER;

/**
 * Writes messages into another node's mailbox ring (see {@link Frames}). A message that fits one record is encoded
 * straight into the ring's claimed space: {@code tryClaim}, encode, {@code commit}, with no copy and no allocation.
 * When the ring is full it is encoded into this thread's scratch buffer and sent with the ring's waiting
 * {@code send}, up to the caller's timeout. A longer message, up to {@code maxMessageBytes}, is encoded into the
 * scratch buffer and sent as fragments; a message longer than that is refused before anything is written.
 *
 * <p>Waiting for room with {@link WaitStrategy#busySpin()}, it spins in slices of {@value #SPIN_SLICE_NANOS} ns with
 * a {@link Thread#yield()} between them: on a machine with fewer CPUs than spinning threads, the consumer that would
 * make room may be waiting for this CPU, and a spinner that never yields hands it over only at a scheduler tick.
 */
public final class Outbound {
    /**
     * How long a busy-spinning actor thread (this sender waiting for room, an idle lane) spins before it yields its
     * CPU once.
     */
    public static final long SPIN_SLICE_NANOS = 20_000L;
    /** Scratch space a thread keeps between messages; more is released after each long message. */
    static final int KEPT_SCRATCH = 1 << 20;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final long PID = ProcessHandle.current().pid();
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final int maxMessageBytes;

    /**
     * @param maxMessageBytes the longest encoded message this sender accepts (fragmented when longer than a record)
     */
    public Outbound(int maxMessageBytes) {
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("maxMessageBytes=" + maxMessageBytes + " must be at least 1");
        }
        this.maxMessageBytes = maxMessageBytes;
    }

    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /**
     * Sends {@code message} to the actor {@code targetUid} of the node that consumes {@code ring}.
     *
     * @return true when it is in the ring, false when the ring stayed full for {@code timeout} (a long message may
     *         then have been written in part: its receiver drops the part at this thread's next long message)
     * @throws MessageTooLargeException if the encoded message is longer than {@link #maxMessageBytes()}
     * @throws io.millrace.shm.PeerGoneException if the ring's consumer died or left while this waited for room
     */
    public <M> boolean send(Ring ring, long targetUid, MessageEncoder<M> encoder, M message, Duration timeout) {
        int size = encoder.sizeOf(message);
        int inOne = ring.maxMessageLength() - MESSAGE_HEADER;
        if (size <= inOne) {
            long at = ring.tryClaim(Frames.MESSAGE, size + MESSAGE_HEADER);
            if (at >= 0) {
                writeClaimed(ring, at, targetUid, encoder, message, size);
                return true;
            }
            if (timeout.isZero()) {
                return false;
            }
            MemorySegment frame = SCRATCH.get().frame(size + MESSAGE_HEADER);
            frame.set(LONG, Frames.TARGET_OFFSET, targetUid);
            encoder.write(message, frame, MESSAGE_HEADER, size);
            return sendWaiting(ring, Frames.MESSAGE, frame, System.nanoTime() + timeout.toNanos());
        }
        if (size > maxMessageBytes) {
            throw new MessageTooLargeException("message of class=" + message.getClass().getName() + " encodes to size="
                    + size + " bytes, more than maxMessageBytes=" + maxMessageBytes, size, maxMessageBytes);
        }
        return sendFragments(ring, targetUid, encoder, message, size, timeout);
    }

    private static <M> void writeClaimed(Ring ring, long at, long targetUid, MessageEncoder<M> encoder, M message,
                                         int size) {
        boolean written = false;
        try {
            MemorySegment buffer = ring.buffer();
            buffer.set(LONG, at + Frames.TARGET_OFFSET, targetUid);
            encoder.write(message, buffer, at + MESSAGE_HEADER, size);
            written = true;
        } finally {
            if (written) {
                ring.commit(at);
            } else {
                ring.abort(at);
            }
        }
    }

    private <M> boolean sendFragments(Ring ring, long targetUid, MessageEncoder<M> encoder, M message, int size,
                                      Duration timeout) {
        Scratch scratch = SCRATCH.get();
        try {
            MemorySegment body = scratch.body(size);
            encoder.write(message, body, 0, size);
            long deadline = System.nanoTime() + timeout.toNanos();
            int recordMax = ring.maxMessageLength();
            MemorySegment frame = scratch.frame(recordMax);
            frame.set(LONG, Frames.SENDER_OFFSET, scratch.senderKey);
            frame.set(LONG, Frames.FIRST_TARGET_OFFSET, targetUid);
            frame.set(INT, Frames.FIRST_TOTAL_OFFSET, size);
            frame.set(INT, Frames.FIRST_TOTAL_OFFSET + 4, 0);
            int chunk = Math.min(size, recordMax - FIRST_HEADER);
            MemorySegment.copy(body, 0, frame, FIRST_HEADER, chunk);
            if (!sendWaiting(ring, Frames.FRAGMENT_FIRST, frame.asSlice(0, FIRST_HEADER + chunk), deadline)) {
                return false;
            }
            for (int sent = chunk; sent < size; sent += chunk) {
                chunk = Math.min(size - sent, recordMax - NEXT_HEADER);
                MemorySegment.copy(body, sent, frame, NEXT_HEADER, chunk);
                if (!sendWaiting(ring, Frames.FRAGMENT_NEXT, frame.asSlice(0, NEXT_HEADER + chunk), deadline)) {
                    return false;
                }
            }
            return true;
        } finally {
            scratch.trim();
        }
    }

    /** The ring's waiting {@code send} until {@code deadline}; busy-spinning, in slices with a yield between. */
    private static boolean sendWaiting(Ring ring, int type, MemorySegment frame, long deadline) {
        boolean spinning = ring.waitStrategy() == WaitStrategy.busySpin();
        while (true) {
            long remaining = Math.max(0, deadline - System.nanoTime());
            long slice = spinning ? Math.min(remaining, SPIN_SLICE_NANOS) : remaining;
            if (ring.send(type, frame, Duration.ofNanos(slice)) == OfferStatus.ACCEPTED) {
                return true;
            }
            if (slice == remaining) {
                return false;
            }
            Thread.yield();
        }
    }

    /** A thread's sender key and scratch buffers. */
    private static final class Scratch {
        final long senderKey = PID << 32 | (THREADS.incrementAndGet() & 0xFFFF_FFFFL);
        private MemorySegment frame = MemorySegment.ofArray(new long[1024]);
        private MemorySegment body = MemorySegment.ofArray(new long[1024]);

        MemorySegment frame(int bytes) {
            if (frame.byteSize() < bytes) {
                frame = MemorySegment.ofArray(new long[(bytes + 7) / 8]);
            }
            return frame.asSlice(0, bytes);
        }

        MemorySegment body(int bytes) {
            if (body.byteSize() < bytes) {
                body = MemorySegment.ofArray(new long[(bytes + 7) / 8]);
            }
            return body;
        }

        void trim() {
            if (body.byteSize() > KEPT_SCRATCH) {
                body = MemorySegment.ofArray(new long[1024]);
            }
            if (frame.byteSize() > KEPT_SCRATCH) {
                frame = MemorySegment.ofArray(new long[1024]);
            }
        }
    }
}
