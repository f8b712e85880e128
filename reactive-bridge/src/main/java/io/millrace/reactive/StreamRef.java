package io.millrace.reactive;

import io.millrace.shm.ShmDirectory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.io.Serializable;
import java.util.Objects;

/**
 * A published stream's name and element type, as a value that can travel inside actor messages and be subscribed
 * to where it arrives.
 *
 * @param name        the stream's name (see {@link Streams#publish})
 * @param elementType the type of its elements
 * @param <T>         the element type
 */
public record StreamRef<T>(String name, Class<T> elementType) implements Serializable {

    /** @throws IllegalArgumentException when {@code name} is not a valid stream name */
    public StreamRef {
        StreamDescriptor.checkName(name);
        Objects.requireNonNull(elementType, "elementType");
    }

    /** @return a reference to the stream {@code name} of {@code elementType} */
    public static <T> StreamRef<T> of(String name, Class<T> elementType) {
        return new StreamRef<>(name, elementType);
    }

    /** @return the stream, from the default base directory; see {@link Streams#flux(String, Class)} */
    public Flux<T> flux() {
        return Streams.flux(name, elementType);
    }

    /** @return the stream, from {@code directory} */
    public Flux<T> flux(ShmDirectory directory) {
        return Streams.flux(name, elementType, directory);
    }

    /** @return the stream, imported with {@code options} */
    public Flux<T> flux(StreamOptions options) {
        return Streams.flux(name, elementType, options);
    }

    /** @return its first element, from the default base directory; see {@link Streams#mono(String, Class)} */
    public Mono<T> mono() {
        return Streams.mono(name, elementType);
    }
}
