package io.millrace.generators;

import java.io.Serializable;

/**
 * A function of two arguments that can be shipped to a worker JVM: declare a lambda or method reference with this type and it
 * is serializable. Capture only serializable values (records, strings, numbers, immutable collections).
 *
 * @param <A> its first argument
 * @param <B> its second argument
 * @param <R> its output */
@FunctionalInterface
public interface SerializableBiFunction<A, B, R> extends Serializable {

    /**
     * @param first  the first argument
     * @param second the second argument
     * @return the output
     */
    R apply(A first, B second);
}
