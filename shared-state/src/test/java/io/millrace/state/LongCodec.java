package io.millrace.state;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Longs as 8 bytes, for tests' maps of account numbers to balances (no type registry needed). */
enum LongCodec implements EntryCodec<Long> {
    INSTANCE;

    @Override
    public int sizeOf(Long value) {
        return 8;
    }

    @Override
    public void write(Long value, MemorySegment segment, long offset, int length) {
        segment.set(ValueLayout.JAVA_LONG_UNALIGNED, offset, value);
    }

    @Override
    public Long read(MemorySegment segment, long offset, int length) {
        return segment.get(ValueLayout.JAVA_LONG_UNALIGNED, offset);
    }
}
