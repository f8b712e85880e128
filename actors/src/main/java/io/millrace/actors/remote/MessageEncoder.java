package io.millrace.actors.remote;

import java.lang.foreign.MemorySegment;

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
}
