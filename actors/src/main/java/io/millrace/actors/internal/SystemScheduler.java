package io.millrace.actors.internal;

import io.millrace.actors.Cancellable;
import io.millrace.actors.Scheduler;

import java.time.Duration;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The system's timer thread ({@code millrace-<system>-scheduler}); tasks are short tells. */
final class SystemScheduler implements Scheduler {

    private final SystemRuntime runtime;
    private final ScheduledThreadPoolExecutor executor;
    /** The executor's threads, joined at termination: the executor reports itself terminated before they end. */
    private final Queue<Thread> threads = new ConcurrentLinkedQueue<>();

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

    /**
     * The tasks that wait for their time, cancelled ones left out (for tests). Exact when called from a task of this
     * scheduler: its one thread runs no other task then, and a periodic task waits in the queue between its runs.
     */
    int waitingTasks() {
        int waiting = 0;
        for (Runnable task : executor.getQueue()) {
            if (!((Future<?>) task).isCancelled()) {
                waiting++;
            }
        }
        return waiting;
    }

    void shutdown() {
        executor.shutdownNow();
    }

    /**
     * Waits until the executor has terminated and its threads have ended (a terminated executor's last worker is
     * still running its exit path), or until the deadline.
     */
    boolean awaitTermination(long deadlineNanos) throws InterruptedException {
        if (!executor.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            return false;
        }
        for (Thread thread : threads) {
            if (thread != Thread.currentThread()
                    && !thread.join(Duration.ofNanos(Math.max(1, deadlineNanos - System.nanoTime())))) {
                return false;
            }
        }
        return true;
    }
}
