package io.millrace.generators;

import java.io.Serializable;

/**
 * A supplier that can be shipped to a worker JVM: declare a lambda or method reference with this type and it
 * is serializable. Capture only serializable values (records, strings, numbers, immutable collections).
 *
 * @param <T> what it supplies */
@FunctionalInterface
public interface SerializableSupplier<T> extends Serializable {

    /** @return the value (a generator's iterator or stream, a snapshot of state) */
    T get();
}
