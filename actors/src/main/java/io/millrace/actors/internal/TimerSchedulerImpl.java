package io.millrace.actors.internal;

import io.millrace.actors.Cancellable;
import io.millrace.actors.TimerScheduler;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An actor's timers. The scheduler thread tells the actor a {@link Fired} carrying the timer's key and
 * generation; the actor's thread accepts it only if that timer is still the active one with that generation.
 * So a cancelled or replaced timer's message never reaches the behavior, even if it was already queued.
 * Confined to the actor's thread, except {@link Fired}, which the scheduler thread makes.
 */
final class TimerSchedulerImpl<T> implements TimerScheduler<T> {

    /**
     * A timer's message on its way.
     *
     * @param key        the timer's key
     * @param generation which start of that key
     * @param message    the message
     */
    record Fired(Object key, long generation, Object message) {
    }

    private record Timer(Object message, long generation, boolean repeat, Cancellable task) {
    }

    private final ActorCell<T> cell;
    private final SystemScheduler scheduler;
    private final Map<Object, Timer> timers = new HashMap<>();
    private long generations;

    TimerSchedulerImpl(ActorCell<T> cell, SystemScheduler scheduler) {
        this.cell = cell;
        this.scheduler = scheduler;
    }

    @Override
    public void startSingleTimer(Object key, T message, Duration delay) {
        start(key, message, delay, null, false);
    }

    @Override
    public void startSingleTimer(T message, Duration delay) {
        start(message, message, delay, null, false);
    }

    @Override
    public void startTimerAtFixedRate(Object key, T message, Duration interval) {
        start(key, message, interval, interval, true);
    }

    @Override
    public void startTimerAtFixedRate(Object key, T message, Duration initialDelay, Duration interval) {
        start(key, message, initialDelay, interval, true);
    }

    @Override
    public void startTimerWithFixedDelay(Object key, T message, Duration delay) {
        start(key, message, delay, delay, false);
    }

    @Override
    public void startTimerWithFixedDelay(Object key, T message, Duration initialDelay, Duration delay) {
        start(key, message, initialDelay, delay, false);
    }

    /** @param period null for a single timer; {@code fixedRate} picks rate or delay for periodic ones */
    private void start(Object key, T message, Duration initialDelay, Duration period, boolean fixedRate) {
        cell.checkOwner();
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(message, "message");
        cancel(key);
        long generation = ++generations;
        Fired fired = new Fired(key, generation, message);
        Runnable send = () -> cell.tellInternal(fired, false);
        Cancellable task;
        if (period == null) {
            task = scheduler.scheduleOnce(initialDelay, send);
        } else if (fixedRate) {
            task = scheduler.scheduleAtFixedRate(initialDelay, period, send);
        } else {
            task = scheduler.scheduleWithFixedDelay(initialDelay, period, send);
        }
        timers.put(key, new Timer(message, generation, period != null, task));
    }

    @Override
    public boolean isTimerActive(Object key) {
        cell.checkOwner();
        return timers.containsKey(key);
    }

    @Override
    public void cancel(Object key) {
        cell.checkOwner();
        Timer timer = timers.remove(key);
        if (timer != null) {
            timer.task().cancel();
        }
    }

    @Override
    public void cancelAll() {
        cell.checkOwner();
        timers.values().forEach(timer -> timer.task().cancel());
        timers.clear();
    }

    /** @return the message to handle, or null if the timer was cancelled or replaced since */
    Object accept(Fired fired) {
        Timer timer = timers.get(fired.key());
        if (timer == null || timer.generation() != fired.generation()) {
            return null;
        }
        if (!timer.repeat()) {
            timers.remove(fired.key());
        }
        return timer.message();
    }
}
