package io.millrace.actors.remote;

import io.millrace.shm.RecordHandler;
import io.millrace.shm.Ring;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

import static io.millrace.actors.remote.Frames.FIRST_HEADER;
import static io.millrace.actors.remote.Frames.MESSAGE_HEADER;
import static io.millrace.actors.remote.Frames.NEXT_HEADER;

/**
 * Reads a node's mailbox ring (see {@link Frames}): whole messages go to the {@link Delivery} in place, fragments are
 * reassembled per sender key and delivered from a heap copy once complete. A record that is not a valid frame is
 * reported to {@link Delivery#corrupt} and dropped; nothing here throws for what a peer wrote. One per ring, for the
 * ring's consumer thread only: a sender thread's fragments are in order within one ring, not across rings.
 */
public final class Inbound implements RecordHandler {
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;

    private final int maxMessageBytes;
    /** Unfinished fragmented messages by sender key; a partial without bytes drops the rest of its message. */
    private final Map<Long, Partial> partials = new HashMap<>();
    private Delivery delivery;

    /** @param maxMessageBytes the longest reassembled message accepted; longer ones are dropped as corrupt */
    public Inbound(int maxMessageBytes) {
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("maxMessageBytes=" + maxMessageBytes + " must be at least 1");
        }
        this.maxMessageBytes = maxMessageBytes;
    }

    /** Drains up to {@code limit} records of {@code ring} into {@code to}; returns how many records it read. */
    public int poll(Ring ring, Delivery to, int limit) {
        this.delivery = Objects.requireNonNull(to, "to");
        return ring.poll(this, limit);
    }

    @Override
    public void onRecord(int type, MemorySegment buffer, long offset, int length) {
        switch (type) {
            case Frames.MESSAGE -> {
                if (length < MESSAGE_HEADER) {
                    delivery.corrupt("a message record of " + length + " bytes (shorter than its header)");
                    return;
                }
                delivery.deliver(buffer.get(LONG, offset + Frames.TARGET_OFFSET), buffer, offset + MESSAGE_HEADER,
                        length - MESSAGE_HEADER);
            }
            case Frames.FRAGMENT_FIRST -> first(buffer, offset, length);
            case Frames.FRAGMENT_NEXT -> next(buffer, offset, length);
            default -> delivery.corrupt("a record of unknown type " + type + " (" + length + " bytes)");
        }
    }

    private void first(MemorySegment buffer, long offset, int length) {
        if (length < FIRST_HEADER) {
            delivery.corrupt("a first fragment of " + length + " bytes (shorter than its header)");
            return;
        }
        long key = buffer.get(LONG, offset + Frames.SENDER_OFFSET);
        long target = buffer.get(LONG, offset + Frames.FIRST_TARGET_OFFSET);
        int total = buffer.get(INT, offset + Frames.FIRST_TOTAL_OFFSET);
        int chunk = length - FIRST_HEADER;
        Partial dropped = partials.remove(key);
        if (dropped != null && dropped.bytes != null) {
            delivery.corrupt("an unfinished message of " + dropped.bytes.length + " bytes from sender "
                    + Long.toHexString(key) + " (its sender gave up part way)");
        }
        if (total <= 0 || total > maxMessageBytes || chunk > total) {
            delivery.corrupt("a fragmented message of " + total + " bytes (maxMessageBytes=" + maxMessageBytes
                    + ", first fragment " + chunk + " bytes)");
            partials.put(key, new Partial(target, null));
            return;
        }
        Partial partial = new Partial(target, new byte[total]);
        MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, offset + FIRST_HEADER, partial.bytes, 0, chunk);
        partial.filled = chunk;
        complete(key, partial);
    }

    private void next(MemorySegment buffer, long offset, int length) {
        if (length < NEXT_HEADER) {
            delivery.corrupt("a fragment of " + length + " bytes (shorter than its header)");
            return;
        }
        long key = buffer.get(LONG, offset + Frames.SENDER_OFFSET);
        Partial partial = partials.get(key);
        if (partial == null) {
            delivery.corrupt("a fragment from sender " + Long.toHexString(key) + " with no first fragment");
            return;
        }
        if (partial.bytes == null) {
            return; // the rest of a message already reported as corrupt
        }
        int chunk = length - NEXT_HEADER;
        if (chunk > partial.bytes.length - partial.filled) {
            partials.remove(key);
            delivery.corrupt("fragments from sender " + Long.toHexString(key) + " run past their message's "
                    + partial.bytes.length + " bytes");
            return;
        }
        MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, offset + NEXT_HEADER, partial.bytes, partial.filled, chunk);
        partial.filled += chunk;
        complete(key, partial);
    }

    private void complete(long key, Partial partial) {
        if (partial.filled < partial.bytes.length) {
            partials.put(key, partial);
            return;
        }
        partials.remove(key);
        delivery.deliver(partial.target, MemorySegment.ofArray(partial.bytes), 0, partial.bytes.length);
    }

    /** Drops unfinished messages whose sending process is gone; returns how many. Call when idle. */
    public int dropDeadSenders() {
        int dropped = 0;
        for (Iterator<Map.Entry<Long, Partial>> it = partials.entrySet().iterator(); it.hasNext(); ) {
            long pid = Frames.pidOf(it.next().getKey());
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                continue;
            }
            it.remove();
            dropped++;
        }
        return dropped;
    }

    /** Fragmented messages under reassembly now. */
    public int unfinished() {
        return partials.size();
    }

    private static final class Partial {
        final long target;
        final byte[] bytes;
        int filled;

        Partial(long target, byte[] bytes) {
            this.target = target;
            this.bytes = bytes;
        }
    }
}
