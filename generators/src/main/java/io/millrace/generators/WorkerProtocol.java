package io.millrace.generators;

import io.millrace.actors.ActorRef;

/**
 * The messages between a pool (its receiver actor in the parent) and a worker (the guardian of the child's actor
 * system). Code is {@code Shipping} bytes, data {@link Payloads} bytes; every reply carries the job id.
 *
 * <pre>
 *   worker starts ──Hello(index, pid, worker)──▶ pool ──Init(initializer)──▶ worker ──Ready(index, error)──▶ pool
 *   pool ──Run(id, code, input, extract, slot)──▶ worker ──Result(id, value | error, snapshot)──▶ pool
 *        (slot &ge; 0: a {@link WorkerPool#call}; the result goes to the caller's {@link ReplySlots} slot instead)
 *   pool ──Generate(id, code, kind, type, stream)──▶ worker ──GeneratorStarted(id, error)──▶ pool
 *        (the parent subscribes to the stream; when its source terminates or is cancelled) ──GeneratorEnded(id, n)──▶
 *   pool ──StopGenerator(id)──▶ worker (a generator nobody subscribed to)     pool ──Exit(status)──▶ worker
 * </pre>
 */
final class WorkerProtocol {
    /** {@link Generate#kind}: the supplier makes an {@code Iterator}. */
    static final int ITERATOR = 0;
    /** {@link Generate#kind}: the supplier makes a {@code Stream}. */
    static final int STREAM = 1;
    /** {@link Generate#kind}: the code is a consumer of a {@code FluxSink}. */
    static final int SINK = 2;

    private WorkerProtocol() {
    }

    /** What a worker takes. */
    sealed interface ToWorker permits Init, Run, Generate, StopGenerator, Exit {
    }

    /** What the pool takes. */
    sealed interface ToPool permits Hello, Ready, Result, GeneratorStarted, GeneratorEnded {
    }

    /** Runs the shipped initializer (null: none), then answers {@link Ready}. */
    record Init(byte[] initializer) implements ToWorker {
    }

    /**
     * Runs the shipped {@code WorkerTask} on {@code input} (null: none), then the shipped extract (null: none);
     * {@code slot} &ge; 0: the result goes to that {@link ReplySlots} slot if it fits, else as a {@link Result}.
     */
    record Run(long id, byte[] code, byte[] input, byte[] extract, int slot) implements ToWorker {
    }

    /** Publishes a generator as {@code stream}; {@code elementType} null: elements go as {@link Payloads}. */
    record Generate(long id, byte[] code, int kind, String elementType, String stream) implements ToWorker {
    }

    /** Withdraws the generator {@code id} if nobody subscribed to it. */
    record StopGenerator(long id) implements ToWorker {
    }

    /** Ends the worker's JVM with {@code status}. */
    record Exit(int status) implements ToWorker {
    }

    /** The worker runs; the pool answers {@link Init}. */
    record Hello(int index, long pid, ActorRef<ToWorker> worker) implements ToPool {
    }

    /** The initializer ran ({@code error} null) or failed ({@link Payloads#writeError} bytes). */
    record Ready(int index, byte[] error) implements ToPool {
    }

    /** A {@link Run}'s outcome: {@code value} or {@code error}, and the snapshot if an extract was given. */
    record Result(long id, byte[] value, byte[] error, byte[] snapshot) implements ToPool {
    }

    /** The generator is published ({@code error} null) or could not be. */
    record GeneratorStarted(long id, byte[] error) implements ToPool {
    }

    /** The generator's source terminated or was cancelled after {@code produced} elements; the worker is free. */
    record GeneratorEnded(long id, long produced) implements ToPool {
    }
}
