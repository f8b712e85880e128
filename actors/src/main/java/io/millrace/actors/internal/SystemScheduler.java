package io.millrace.actors.internal;

import io.millrace.actors.Cancellable;
import io.millrace.actors.Scheduler;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The system's timer thread ({@code millrace-<system>-scheduler}); tasks are short tells. */
final class SystemScheduler implements Scheduler {

    private final SystemRuntime runtime;
    private final ScheduledThreadPoolExecutor executor;
    /** The executor's threads (one, made again if it dies), joined at termination. */
    private final java.util.Queue<Thread> threads = new java.util.concurrent.ConcurrentLinkedQueue<>();

    SystemScheduler(SystemRuntime runtime) {
        this.runtime = runtime;
        String threadName = "millrace-" + runtime.name() + "-scheduler";
        this.executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, threadName);
            threads.add(thread);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    }

    SystemRuntime runtime() {
        return runtime;
    }

    @Override
    public Cancellable scheduleOnce(Duration delay, Runnable task) {
        long nanos = nanos("delay", delay, true);
        Objects.requireNonNull(task, "task");
        return submit(() -> executor.schedule(guarded(task), nanos, TimeUnit.NANOSECONDS));
    }

    @Override
    public Cancellable scheduleAtFixedRate(Duration initialDelay, Duration interval, Runnable task) {
        long initial = nanos("initialDelay", initialDelay, true);
        long period = nanos("interval", interval, false);
        Objects.requireNonNull(task, "task");
        return submit(() -> executor.scheduleAtFixedRate(guarded(task), initial, period, TimeUnit.NANOSECONDS));
    }

    @Override
    public Cancellable scheduleWithFixedDelay(Duration initialDelay, Duration delay, Runnable task) {
        long initial = nanos("initialDelay", initialDelay, true);
        long period = nanos("delay", delay, false);
        Objects.requireNonNull(task, "task");
        return submit(() -> executor.scheduleWithFixedDelay(guarded(task), initial, period, TimeUnit.NANOSECONDS));
    }

    static long nanos(String name, Duration value, boolean zeroAllowed) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || (!zeroAllowed && value.isZero())) {
            throw new IllegalArgumentException(name + "=" + value + " must be " + (zeroAllowed ? "not negative"
                    : "positive"));
        }
        return value.toNanos();
    }

    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                runtime.log().error("scheduled task={} threw", task, e);
                throw e;
            }
        };
    }

    private interface Submission {
        ScheduledFuture<?> submit();
    }

    private Cancellable submit(Submission submission) {
        ScheduledFuture<?> future;
        try {
            future = submission.submit();
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("actor system name=" + runtime.name()
                    + " is terminated: its scheduler takes no tasks", e);
        }
        return new Cancellable() {
            @Override
            public boolean cancel() {
                return future.cancel(false);
            }

            @Override
            public boolean isCancelled() {
                return future.isCancelled();
            }
        };
    }

    void shutdown() {
        executor.shutdownNow();
    }

    /** @return true once the executor has terminated and its threads have ended (the pool ends before them) */
    boolean awaitTermination(long deadlineNanos) throws InterruptedException {
        if (!executor.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            return false;
        }
        for (Thread thread : threads) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0 || !thread.join(java.time.Duration.ofNanos(left))) {
                return !thread.isAlive();
            }
        }
        return true;
    }
}
