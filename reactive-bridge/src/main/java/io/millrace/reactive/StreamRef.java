package io.millrace.reactive;

import io.millrace.shm.ShmDirectory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.io.Serializable;
import java.util.Objects;

/**
 * A published stream's name and element type, as a value that can travel inside actor messages and be subscribed
 * to where it arrives. The element type is held by its class name ({@link Class#getName()}), so that the actors'
 * message codec carries a {@code StreamRef} like any record (it does not carry {@code Class} values);
 * {@link #elementType()} loads it again.
 *
 * <pre>{@code
 * record Subscribe(StreamRef<Order> orders) { }
 * consumer.tell(new Subscribe(StreamRef.of("orders", Order.class)));
 * // in the consumer, maybe in another JVM:
 * msg.orders().flux().subscribe(...);
 * }</pre>
 *
 * @param name            the stream's name (see {@link Streams#publish})
 * @param elementTypeName the {@link Class#getName()} of its elements' type
 * @param <T>             the element type
 */
public record StreamRef<T>(String name, String elementTypeName) implements Serializable {

    /** @throws IllegalArgumentException when {@code name} is not a valid stream name, or the type name is empty */
    public StreamRef {
        StreamDescriptor.checkName(name);
        Objects.requireNonNull(elementTypeName, "elementTypeName");
        if (elementTypeName.isEmpty()) {
            throw new IllegalArgumentException("elementTypeName='' must be a class name");
        }
    }

    /**
     * @param name        the stream's name
     * @param elementType the type of its elements
     */
    public StreamRef(String name, Class<T> elementType) {
        this(name, Objects.requireNonNull(elementType, "elementType").getName());
    }

    /** @return a reference to the stream {@code name} of {@code elementType} */
    public static <T> StreamRef<T> of(String name, Class<T> elementType) {
        return new StreamRef<>(name, elementType);
    }

    /**
     * The element type, loaded by name with the thread's context class loader (else this class's loader).
     *
     * @return the type of the stream's elements
     * @throws IllegalStateException naming the class when it cannot be loaded here
     */
    @SuppressWarnings("unchecked")
    public Class<T> elementType() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        try {
            return (Class<T>) Class.forName(elementTypeName, false,
                    context != null ? context : StreamRef.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("stream '" + name + "' has elementTypeName=" + elementTypeName
                    + ", which cannot be loaded here: " + e, e);
        }
    }

    /** @return the stream, from the default base directory; see {@link Streams#flux(String, Class)} */
    public Flux<T> flux() {
        return Streams.flux(name, elementType());
    }

    /** @return the stream, from {@code directory} */
    public Flux<T> flux(ShmDirectory directory) {
        return Streams.flux(name, elementType(), directory);
    }

    /** @return the stream, imported with {@code options} */
    public Flux<T> flux(StreamOptions options) {
        return Streams.flux(name, elementType(), options);
    }

    /** @return its first element, from the default base directory; see {@link Streams#mono(String, Class)} */
    public Mono<T> mono() {
        return Streams.mono(name, elementType());
    }
}
