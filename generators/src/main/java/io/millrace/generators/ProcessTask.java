package io.millrace.generators;

import io.millrace.generators.WorkerProtocol.Exit;
import io.millrace.generators.WorkerProtocol.Result;
import io.millrace.generators.WorkerProtocol.ToPool;
import io.millrace.reactive.RemoteException;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A function running in a process of its own ({@link Processes#start}): wait for it, read its result and exit
 * status, kill it. Thread-safe.
 *
 * <p>States: starting (waiting for its worker) → running → ended (the worker sent its outcome and exited, or died).
 * The outcome is one of: a result; the task's exception ({@link RemoteException}); no outcome because the process
 * ended first (killed, crashed: {@link WorkerDiedException} with its exit status), or never started.
 *
 * @param <R> the result
 */
public final class ProcessTask<R> {
    private final CompletableFuture<Worker> worker;
    private final CompletableFuture<ToPool> reply = new CompletableFuture<>();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final Consumer<Object> merge;
    private final Object mergeLock = new Object();
    private volatile boolean cancelled;
    private boolean merged;

    ProcessTask(WorkerPool pool, byte[] code, byte[] extract, Consumer<Object> merge) {
        this.merge = merge;
        this.worker = pool.detach();
        worker.whenComplete((w, failure) -> {
            if (failure != null) {
                reply.completeExceptionally(failure);
                exit.completeExceptionally(failure);
                return;
            }
            w.child.onExit().whenComplete((status, f) -> {
                if (f != null) {
                    exit.completeExceptionally(f);
                } else {
                    exit.complete(status);
                }
            });
            if (cancelled) {
                w.child.kill();
            }
            Job job = pool.runDetached(w, code, extract);
            job.reply.whenComplete((message, f) -> {
                if (f != null) {
                    reply.completeExceptionally(f);
                    return;
                }
                reply.complete(message);
                w.ref().tell(new Exit(((Result) message).error() == null ? 0 : 1));
            });
        });
    }

    /** @return the pid of the task's process; waits up to 60 s for it to be given one */
    public long pid() {
        try {
            return worker.get(60, TimeUnit.SECONDS).child.pid();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the task's process", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the task has no process: " + e.getMessage(), e);
        }
    }

    /** @return whether the task's process has not ended yet (true while it is starting) */
    public boolean isAlive() {
        return !exit.isDone();
    }

    /**
     * Waits until the process has ended; then, for a task started with extract/merge whose child sent its snapshot,
     * merges it (once, whichever join comes first).
     *
     * @throws WorkerDiedException   if the process ended without an outcome (killed, crashed): nothing was merged
     * @throws IllegalStateException if the process could not be started
     */
    public void join() {
        CompletableFuture.allOf(exit, reply).exceptionally(t -> null).join();
        afterEnd();
    }

    /**
     * As {@link #join()}, waiting at most {@code timeout}.
     *
     * @param timeout positive
     * @return true if the process has ended (and merged), false if it still runs after {@code timeout}
     */
    public boolean join(Duration timeout) throws InterruptedException {
        PoolSupport.requirePositive(timeout, "timeout");
        try {
            CompletableFuture.allOf(exit, reply).exceptionally(t -> null).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        afterEnd();
        return true;
    }

    /**
     * Joins without waiting.
     *
     * @return true if the process has ended (and merged, see {@link #join()}), false if it is still running
     */
    public boolean tryJoin() {
        if (!exit.isDone() || !reply.isDone()) {
            return false;
        }
        afterEnd();
        return true;
    }

    /**
     * @return the process's exit status: 0 after a result, 1 after an exception, {@code -N} when signal N killed it
     * @throws IllegalStateException if it has not ended yet, or never started
     */
    public int exitStatus() {
        if (!exit.isDone()) {
            throw new IllegalStateException("the task's process is still running: no exit status yet");
        }
        if (exit.isCompletedExceptionally()) {
            throw new IllegalStateException("the task's process never started: " + exit.exceptionNow().getMessage(),
                    exit.exceptionNow());
        }
        return exit.join();
    }

    /**
     * Joins, then returns the task's result.
     *
     * @return what the task returned
     * @throws RemoteException        the task's exception (its class, message and stack trace)
     * @throws WorkerDiedException    if the process ended without a result
     * @throws CancellationException if the task was {@link #cancel() cancelled}
     */
    public R result() {
        join();
        return PoolSupport.value(reply.join());
    }

    /** Kills the task's process (SIGKILL) if it runs; its exit status becomes -9 and nothing is merged. */
    public void kill() {
        worker.thenAccept(w -> w.child.kill());
    }

    /** Cancels the task: kills its process as {@link #kill()}, and {@link #result()} throws CancellationException. */
    public void cancel() {
        cancelled = true;
        kill();
    }

    /**
     * @return a Mono of the {@link #result()}, which runs on nothing of its own: the task already runs; cancelling
     *         the Mono does not stop it
     */
    public Mono<R> toMono() {
        return Mono.fromFuture(CompletableFuture.allOf(exit, reply).exceptionally(t -> null), true)
                .then(Mono.fromCallable(this::result));
    }

    private void afterEnd() {
        if (cancelled) {
            throw new CancellationException("the task was cancelled");
        }
        if (reply.isCompletedExceptionally()) {
            throw PoolSupport.rethrow(reply.exceptionNow());
        }
        Result result = (Result) reply.join();
        if (merge != null && result.snapshot() != null) {
            synchronized (mergeLock) {
                if (!merged) {
                    merged = true;
                    merge.accept(Payloads.read(result.snapshot()));
                }
            }
        }
    }
}
