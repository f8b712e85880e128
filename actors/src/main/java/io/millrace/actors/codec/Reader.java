package io.millrace.actors.codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * The read cursor of one decoding, over {@code [start, end)} of a segment. Every read checks what remains, and every
 * count (a string's length, an array's, a collection's) is checked against the bytes that remain before anything is
 * allocated for it, so a corrupt record costs at most its own length in memory and a {@link CodecException} names
 * the offset. One per thread, reused.
 */
final class Reader {
    MemorySegment segment;
    long position;
    long start;
    long end;
    int depth;
    boolean inUse;
    private byte[] bytes = new byte[256];
    private char[] chars = new char[128];

    void reset(MemorySegment segment, long offset, long end) {
        this.segment = segment;
        this.position = offset;
        this.start = offset;
        this.end = end;
        this.depth = 0;
    }

    long offset() {
        return position - start;
    }

    long remaining() {
        return end - position;
    }

    CodecException corrupt(String what) {
        return new CodecException("corrupt message at offset=" + offset() + " of length=" + (end - start) + ": "
                + what);
    }

    private long take(long n) {
        long p = position;
        if (n > end - p) {
            throw corrupt("needs " + n + " more bytes, " + (end - p) + " remain");
        }
        position = p + n;
        return p;
    }

    void enter() {
        if (++depth > MessageCodec.MAX_DEPTH) {
            throw corrupt("nested deeper than " + MessageCodec.MAX_DEPTH + " levels");
        }
    }

    void exit() {
        depth--;
    }

    byte readByte() {
        return segment.get(ValueLayout.JAVA_BYTE, take(1));
    }

    boolean readBoolean() {
        byte b = readByte();
        if ((b & ~1) != 0) {
            throw corrupt("boolean byte=" + b + " is neither 0 nor 1");
        }
        return b == 1;
    }

    /** A null flag: 0 for null, 1 for a value. */
    boolean readPresent() {
        byte b = readByte();
        if ((b & ~1) != 0) {
            throw corrupt("null flag=" + b + " is neither 0 nor 1");
        }
        return b == 1;
    }

    short readShort() {
        return segment.get(Writer.SHORT, take(2));
    }

    char readChar() {
        return segment.get(Writer.CHAR, take(2));
    }

    int readInt() {
        return segment.get(Writer.INT, take(4));
    }

    long readLong() {
        return segment.get(Writer.LONG, take(8));
    }

    float readFloat() {
        return segment.get(Writer.FLOAT, take(4));
    }

    double readDouble() {
        return segment.get(Writer.DOUBLE, take(8));
    }

    int readVarint() {
        int result = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            byte b = readByte();
            if (shift == 28 && (b & 0xF0) != 0) {
                throw corrupt("varint longer than 32 bits");
            }
            result |= (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw corrupt("varint longer than 5 bytes");
    }

    /** A count of things that take at least {@code minBytes} each, checked against the bytes that remain. */
    int readCount(String what, long minBytes) {
        long at = offset();
        int count = readVarint();
        if (count < 0 || count * minBytes > remaining()) {
            throw new CodecException("corrupt message at offset=" + at + " of length=" + (end - start) + ": " + what
                    + " count=" + Integer.toUnsignedString(count) + " does not fit in the " + remaining()
                    + " bytes that remain");
        }
        return count;
    }

    String readString() {
        long at = offset();
        int header = readVarint();
        int length = header >>> 1;
        boolean utf16 = (header & 1) != 0;
        long size = utf16 ? 2L * length : length;
        if (size > remaining()) {
            throw new CodecException("corrupt message at offset=" + at + " of length=" + (end - start)
                    + ": string of " + length + " chars does not fit in the " + remaining() + " bytes that remain");
        }
        long p = take(size);
        if (!utf16) {
            byte[] b = length <= bytes.length ? bytes : grow(length);
            MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, p, b, 0, length);
            return new String(b, 0, length, StandardCharsets.ISO_8859_1);
        }
        char[] c = length <= chars.length ? chars : growChars(length);
        MemorySegment.copy(segment, Writer.CHAR, p, c, 0, length);
        return new String(c, 0, length);
    }

    private byte[] grow(int length) {
        byte[] b = new byte[length];
        if (length <= MessageCodec.MAX_SCRATCH) {
            bytes = b;
        }
        return b;
    }

    private char[] growChars(int length) {
        char[] c = new char[length];
        if (length <= MessageCodec.MAX_SCRATCH / 2) {
            chars = c;
        }
        return c;
    }

    /** Fills {@code array} (of {@code count} elements of {@code layout}) from the record. */
    void readArray(Object array, ValueLayout layout, int count) {
        long p = take(count * layout.byteSize());
        MemorySegment.copy(segment, layout, p, array, 0, count);
    }

    /** The next {@code bytes} bytes as a segment of exactly that size, for a user's {@link Codec}. */
    MemorySegment slice(long bytes) {
        return segment.asSlice(take(bytes), bytes);
    }
}
