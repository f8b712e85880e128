package io.millrace.generators;

import java.io.Serializable;

/**
 * A task that can be shipped to a worker JVM: declare a lambda or method reference with this type and it
 * is serializable. Capture only serializable values (records, strings, numbers, immutable collections).
 *
 * @param <R> the result */
@FunctionalInterface
public interface SerializableCallable<R> extends Serializable {

    /**
     * @return the result, sent back to the parent
     * @throws Exception any, which reaches the parent as a {@code RemoteException}
     */
    R call() throws Exception;
}
