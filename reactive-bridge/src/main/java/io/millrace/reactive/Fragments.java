package io.millrace.reactive;

import io.millrace.shm.Ring;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Reassembles what the publisher sent in fragments (see {@link StreamDescriptor}): a {@code FRAGMENT_START} record
 * gives the kind and the total length, {@code FRAGMENT} records the rest, in order (one producer per data ring).
 * For the subscriber's receiving thread only.
 */
final class Fragments {
    private byte[] bytes;
    private int kind;
    private int filled;

    /** Starts a payload from a {@code FRAGMENT_START} record. */
    void start(MemorySegment buffer, long offset, int length) {
        kind = buffer.get(ValueLayout.JAVA_INT_UNALIGNED, offset);
        int total = buffer.get(ValueLayout.JAVA_INT_UNALIGNED, offset + 4);
        if (total < 0) {
            throw new IllegalStateException("corrupt FRAGMENT_START: total=" + total);
        }
        bytes = new byte[total];
        filled = 0;
        append(buffer, offset + StreamDescriptor.FRAGMENT_START_HEADER, length - StreamDescriptor.FRAGMENT_START_HEADER);
    }

    /** Adds a {@code FRAGMENT} record's bytes. */
    void append(MemorySegment buffer, long offset, int length) {
        if (bytes == null || filled + length > bytes.length) {
            throw new IllegalStateException("FRAGMENT of " + length + " bytes "
                    + (bytes == null ? "without a FRAGMENT_START" : "beyond the total of " + bytes.length));
        }
        MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, offset, bytes, filled, length);
        filled += length;
    }

    /** True when every byte has come. */
    boolean complete() {
        return bytes != null && filled == bytes.length;
    }

    /** The kind ({@code ELEMENT} or {@code ERROR}) of the completed payload. */
    int kind() {
        return kind;
    }

    /** Hands the completed payload over and starts afresh. */
    byte[] take() {
        byte[] result = bytes;
        bytes = null;
        return result;
    }

    /** Largest bytes of a payload in one {@code FRAGMENT} record of {@code ring}. */
    static int chunk(Ring ring) {
        return ring.maxMessageLength() - StreamDescriptor.FRAGMENT_START_HEADER;
    }
}
