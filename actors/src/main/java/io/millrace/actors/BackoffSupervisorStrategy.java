package io.millrace.actors;

import java.time.Duration;
import java.util.Objects;

/**
 * {@link SupervisorStrategy#restartWithBackoff}, refined with {@code with*} methods.
 *
 * @param minBackoff        the first delay
 * @param maxBackoff        the longest delay
 * @param randomFactor      each delay is increased by up to this fraction of itself, at random
 * @param resetBackoffAfter the delay starts from {@code minBackoff} again once the actor ran this long since its
 *                          last restart without failing (default {@code minBackoff})
 * @param maxRestarts       restarts in a row allowed; the failure after them stops the actor; 0 for no limit
 *                          (the default)
 * @param stopChildren      whether the children stop before the restart (default true)
 * @param stashCapacity     messages kept during the delay; more are dead letters (default 1000)
 */
public record BackoffSupervisorStrategy(Duration minBackoff, Duration maxBackoff, double randomFactor,
                                        Duration resetBackoffAfter, int maxRestarts, boolean stopChildren,
                                        int stashCapacity) implements SupervisorStrategy {

    public BackoffSupervisorStrategy {
        Objects.requireNonNull(minBackoff, "minBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(resetBackoffAfter, "resetBackoffAfter");
        if (minBackoff.isZero() || minBackoff.isNegative()) {
            throw new IllegalArgumentException("minBackoff=" + minBackoff + " must be positive");
        }
        if (maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff=" + maxBackoff + " must be at least minBackoff="
                    + minBackoff);
        }
        if (!(randomFactor >= 0 && randomFactor <= 1)) {
            throw new IllegalArgumentException("randomFactor=" + randomFactor + " must be from 0 to 1");
        }
        if (resetBackoffAfter.isZero() || resetBackoffAfter.isNegative()) {
            throw new IllegalArgumentException("resetBackoffAfter=" + resetBackoffAfter + " must be positive");
        }
        if (maxRestarts < 0) {
            throw new IllegalArgumentException("maxRestarts=" + maxRestarts + " must not be negative (0: no limit)");
        }
        if (stashCapacity < 0) {
            throw new IllegalArgumentException("stashCapacity=" + stashCapacity + " must not be negative");
        }
    }

    /**
     * @param restarts restarts in a row allowed, 0 for no limit
     * @return the refined strategy
     */
    public BackoffSupervisorStrategy withMaxRestarts(int restarts) {
        return new BackoffSupervisorStrategy(minBackoff, maxBackoff, randomFactor, resetBackoffAfter, restarts,
                stopChildren, stashCapacity);
    }

    /**
     * @param timeout how long the actor must run without failing for the delay to start from the minimum again
     * @return the refined strategy
     */
    public BackoffSupervisorStrategy withResetBackoffAfter(Duration timeout) {
        return new BackoffSupervisorStrategy(minBackoff, maxBackoff, randomFactor, timeout, maxRestarts,
                stopChildren, stashCapacity);
    }

    /**
     * @param stop whether the children stop before the restart (true by default)
     * @return the refined strategy
     */
    public BackoffSupervisorStrategy withStopChildren(boolean stop) {
        return new BackoffSupervisorStrategy(minBackoff, maxBackoff, randomFactor, resetBackoffAfter, maxRestarts,
                stop, stashCapacity);
    }

    /**
     * @param capacity messages kept during the delay, at least 0
     * @return the refined strategy
     */
    public BackoffSupervisorStrategy withStashCapacity(int capacity) {
        return new BackoffSupervisorStrategy(minBackoff, maxBackoff, randomFactor, resetBackoffAfter, maxRestarts,
                stopChildren, capacity);
    }
}
