package io.millrace.generators;

import io.millrace.actors.remote.Shipping;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Runs a function in a process of its own, as snakefish's {@code Thread} and Python's {@code Process}:
 *
 * <pre>{@code
 * ProcessTask<Long> task = Processes.start(() -> LongStream.range(0, 1_000_000).sum());
 * long sum = task.result();            // waits; the child's exception as a RemoteException
 * int status = task.exitStatus();     // 0; -9 had it been SIGKILLed
 * }</pre>
 *
 * <p><b>Which process</b>: the task gets a worker JVM of the pool to itself. An idle warm worker is
 * <em>detached</em> from the pool (which starts a replacement) and ends when the task is done: exit status 0 after
 * a result, 1 after an exception, {@code -N} when signal N killed it. With no idle worker, a new JVM is started for
 * the task, so a task never waits for other tasks. {@link ProcessTask#kill()} kills only that process.
 */
public final class Processes {

    private Processes() {
    }

    /**
     * Starts {@code task} in a worker JVM of the {@link WorkerPool#shared() shared pool}.
     *
     * @param task a serializable lambda or method reference
     * @param <R>  its result
     * @return the running task
     * @throws IllegalArgumentException if the task cannot be shipped (it captures a value that is not
     *                                  serializable: named), before any process is asked
     */
    public static <R> ProcessTask<R> start(SerializableCallable<R> task) {
        return start(WorkerPool.shared(), task);
    }

    /**
     * As {@link #start(SerializableCallable)}, on a worker of {@code pool}.
     *
     * @throws IllegalStateException if the pool is closed
     */
    public static <R> ProcessTask<R> start(WorkerPool pool, SerializableCallable<R> task) {
        Objects.requireNonNull(pool, "pool");
        return new ProcessTask<>(pool, PoolSupport.taskCode(task), null, null);
    }

    /**
     * A task given by class name, for code that is not a lambda: the class must be on the workers' class path
     * (the same as this JVM's), implement {@link Callable} and have a public no-argument constructor; each run
     * makes a new instance in the worker and calls it. Ship it like any task ({@code start(pool, byName(...))},
     * {@code pool.call(byName(...), timeout)}).
     *
     * @param className the binary name of the class
     * @param <R>       its result
     * @return the shippable task
     * @throws IllegalArgumentException if there is no such class here, it is not a {@code Callable} or has no public
     *                                  no-argument constructor (named)
     */
    public static <R> SerializableCallable<R> byName(String className) {
        Objects.requireNonNull(className, "className");
        try {
            Class<?> type = Class.forName(className, false, Processes.class.getClassLoader());
            if (!Callable.class.isAssignableFrom(type)) {
                throw new IllegalArgumentException("className=" + className + " does not implement Callable");
            }
            type.getConstructor();
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("className=" + className + " is not on the class path", e);
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("className=" + className + " has no public no-argument constructor", e);
        }
        return () -> {
            @SuppressWarnings("unchecked")
            Callable<R> task = (Callable<R>) Class.forName(className).getConstructor().newInstance();
            return task.call();
        };
    }

    /**
     * Starts {@code task} with state: when it has returned, {@code extract} runs in the child and turns the child's
     * state into a snapshot; the first {@link ProcessTask#join() join} that sees it calls {@code merge} with the
     * snapshot in this JVM, exactly once (the merge folds it into the parent's state, as
     * {@code snapshot -> total.addAndGet(snapshot)}). A task that throws, or a child that dies, merges nothing.
     *
     * @param task    the function
     * @param extract the child's state to a serializable snapshot, run in the child after {@code task}
     * @param merge   the parent's side, run once at join on the joining thread
     * @param <R>     the result
     * @param <S>     the snapshot
     * @return the running task
     * @throws IllegalArgumentException if the task or extract cannot be shipped, naming what it captured
     */
    public static <R, S> ProcessTask<R> start(SerializableCallable<R> task, SerializableSupplier<S> extract,
                                              Consumer<? super S> merge) {
        return start(WorkerPool.shared(), task, extract, merge);
    }

    /** As {@link #start(SerializableCallable, SerializableSupplier, Consumer)}, on a worker of {@code pool}. */
    @SuppressWarnings("unchecked")
    public static <R, S> ProcessTask<R> start(WorkerPool pool, SerializableCallable<R> task,
                                              SerializableSupplier<S> extract, Consumer<? super S> merge) {
        Objects.requireNonNull(pool, "pool");
        byte[] code = PoolSupport.taskCode(task);
        byte[] shippedExtract = Shipping.ship(Objects.requireNonNull(extract, "extract"));
        Objects.requireNonNull(merge, "merge");
        return new ProcessTask<>(pool, code, shippedExtract, snapshot -> merge.accept((S) snapshot));
    }
}
