package io.millrace.generators;

import java.io.Serializable;

/**
 * A consumer that can be shipped to a worker JVM: declare a lambda or method reference with this type and it
 * is serializable. Capture only serializable values (records, strings, numbers, immutable collections).
 *
 * @param <T> what it consumes */
@FunctionalInterface
public interface SerializableConsumer<T> extends Serializable {

    /** @param value what it consumes (a generator's sink) */
    void accept(T value);
}
