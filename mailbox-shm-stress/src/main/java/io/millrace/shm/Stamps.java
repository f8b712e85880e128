package io.millrace.shm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Payloads the stress tests can check word by word: every 8-byte word of a payload holds the stamp of the state
 * that wrote it, unique in the JVM and never zero, so that a word still zero (not yet written, or zeroed by the
 * consumer's release) or left over from an earlier lap tells itself apart. Plain stores and loads: the ring's
 * protocol, not these accesses, has to order them.
 */
final class Stamps {
    private static final AtomicLong NEXT = new AtomicLong(0x5EED_0000_0000_0001L);

    private Stamps() {
    }

    /** A stamp for one state. */
    static long next() {
        return NEXT.getAndIncrement();
    }

    /** Writes {@code stamp} into each of the {@code length / 8} words at {@code offset}. */
    static void fill(MemorySegment buffer, long offset, int length, long stamp) {
        for (int at = 0; at + Long.BYTES <= length; at += Long.BYTES) {
            buffer.set(ValueLayout.JAVA_LONG, offset + at, stamp);
        }
    }

    /** True when each of the {@code length / 8} words at {@code offset} holds {@code stamp}. */
    static boolean holds(MemorySegment buffer, long offset, int length, long stamp) {
        for (int at = 0; at + Long.BYTES <= length; at += Long.BYTES) {
            if (buffer.get(ValueLayout.JAVA_LONG, offset + at) != stamp) {
                return false;
            }
        }
        return true;
    }

    /** A heap payload of {@code length} bytes (a multiple of 8) holding {@code stamp} in each word, for offers. */
    static MemorySegment payload(int length, long stamp) {
        MemorySegment payload = MemorySegment.ofArray(new long[length / Long.BYTES]);
        fill(payload, 0, length, stamp);
        return payload;
    }
}
