package io.millrace.generators;

import io.millrace.actors.ActorRef;
import io.millrace.actors.launch.ChildJvm;
import io.millrace.generators.WorkerProtocol.Exit;
import io.millrace.generators.WorkerProtocol.Hello;
import io.millrace.generators.WorkerProtocol.ToWorker;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/** One worker JVM as its {@link WorkerPool} sees it; the fields are guarded by the pool's lock. */
final class Worker {
    final int index;
    final ChildJvm child;
    final CompletableFuture<Worker> detachTo;
    /** Its ref once it said {@link Hello}; null once it exited without. */
    final CompletableFuture<ActorRef<ToWorker>> hello = new CompletableFuture<>();
    ActorRef<ToWorker> ref;
    /** The job it runs, and the map chunk queued behind it in its mailbox ({@link WorkerPool#dispatch}). */
    Job job;
    Job next;
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

    /** @return whether it runs a map chunk with none queued behind it, and will not retire after that one */
    boolean takesQueuedChunk(int maxTasksPerWorker) {
        return job != null && job.pipelined && next == null && !detached && !retiring
                && (maxTasksPerWorker == 0 || tasks + 2 <= maxTasksPerWorker);
    }

    /** Kills it if it is not ready within {@code timeout} ({@link #ready} is guarded by {@code lock}). */
    void killIfNotReadyIn(Duration timeout, Object lock, String pool) {
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            boolean late;
            synchronized (lock) {
                late = !ready;
            }
            if (late) {
                System.err.println("[" + pool + "] worker pid=" + child.pid() + " did not start within startTimeout="
                        + timeout + ": killed");
                child.close();
            }
        });
    }

    /** @return the ids of its jobs, the running one first */
    List<Long> jobIds() {
        return Stream.of(job, next).filter(Objects::nonNull).map(j -> j.id).toList();
    }

    /** @return "; its last stderr lines: ..." for a failure message, or "" */
    String lastLines() {
        List<String> lines = child.lastErrorLines();
        return lines.isEmpty() ? "" : "; its last stderr lines: " + String.join(" | ", lines);
    }

    /** Asks each worker to exit, and kills one that does not within 10 s (or did not say Hello within 10 s). */
    static void stopAll(List<Worker> all) {
        for (Worker worker : all) {
            // a worker still starting is let say Hello first: killed while it makes its node region, it would leave
            // a region that is never ready (and with it the shared ones) for `clean`
            ActorRef<ToWorker> ref = worker.hello.completeOnTimeout(null, 10, TimeUnit.SECONDS).join();
            if (ref != null) {
                ref.tell(new Exit(0));
            } else {
                worker.child.close();
            }
        }
        for (Worker worker : all) {
            try {
                worker.child.awaitExit(Duration.ofSeconds(10));
            } catch (TimeoutException e) {
                worker.child.close();
            } catch (InterruptedException e) {
                worker.child.close();
                Thread.currentThread().interrupt();
            }
        }
    }
}
