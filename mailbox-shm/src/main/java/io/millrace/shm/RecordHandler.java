package io.millrace.shm;

import java.lang.foreign.MemorySegment;

/**
 * Receives records drained by {@link Ring#poll}. The payload is {@code length} bytes of {@code buffer} at
 * {@code offset}; it is valid only during the call (the space is reused once the batch is released), so copy
 * out what must outlive it.
 */
@FunctionalInterface
public interface RecordHandler {
    /**
     * Handles one record. A handler that throws ends the poll: the record counts as consumed, the records after it
     * stay in the ring, and the exception reaches the caller of {@code poll}. A handler may not poll the same ring.
     *
     * @param type   the record's type, 1 to {@link Ring#MAX_TYPE}
     * @param buffer the ring's data buffer
     * @param offset where the payload starts in {@code buffer}
     * @param length the payload's length in bytes
     */
    void onRecord(int type, MemorySegment buffer, long offset, int length);
}
