package io.millrace.reactive;

/**
 * A stream published under a name by {@link Streams#publish}; {@link #close()} withdraws the name.
 */
public interface Publication extends AutoCloseable {

    /** @return the stream's name */
    String name();

    /** @return the type of its elements */
    Class<?> elementType();

    /** @return how many subscriptions from other processes (or this one) are running now */
    int activeSubscriptions();

    /**
     * Withdraws the name: new subscribers no longer find the stream, and its region is removed. Subscriptions that
     * are running go on until they end (completion, error or cancel). Idempotent.
     */
    @Override
    void close();
}
