package io.millrace.generators;

import io.millrace.generators.WorkerProtocol.ToPool;
import io.millrace.generators.WorkerProtocol.ToWorker;

import java.util.concurrent.CompletableFuture;

/** A job of a {@link WorkerPool} and its outcome: {@code reply} the worker's answer, {@code ended} a generator's end. */
final class Job {
    final long id;
    final ToWorker message;
    final CompletableFuture<ToPool> reply = new CompletableFuture<>();
    final CompletableFuture<Long> ended = new CompletableFuture<>();
    /** A map chunk: it may wait in a worker's mailbox behind another chunk. */
    final boolean pipelined;
    int retries;
    Worker worker;
    long produced;
    /** The {@link ReplySlots} slot a {@link WorkerPool#call} waits on, or -1. */
    int slot = -1;
    ReplySlots replies;

    Job(long id, ToWorker message, boolean pipelined, int retries, Worker worker) {
        this.id = id;
        this.message = message;
        this.pipelined = pipelined;
        this.retries = retries;
        this.worker = worker;
    }

    void fail(Throwable failure) {
        reply.completeExceptionally(failure);
        ended.completeExceptionally(failure);
        if (slot >= 0) {
            replies.ended(slot, true);
        }
    }

    /** The worker's answer came through the pool's lane. */
    void complete(ToPool answer) {
        reply.complete(answer);
        if (slot >= 0) {
            replies.ended(slot, false);
        }
    }
}
