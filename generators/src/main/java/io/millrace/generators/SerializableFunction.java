package io.millrace.generators;

import java.io.Serializable;

/**
 * A function that can be shipped to a worker JVM: declare a lambda or method reference with this type and it
 * is serializable. Capture only serializable values (records, strings, numbers, immutable collections).
 *
 * @param <T> its input
 * @param <R> its output */
@FunctionalInterface
public interface SerializableFunction<T, R> extends Serializable {

    /**
     * @param value the input
     * @return the output
     */
    R apply(T value);
}
