package io.millrace.actors.remote;

import io.millrace.actors.codec.MessageCodec;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Writes messages of type {@code M} straight into a ring's claimed space: the size first, then the bytes. The actor
 * codec implements it; a sender calls {@link #sizeOf} once and {@link #write} once per message.
 */
public interface MessageEncoder<M> {
    /** Bytes {@link #write} will write for {@code message}. */
    int sizeOf(M message);

    /**
     * Writes exactly {@code length} bytes of {@code message} at {@code offset} of {@code segment}: the length
     * {@link #sizeOf} returned for it.
     */
    void write(M message, MemorySegment segment, long offset, int length);

    /**
     * The encoder of any message {@code codec} carries.
     *
     * @param codec the actors' message codec
     * @return an encoder through {@link MessageCodec#sizeOf} and {@link MessageCodec#write}
     * @throws NullPointerException if {@code codec} is null
     */
    static MessageEncoder<Object> of(MessageCodec codec) {
        Objects.requireNonNull(codec, "codec");
        return new MessageEncoder<>() {
            @Override
            public int sizeOf(Object message) {
                return codec.sizeOf(message);
            }

            @Override
            public void write(Object message, MemorySegment segment, long offset, int length) {
                codec.write(message, segment, offset, length);
            }
        };
    }
}
