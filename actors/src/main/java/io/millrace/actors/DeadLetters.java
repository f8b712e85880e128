package io.millrace.actors;

import java.util.function.Consumer;

/**
 * The system's dead letters ({@link ActorSystem#deadLetters()}): counted, logged at a bounded rate
 * ({@link ActorSystemConfig#deadLetterLogLimit()} per second, then a summary), and given to listeners.
 */
public interface DeadLetters {

    /** How many dead letters this system has had. */
    long count();

    /**
     * Calls {@code listener} for every later dead letter, on the thread that produced it: keep it short and
     * non-blocking. A listener that throws is logged and kept.
     *
     * @param listener the listener
     * @return closing it removes the listener
     */
    AutoCloseable subscribe(Consumer<DeadLetter> listener);
}
