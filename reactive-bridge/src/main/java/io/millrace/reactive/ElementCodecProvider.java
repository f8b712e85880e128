package io.millrace.reactive;

import java.util.Optional;

/**
 * Gives codecs for whole families of element types (every record, say, through a message codec), where
 * registering one {@link ElementCodec} per class would not do. Providers are asked in the order they were
 * {@linkplain ElementCodecs#register(ElementCodecProvider) registered}, then those found through
 * {@link java.util.ServiceLoader}; the first codec given is kept for that class.
 */
@FunctionalInterface
public interface ElementCodecProvider {

    /**
     * @param type an element type that has no codec of its own
     * @return a codec for {@code type}, or empty when this provider does not handle it
     */
    <T> Optional<ElementCodec<T>> codecFor(Class<T> type);
}
