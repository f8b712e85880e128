package io.millrace.generators;

import java.io.Serializable;

/**
 * An action that can be shipped to a worker JVM: declare a lambda or method reference with this type and it
 * is serializable. Capture only serializable values (records, strings, numbers, immutable collections).
 */
@FunctionalInterface
public interface SerializableRunnable extends Serializable {

    /** Runs the action (a worker's initializer). */
    void run();
}
