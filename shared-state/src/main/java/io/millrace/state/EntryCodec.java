package io.millrace.state;

import io.millrace.actors.codec.MessageCodec;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * How a {@link SharedMap} turns keys or values into bytes and back. Keys are compared by their bytes, so a key codec
 * must encode equal keys alike (records, strings and primitives through the actors' codec do; sets and maps, whose
 * order varies, do not).
 *
 * @param <T> the type carried
 */
public interface EntryCodec<T> {

    /**
     * @param value a value, not null
     * @return the bytes {@link #write} takes for it
     */
    int sizeOf(T value);

    /**
     * Writes {@code value} into exactly {@code length} bytes at {@code offset}.
     *
     * @param value   the value
     * @param segment where to write
     * @param offset  where it starts
     * @param length  its {@link #sizeOf}
     */
    void write(T value, MemorySegment segment, long offset, int length);

    /**
     * Reads the value of {@code length} bytes at {@code offset}.
     *
     * @param segment the bytes, valid during the call only (copy what the value keeps)
     * @param offset  where the value starts
     * @param length  its length
     * @return the value
     */
    T read(MemorySegment segment, long offset, int length);

    /** {@return raw bytes as they are} */
    static EntryCodec<byte[]> bytes() {
        return RawBytes.INSTANCE;
    }

    /**
     * Values of {@code type} through the actors' {@link MessageCodec}: records, enums, strings, primitives' boxes.
     * Give every process a codec over the same {@code SharedTypeRegistry} so that record types get the same ids.
     *
     * @param codec the codec
     * @param type  the type of the keys or values; checked now
     * @param <T>   the type
     * @return the entry codec
     * @throws io.millrace.actors.codec.UnsupportedMessageException when the codec cannot carry {@code type}
     */
    static <T> EntryCodec<T> of(MessageCodec codec, Class<T> type) {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(type, "type");
        codec.check(type);
        return new EntryCodec<>() {
            @Override
            public int sizeOf(T value) {
                return codec.sizeOf(type.cast(Objects.requireNonNull(value, "value")));
            }

            @Override
            public void write(T value, MemorySegment segment, long offset, int length) {
                codec.write(value, segment, offset, length);
            }

            @Override
            public T read(MemorySegment segment, long offset, int length) {
                return type.cast(codec.read(segment, offset, length));
            }

            @Override
            public String toString() {
                return "EntryCodec[" + type.getName() + "]";
            }
        };
    }
}
