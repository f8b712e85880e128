package io.millrace.shm;

import java.lang.foreign.MemorySegment;

/**
 * Receives records drained by {@link Ring#poll}. The payload is {@code length} bytes of {@code buffer} at
 * {@code offset}; it is valid only during the call (the space is reused once the batch is released), so copy
 * out what must outlive it.
 */
@FunctionalInterface
public interface RecordHandler {
    void onRecord(int type, MemorySegment buffer, long offset, int length);
}
