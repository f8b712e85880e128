package io.millrace.reactive;

import io.millrace.shm.ShmDirectory;

import java.lang.foreign.MemorySegment;

/**
 * Turns stream elements of one type into bytes in a ring record and back. {@code byte[]}, {@link MemorySegment}
 * and {@link String} are built in; others are registered with {@link ElementCodecs#register(ElementCodec)} or
 * found through {@link java.util.ServiceLoader} (a {@code META-INF/services/io.millrace.reactive.ElementCodec}
 * entry naming a class with a public no-argument constructor); records, enums, sealed interfaces, boxes and lists
 * have one through the actors' message codec (see {@link ElementCodecs}).
 *
 * <p>Both sides of a stream must use codecs that agree on the bytes; the element type's name is checked across the
 * boundary, the codec itself is not.
 *
 * @param <T> the element type
 */
public interface ElementCodec<T> {

    /** @return the element type this codec handles; its {@link Class#getName()} names the stream's element type */
    Class<T> type();

    /**
     * @param element a non-null element
     * @return the number of bytes {@link #write} will write for it
     */
    int sizeOf(T element);

    /**
     * Writes exactly {@link #sizeOf(Object)} bytes of {@code element} into {@code segment} at {@code offset}.
     *
     * @param element the element
     * @param segment the ring buffer (or a heap segment, for elements written in fragments)
     * @param offset  where the element's bytes start
     */
    void write(T element, MemorySegment segment, long offset);

    /**
     * Reads an element from {@code length} bytes of {@code segment} at {@code offset}. The bytes are valid only
     * during the call (they are the ring's): copy out what the element keeps.
     *
     * @param segment the ring buffer, or a heap segment holding a reassembled element
     * @param offset  where the element's bytes start
     * @param length  how many bytes it has
     * @return the element, never null
     */
    T read(MemorySegment segment, long offset, int length);

    /**
     * The codec one stream (a publication, or one subscription) uses in {@code directory}, from its start until
     * it ends with {@link #release()}. A codec whose bytes depend on state the processes of a base directory share
     * (the type ids of a message codec) opens it here. By default this codec itself.
     *
     * @param directory the stream's base directory
     * @return the codec to use and then release
     */
    default ElementCodec<T> acquire(ShmDirectory directory) {
        return this;
    }

    /** Ends a use begun by {@link #acquire}: called once on the codec it returned. By default nothing. */
    default void release() {
    }
}
