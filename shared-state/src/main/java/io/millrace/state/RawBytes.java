package io.millrace.state;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** The identity codec of {@code byte[]}: {@link EntryCodec#bytes()}. */
final class RawBytes implements EntryCodec<byte[]> {
    static final RawBytes INSTANCE = new RawBytes();

    private RawBytes() {
    }

    @Override
    public int sizeOf(byte[] value) {
        return value.length;
    }

    @Override
    public void write(byte[] value, MemorySegment segment, long offset, int length) {
        MemorySegment.copy(value, 0, segment, ValueLayout.JAVA_BYTE, offset, length);
    }

    @Override
    public byte[] read(MemorySegment segment, long offset, int length) {
        byte[] out = new byte[length];
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, out, 0, length);
        return out;
    }
}
