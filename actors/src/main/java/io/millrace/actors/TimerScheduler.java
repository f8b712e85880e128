package io.millrace.actors;

import java.time.Duration;

/**
 * An actor's timers ({@link Behaviors#withTimers}): each sends a message to the actor itself after a delay or
 * periodically. Timers have keys; starting a timer with a key replaces the one with that key, and a cancelled or
 * replaced timer's message never arrives, even if it was already on its way. All timers end when the actor stops.
 * For the actor's own thread only ({@link IllegalStateException} otherwise).
 *
 * @param <T> the actor's messages
 */
public interface TimerScheduler<T> {

    /**
     * Sends {@code message} once after {@code delay}.
     *
     * @param key     the timer's key
     * @param message the message
     * @param delay   not negative
     */
    void startSingleTimer(Object key, T message, Duration delay);

    /** {@link #startSingleTimer(Object, Object, Duration)} with the message as its key. */
    void startSingleTimer(T message, Duration delay);

    /**
     * Sends {@code message} every {@code interval}, measured from start to start.
     *
     * @param key      the timer's key
     * @param message  the message
     * @param interval positive
     */
    void startTimerAtFixedRate(Object key, T message, Duration interval);

    /**
     * Sends {@code message} after {@code initialDelay}, then every {@code interval}.
     *
     * @param key          the timer's key
     * @param message      the message
     * @param initialDelay not negative
     * @param interval     positive
     */
    void startTimerAtFixedRate(Object key, T message, Duration initialDelay, Duration interval);

    /**
     * Sends {@code message} every {@code delay}, measured from the previous send.
     *
     * @param key     the timer's key
     * @param message the message
     * @param delay   positive
     */
    void startTimerWithFixedDelay(Object key, T message, Duration delay);

    /**
     * Sends {@code message} after {@code initialDelay}, then {@code delay} after each previous send.
     *
     * @param key          the timer's key
     * @param message      the message
     * @param initialDelay not negative
     * @param delay        positive
     */
    void startTimerWithFixedDelay(Object key, T message, Duration initialDelay, Duration delay);

    /** Whether a timer with {@code key} is active (a single timer stops being active once its message arrives). */
    boolean isTimerActive(Object key);

    /** Cancels the timer with {@code key}, if any; its message does not arrive. */
    void cancel(Object key);

    /** Cancels all timers. */
    void cancelAll();
}
