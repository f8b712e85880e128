package io.millrace.actors.codec;

import java.lang.foreign.MemorySegment;

/**
 * A user's serializer for one message type, plugged in with {@link MessageCodec#register(Class, Codec)} for types
 * the built-in encoding does not carry (a plain class) or should carry otherwise. The codec frames the bytes (a
 * length before them), so an implementation writes and reads only its own payload.
 *
 * <pre>{@code
 * codec.register(Money.class, new Codec<>() {
 *     public int sizeOf(Money m) { return 16; }
 *     public void write(Money m, MemorySegment segment, long offset) {
 *         segment.set(ValueLayout.JAVA_LONG_UNALIGNED, offset, m.units());
 *         segment.set(ValueLayout.JAVA_LONG_UNALIGNED, offset + 8, m.nanos());
 *     }
 *     public Money read(MemorySegment segment, long offset, int length) {
 *         return new Money(segment.get(ValueLayout.JAVA_LONG_UNALIGNED, offset),
 *                 segment.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + 8));
 *     }
 * });
 * }</pre>
 *
 * @param <T> the type it carries
 */
public interface Codec<T> {

    /**
     * @param value the value to encode, never null
     * @return the number of bytes {@link #write} will write for it (0 or more)
     */
    int sizeOf(T value);

    /**
     * Writes {@code value} in exactly {@link #sizeOf} bytes.
     *
     * @param value   the value, never null
     * @param segment a segment of exactly {@code sizeOf(value)} bytes past {@code offset}
     * @param offset  where to start writing
     */
    void write(T value, MemorySegment segment, long offset);

    /**
     * Reads a value written by {@link #write}. Any exception it throws is reported as a {@link CodecException}.
     *
     * @param segment the bytes, valid only during the call
     * @param offset  where the value starts
     * @param length  how many bytes it takes
     * @return the value, not null
     */
    T read(MemorySegment segment, long offset, int length);
}
