package io.millrace.actors;

import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A bounded buffer of messages an actor keeps aside until it can handle them ({@link Behaviors#withStash}), then
 * replays in order with {@link #unstashAll}. For the actor's own thread only.
 *
 * @param <T> the actor's messages
 */
public interface StashBuffer<T> {

    /** Whether no message is stashed. */
    boolean isEmpty();

    /** Whether a message is stashed. */
    boolean nonEmpty();

    /** How many messages are stashed. */
    int size();

    /** How many messages the buffer takes. */
    int capacity();

    /** Whether {@link #size()} has reached {@link #capacity()}. */
    boolean isFull();

    /**
     * Adds {@code message} at the end.
     *
     * @param message the message
     * @return this buffer
     * @throws StashOverflowException if the buffer is full
     */
    StashBuffer<T> stash(T message);

    /**
     * The oldest stashed message.
     *
     * @return the message
     * @throws java.util.NoSuchElementException if empty
     */
    T head();

    /** Calls {@code action} for each stashed message, oldest first. */
    void forEach(Consumer<T> action);

    /** Whether a stashed message matches {@code predicate}. */
    boolean anyMatch(Predicate<T> predicate);

    /** Whether {@code message} is stashed. */
    boolean contains(T message);

    /** Drops every stashed message. */
    void clear();

    /**
     * Handles every stashed message, oldest first, starting with {@code behavior} and going on with the behavior
     * each returns; messages stashed again meanwhile wait for the next unstash.
     *
     * @param behavior the behavior for the first message
     * @return the behavior after the last message: return it from the message handler
     */
    Behavior<T> unstashAll(Behavior<T> behavior);

    /**
     * As {@link #unstashAll} for at most {@code count} messages, each passed through {@code wrap} first.
     *
     * @param behavior the behavior for the first message
     * @param count    how many messages at most, not negative
     * @param wrap     applied to each message before it is handled
     * @return the behavior after the last message
     */
    Behavior<T> unstash(Behavior<T> behavior, int count, Function<T, T> wrap);
}
