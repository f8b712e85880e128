package io.millrace.generators;

import io.millrace.actors.ActorRef;
import io.millrace.actors.launch.ChildJvm;
import io.millrace.generators.WorkerProtocol.Hello;
import io.millrace.generators.WorkerProtocol.ToWorker;

import java.util.concurrent.CompletableFuture;

/** One worker JVM as its {@link WorkerPool} sees it; the fields are guarded by the pool's lock. */
final class Worker {
    final int index;
    final ChildJvm child;
    final CompletableFuture<Worker> detachTo;
    /** Its ref once it said {@link Hello}; null once it exited without. */
    final CompletableFuture<ActorRef<ToWorker>> hello = new CompletableFuture<>();
    ActorRef<ToWorker> ref;
    Job job;
    int tasks;
    boolean ready;
    boolean detached;
    boolean retiring;

    Worker(int index, ChildJvm child, CompletableFuture<Worker> detachTo) {
        this.index = index;
        this.child = child;
        this.detachTo = detachTo;
    }

    ActorRef<ToWorker> ref() {
        return ref;
    }
}
