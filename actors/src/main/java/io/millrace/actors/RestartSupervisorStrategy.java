package io.millrace.actors;

import java.time.Duration;
import java.util.Objects;

/**
 * {@link SupervisorStrategy#restart()}, refined with {@code with*} methods.
 *
 * @param maxRestarts   restarts allowed within {@code withinTime}; one more failure stops the actor; -1 for no
 *                      limit (the default)
 * @param withinTime    the window the restarts are counted in (the count starts again after it)
 * @param stopChildren  whether the children stop before the restart (default true; the restart then waits for
 *                      them, stashing messages, so a restarted setup can reuse their names)
 * @param stashCapacity messages kept while the restart waits for the children; more are dead letters
 */
public record RestartSupervisorStrategy(int maxRestarts, Duration withinTime, boolean stopChildren,
                                        int stashCapacity) implements SupervisorStrategy {

    static final int DEFAULT_STASH_CAPACITY = 1000;
    static final RestartSupervisorStrategy DEFAULT = new RestartSupervisorStrategy(-1, Duration.ZERO, true,
            DEFAULT_STASH_CAPACITY);

    public RestartSupervisorStrategy {
        Objects.requireNonNull(withinTime, "withinTime");
        if (maxRestarts < -1) {
            throw new IllegalArgumentException("maxRestarts=" + maxRestarts + " must be -1 (no limit) or more");
        }
        if (withinTime.isNegative()) {
            throw new IllegalArgumentException("withinTime=" + withinTime + " must not be negative");
        }
        if (stashCapacity < 0) {
            throw new IllegalArgumentException("stashCapacity=" + stashCapacity + " must not be negative");
        }
    }

    /**
     * At most {@code maxRestarts} restarts within {@code withinTime}; the failure after them stops the actor.
     *
     * @param maxRestarts at least 0, or -1 for no limit
     * @param withinTime  positive
     * @return the refined strategy
     * @throws IllegalArgumentException naming the value that is out of range
     */
    public RestartSupervisorStrategy withLimit(int maxRestarts, Duration withinTime) {
        Objects.requireNonNull(withinTime, "withinTime");
        if (withinTime.isZero() || withinTime.isNegative()) {
            throw new IllegalArgumentException("withinTime=" + withinTime + " must be positive");
        }
        return new RestartSupervisorStrategy(maxRestarts, withinTime, stopChildren, stashCapacity);
    }

    /**
     * @param stop whether the children stop before the restart (true by default)
     * @return the refined strategy
     */
    public RestartSupervisorStrategy withStopChildren(boolean stop) {
        return new RestartSupervisorStrategy(maxRestarts, withinTime, stop, stashCapacity);
    }

    /**
     * @param capacity messages kept while the restart waits for the children to stop, at least 0
     * @return the refined strategy
     */
    public RestartSupervisorStrategy withStashCapacity(int capacity) {
        return new RestartSupervisorStrategy(maxRestarts, withinTime, stopChildren, capacity);
    }
}
