package io.millrace.actors;

import java.time.Duration;

/**
 * The system's timer thread ({@link ActorSystem#scheduler()}): runs short tasks later, typically a {@code tell}.
 * Tasks must not block; one that throws is logged and, if periodic, not run again. Inside an actor prefer
 * {@link Behaviors#withTimers}, whose messages cannot arrive after their timer is cancelled.
 */
public interface Scheduler {

    /**
     * Runs {@code task} once after {@code delay}.
     *
     * @param delay not negative
     * @param task  the task
     * @return a handle to cancel it
     * @throws IllegalStateException if the system is terminated
     */
    Cancellable scheduleOnce(Duration delay, Runnable task);

    /**
     * Runs {@code task} after {@code initialDelay} and then every {@code interval} from the first run's start.
     *
     * @param initialDelay not negative
     * @param interval     positive
     * @param task         the task
     * @return a handle to cancel it
     * @throws IllegalStateException if the system is terminated
     */
    Cancellable scheduleAtFixedRate(Duration initialDelay, Duration interval, Runnable task);

    /**
     * Runs {@code task} after {@code initialDelay} and then {@code delay} after the end of each run.
     *
     * @param initialDelay not negative
     * @param delay        positive
     * @param task         the task
     * @return a handle to cancel it
     * @throws IllegalStateException if the system is terminated
     */
    Cancellable scheduleWithFixedDelay(Duration initialDelay, Duration delay, Runnable task);
}
