package io.millrace.actors.codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The write cursor of one encoding: a position that must not pass {@code limit}, the end of the slice that
 * {@link MessageCodec#sizeOf} sized. Every write checks the limit, so a message that grew since it was sized (a list
 * another thread added to) fails with a {@link CodecException} instead of writing into the next record. One per
 * thread, reused.
 */
final class Writer {
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    static final ValueLayout.OfChar CHAR = ValueLayout.JAVA_CHAR_UNALIGNED;
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    MemorySegment segment;
    long position;
    long limit;
    long start;
    int depth;
    boolean inUse;
    byte[] scratch = new byte[256];

    void reset(MemorySegment segment, long offset, long limit) {
        this.segment = segment;
        this.position = offset;
        this.start = offset;
        this.limit = limit;
        this.depth = 0;
    }

    private long claim(long bytes) {
        long p = position;
        if (bytes > limit - p) {
            throw new CodecException("the message grew while it was encoded: " + bytes + " more bytes at offset="
                    + (p - start) + " than its size=" + (limit - start) + " (was it changed by another thread?)");
        }
        position = p + bytes;
        return p;
    }

    void enter() {
        if (++depth > MessageCodec.MAX_DEPTH) {
            throw new CodecException("message nested deeper than " + MessageCodec.MAX_DEPTH
                    + " levels (a collection that contains itself?)");
        }
    }

    void exit() {
        depth--;
    }

    void writeByte(int value) {
        segment.set(ValueLayout.JAVA_BYTE, claim(1), (byte) value);
    }

    void writeByte(byte value) {
        segment.set(ValueLayout.JAVA_BYTE, claim(1), value);
    }

    void writeBoolean(boolean value) {
        writeByte(value ? 1 : 0);
    }

    void writeShort(short value) {
        segment.set(SHORT, claim(2), value);
    }

    void writeChar(char value) {
        segment.set(CHAR, claim(2), value);
    }

    void writeInt(int value) {
        segment.set(INT, claim(4), value);
    }

    void writeLong(long value) {
        segment.set(LONG, claim(8), value);
    }

    void writeFloat(float value) {
        segment.set(FLOAT, claim(4), value);
    }

    void writeDouble(double value) {
        segment.set(DOUBLE, claim(8), value);
    }

    /** An unsigned LEB128 varint: 7 bits a byte, low group first, the high bit set on all bytes but the last. */
    void writeVarint(int value) {
        if ((value & ~0x7F) == 0) {
            writeByte(value);
            return;
        }
        long p = claim(Wire.varintSize(value));
        while ((value & ~0x7F) != 0) {
            segment.set(ValueLayout.JAVA_BYTE, p++, (byte) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        segment.set(ValueLayout.JAVA_BYTE, p, (byte) value);
    }

    /** See {@link Wire#stringSize}: Latin-1 bytes when every char fits, UTF-16 chars otherwise. */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): the Latin-1 copy without a charset
    void writeString(String value) {
        int length = value.length();
        if (Wire.isLatin1(value)) {
            writeVarint(length << 1);
            long p = claim(length);
            byte[] bytes = scratch(length);
            value.getBytes(0, length, bytes, 0);
            MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, p, length);
        } else {
            writeVarint((length << 1) | 1);
            long p = claim(2L * length);
            for (int i = 0; i < length; i++) {
                segment.set(CHAR, p + 2L * i, value.charAt(i));
            }
        }
    }

    private byte[] scratch(int length) {
        if (length <= scratch.length) {
            return scratch;
        }
        byte[] bytes = new byte[length];
        if (length <= MessageCodec.MAX_SCRATCH) {
            scratch = bytes;
        }
        return bytes;
    }

    /** Copies {@code count} elements of a primitive array; {@code layout} gives the element size. */
    void writeArray(Object array, ValueLayout layout, int count) {
        long p = claim(count * layout.byteSize());
        MemorySegment.copy(array, 0, segment, layout, p, count);
    }

    /** Hands {@code bytes} bytes to a user's {@link Codec} as a segment of exactly that size. */
    MemorySegment slice(long bytes) {
        return segment.asSlice(claim(bytes), bytes);
    }
}
