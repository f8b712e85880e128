package io.millrace.generators;

import java.io.Serializable;
import java.util.function.IntUnaryOperator;

/**
 * An int function that can be shipped to a worker JVM ({@link Parallel#mapInts}): declare a lambda or method
 * reference with this type and it is serializable. Capture only serializable values (records, strings, numbers,
 * immutable collections).
 */
@FunctionalInterface
public interface SerializableIntUnaryOperator extends IntUnaryOperator, Serializable {
}
