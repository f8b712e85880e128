package io.millrace.actors;

import java.time.Duration;
import java.util.Objects;

/**
 * What happens to an actor whose handler throws (Pekko Typed's {@code SupervisorStrategy}), given to
 * {@link Behaviors#supervise}. Without supervision, or for a throwable no {@code onFailure} case matches, the actor
 * stops. Every failure is logged with the actor's path, the exception and the decision (one line each, at most 10
 * lines per second per actor; the stack trace with the first).
 */
public sealed interface SupervisorStrategy
        permits SupervisorStrategy.Resume, SupervisorStrategy.Stop, RestartSupervisorStrategy,
        BackoffSupervisorStrategy {

    /** Keep the behavior and its state; the message that failed is dropped. A failure in setup stops instead. */
    static SupervisorStrategy resume() {
        return Resume.INSTANCE;
    }

    /** Stop the actor (the default): its children stop, then it gets {@link PostStop}; watchers get notified. */
    static SupervisorStrategy stop() {
        return Stop.INSTANCE;
    }

    /**
     * Restart: the failed behavior gets {@link PreRestart}, the children stop (see
     * {@link RestartSupervisorStrategy#withStopChildren}), timers are cancelled, and the behavior given to
     * {@code supervise} starts again (its setup runs again), without limit until {@code withLimit}.
     *
     * @return the strategy
     */
    static RestartSupervisorStrategy restart() {
        return RestartSupervisorStrategy.DEFAULT;
    }

    /**
     * Restart after a delay growing from {@code minBackoff}, doubled with each failure in a row up to
     * {@code maxBackoff}, each increased by up to {@code randomFactor} times itself at random. Messages that arrive
     * during the delay are stashed (up to {@link BackoffSupervisorStrategy#stashCapacity()}, then dead letters) and
     * handled by the restarted behavior, in order.
     *
     * @param minBackoff   the first delay, positive
     * @param maxBackoff   the longest delay, at least {@code minBackoff}
     * @param randomFactor from 0 to 1
     * @return the strategy
     * @throws IllegalArgumentException naming the value that is out of range
     */
    static BackoffSupervisorStrategy restartWithBackoff(Duration minBackoff, Duration maxBackoff,
                                                        double randomFactor) {
        Objects.requireNonNull(minBackoff, "minBackoff");
        return new BackoffSupervisorStrategy(minBackoff, maxBackoff, randomFactor, minBackoff, 0, true,
                RestartSupervisorStrategy.DEFAULT_STASH_CAPACITY);
    }

    /** {@link #resume()}. */
    enum Resume implements SupervisorStrategy { INSTANCE }

    /** {@link #stop()}. */
    enum Stop implements SupervisorStrategy { INSTANCE }
}
