package io.millrace.generators;

import io.millrace.actors.ActorPath;
import io.millrace.actors.ActorRef;
import io.millrace.actors.ActorSystem;
import io.millrace.actors.Behaviors;
import io.millrace.actors.launch.ChildJvm;
import io.millrace.actors.launch.ChildJvmSpec;
import io.millrace.actors.remote.Shipping;
import io.millrace.generators.WorkerProtocol.Exit;
import io.millrace.generators.WorkerProtocol.GeneratorEnded;
import io.millrace.generators.WorkerProtocol.GeneratorStarted;
import io.millrace.generators.WorkerProtocol.Hello;
import io.millrace.generators.WorkerProtocol.Init;
import io.millrace.generators.WorkerProtocol.Ready;
import io.millrace.generators.WorkerProtocol.Result;
import io.millrace.generators.WorkerProtocol.Run;
import io.millrace.generators.WorkerProtocol.StopGenerator;
import io.millrace.generators.WorkerProtocol.ToPool;
import io.millrace.generators.WorkerProtocol.ToWorker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pool of warm worker JVMs that run tasks, generators and map chunks ({@link Processes}, {@link Generators},
 * {@link Parallel}); as Python's {@code multiprocessing.Pool}, but a worker that dies never hangs the pool.
 *
 * <pre>{@code
 * try (WorkerPool pool = WorkerPool.builder().size(2).jvmOption("-Xss1m").maxTasksPerWorker(1000).build()) {
 *     int answer = pool.call(() -> 6 * 7, Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * <p>Each worker is a child JVM ({@link ChildJvm}: it never outlives this one) running a one-lane actor system
 * whose guardian serves {@link WorkerProtocol}; the pool has an actor system of its own whose guardian receives
 * the replies. A worker runs one job at a time; jobs wait in a FIFO queue for an idle worker (a map chunk may also
 * wait in a worker, behind the chunk it runs). A worker that ends (killed, crashed, {@code System.exit}) is
 * replaced, and its jobs fail with a {@link WorkerDiedException} naming its pid and exit status, or go back to the
 * head of the queue when they had retries left. A worker that ran {@code maxTasksPerWorker} jobs is retired and replaced. Workers that fail to
 * start three times in a row break the pool: queued and later jobs fail with the reason (their stderr lines).
 * {@link #shared()} is the pool used where none is given: made on first use, closed by a shutdown hook.
 */
public final class WorkerPool implements AutoCloseable {
    private static final AtomicInteger POOLS = new AtomicInteger();
    private static final int START_FAILURES_TO_BREAK = 3;
    private static final long CLOSE_WAIT_SECONDS = 60;
    private static WorkerPool shared;

    private final String name;
    private final int size;
    private final List<String> jvmOptions;
    private final int maxTasksPerWorker;
    private final byte[] initializer;
    private final Path baseDirectory;
    private final Duration startTimeout;
    private final boolean lowLatency;
    private final ActorSystem<ToPool> system;
    private final ReplySlots replies;
    private final ExecutorService callbacks;
    private final Object lock = new Object();
    private final Map<Integer, Worker> workers = new HashMap<>();
    private final ArrayDeque<Worker> idle = new ArrayDeque<>();
    private final ArrayDeque<Job> queue = new ArrayDeque<>();
    private final Map<Long, Job> running = new HashMap<>();
    /** Completes when the first {@link #close()} is done; later and concurrent callers wait for it. */
    private final CompletableFuture<Void> closeDone = new CompletableFuture<>();
    private long nextJob;
    private int nextIndex;
    private int startFailures;
    private boolean closed;
    private RuntimeException broken;

    WorkerPool(WorkerPoolBuilder builder) {
        this.name = "pool-" + ProcessHandle.current().pid() + "-" + POOLS.incrementAndGet();
        this.size = builder.size;
        this.jvmOptions = List.copyOf(builder.jvmOptions);
        this.maxTasksPerWorker = builder.maxTasksPerWorker;
        this.initializer = builder.initializer == null ? null : Shipping.ship(builder.initializer);
        this.baseDirectory = builder.baseDirectory;
        this.startTimeout = builder.startTimeout;
        this.lowLatency = builder.lowLatency;
        this.callbacks = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name(name + "-callbacks")
                .factory());
        this.system = ActorSystem.create(Behaviors.receiveMessage(message -> {
            onMessage(message);
            return Behaviors.same();
        }), name, PoolSupport.systemConfig(baseDirectory, lowLatency));
        this.replies = ReplySlots.create(baseDirectory, name + "-replies");
        synchronized (lock) {
            for (int i = 0; i < size; i++) {
                startWorker(null);
            }
        }
    }

    /** @return a builder: size = cores, no JVM options, no task limit, no initializer, the default directory */
    public static WorkerPoolBuilder builder() {
        return new WorkerPoolBuilder();
    }

    /**
     * The pool that {@link Processes}, {@link Generators} and {@link Parallel} use when given none: made with the
     * {@link #builder()} defaults on first use, closed by a shutdown hook.
     *
     * @return the shared pool
     */
    public static synchronized WorkerPool shared() {
        if (shared == null || shared.isClosed()) {
            WorkerPool pool = builder().build();
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(pool::close));
            shared = pool;
        }
        return shared;
    }

    /** @return the number of workers the pool keeps */
    public int size() {
        return size;
    }

    /** @return the base directory its workers share */
    public Path baseDirectory() {
        return baseDirectory;
    }

    /** @return the pids of the pool's workers now (running or starting; not detached ones) */
    public List<Long> workerPids() {
        synchronized (lock) {
            return workers.values().stream().filter(w -> !w.detached).map(w -> w.child.pid()).sorted().toList();
        }
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    /**
     * Runs {@code task} on a worker and completes with its result: its exception as a
     * {@link io.millrace.reactive.RemoteException}, the worker's death as a {@link WorkerDiedException}. Stages
     * complete on the pool's callback thread.
     *
     * @param task a serializable lambda or method reference
     * @param <R>  its result
     * @return the result to come
     * @throws IllegalArgumentException if the task cannot be shipped (naming what it captured)
     * @throws IllegalStateException    if the pool is closed or broken
     */
    public <R> CompletableFuture<R> submit(SerializableCallable<R> task) {
        return submit(task, 0);
    }

    /**
     * As {@link #submit(SerializableCallable)}, running the task again on another worker, up to {@code retries}
     * times, when its worker dies running it (only for tasks that may run twice).
     *
     * @param retries 0 to 100
     */
    public <R> CompletableFuture<R> submit(SerializableCallable<R> task, int retries) {
        if (retries < 0 || retries > 100) {
            throw new IllegalArgumentException("retries=" + retries + " must be from 0 to 100");
        }
        return this.<R>decode(runJob(PoolSupport.taskCode(task), null, null, retries, false).reply, callbacks);
    }

    /**
     * Runs {@code task} on a worker and waits for its result on this thread (as {@code Pool.apply}): the worker
     * leaves a small result in shared memory where this thread spins, then sleeps ({@link ReplySlots}); a virtual
     * thread waits for it as for {@link #submit}.
     *
     * @param timeout positive; the task runs on when it passes
     * @throws TimeoutException    if the result did not come within {@code timeout}
     * @throws io.millrace.reactive.RemoteException if the task threw
     * @throws WorkerDiedException if the worker died running it
     */
    public <R> R call(SerializableCallable<R> task, Duration timeout) throws TimeoutException, InterruptedException {
        PoolSupport.requirePositive(timeout, "timeout");
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] code = PoolSupport.taskCode(task);
        boolean direct = !Thread.currentThread().isVirtual(); // a futex wait would pin its carrier thread
        Job job = enqueue((id, slot) -> new Run(id, code, null, null, slot), false, 0, direct);
        ToPool reply = job.slot < 0 ? ReplySlots.replyOf(job, deadline)
                : replies.awaitResult(job, deadline, timeout, this::answered);
        return PoolSupport.<R>value(reply); // decoded here, not on the receiver's lane thread
    }

    /** A call's result came to its slot: what the receiver does with a lane Result, on the caller's thread. */
    private void answered(Job job) {
        List<Runnable> after = new ArrayList<>(2);
        synchronized (lock) {
            if (running.remove(job.id) != null) {
                release(job.worker, after);
                after.addAll(dispatch());
            }
        }
        after.forEach(Runnable::run);
    }

    /**
     * Kills every worker (SIGKILL after 10 s for one that does not exit) and stops the pool. Idempotent: a call
     * while another is closing returns once that one is done (a shutdown hook's close waits for the main thread's).
     */
    @Override
    public void close() {
        List<Worker> all;
        List<Job> dropped;
        boolean first;
        synchronized (lock) {
            first = !closed;
            closed = true;
            all = first ? new ArrayList<>(workers.values()) : List.of();
            dropped = first ? new ArrayList<>(queue) : List.of();
            queue.clear();
        }
        if (!first) {
            awaitClosed();
            return;
        }
        try {
            stop(all, dropped);
        } finally {
            closeDone.complete(null);
        }
    }

    /** Waits for the first close to finish: its steps are bounded (10 s each), and so is this wait. */
    private void awaitClosed() {
        try {
            closeDone.get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the first close failed or is stuck beyond its bounds: it reports that itself
        }
    }

    private void stop(List<Worker> all, List<Job> dropped) {
        IllegalStateException reason = new IllegalStateException("pool name=" + name + " was closed");
        dropped.forEach(job -> job.fail(reason));
        Worker.stopAll(all);
        system.close();
        replies.close();
        callbacks.shutdown();
    }

    @Override
    public String toString() {
        return "WorkerPool[" + name + ", size=" + size + "]";
    }

    // ---- what Processes, Generators and Parallel build on ----

    Executor callbacks() {
        return callbacks;
    }

    ReplySlots replies() {
        return replies;
    }

    /**
     * Queues a {@link Run}; {@code retries}: how often to run it again on another worker if its worker dies;
     * {@code chunk}: a map chunk, which may be queued in a worker behind the chunk that worker runs.
     */
    Job runJob(byte[] code, byte[] input, byte[] extract, int retries, boolean chunk) {
        return enqueue((id, slot) -> new Run(id, code, input, extract, -1), chunk, retries, false);
    }

    /** Queues a {@link WorkerProtocol.Generate}; the reply is {@link GeneratorStarted}. */
    Job generateJob(byte[] code, int kind, String elementType) {
        String prefix = "gen-" + name.substring("pool-".length()) + "-";
        return enqueue((id, slot) -> new WorkerProtocol.Generate(id, code, kind, elementType, prefix + id), false, 0,
                false);
    }

    /** Queues a job; {@code direct}: its result goes to a {@link ReplySlots} slot where one is free. */
    private Job enqueue(java.util.function.BiFunction<Long, Integer, ToWorker> message, boolean pipelined,
                        int retries, boolean direct) {
        Job job;
        List<Runnable> sends;
        synchronized (lock) {
            checkOpen();
            long id = ++nextJob;
            int slot = direct ? replies.claim(id) : -1;
            job = new Job(id, message.apply(id, slot), pipelined, retries, null);
            job.slot = slot;
            job.replies = replies;
            queue.add(job);
            sends = dispatch();
        }
        sends.forEach(Runnable::run);
        return job;
    }

    /** Withdraws a started generator that nobody subscribed to, so that its worker is free again. */
    void stopGenerator(long id) {
        Worker worker;
        synchronized (lock) {
            Job job = running.get(id);
            worker = job == null ? null : job.worker;
        }
        if (worker != null) {
            worker.ref.tell(new StopGenerator(id));
        }
    }

    /**
     * A worker for a process of its own ({@link Processes}): an idle one (replaced in the pool), else a new one.
     * Completes once it is ready; fails if it could not start.
     */
    CompletableFuture<Worker> detach() {
        CompletableFuture<Worker> result = new CompletableFuture<>();
        Worker worker;
        synchronized (lock) {
            checkOpen();
            worker = idle.poll();
            if (worker != null) {
                worker.detached = true;
                startWorker(null);
            } else {
                startWorker(result);
            }
        }
        if (worker != null) {
            result.complete(worker); // outside the lock: the task's first message goes out from here
        }
        return result;
    }

    /** Runs a job on a detached worker; the reply is its {@link Result}. */
    Job runDetached(Worker worker, byte[] code, byte[] extract) {
        Job job;
        synchronized (lock) {
            long id = ++nextJob;
            job = new Job(id, new Run(id, code, null, extract, -1), false, 0, worker);
            if (!workers.containsKey(worker.index)) {
                job.fail(new WorkerDiedException(worker.child.pid(), worker.child.onExit().getNow(0),
                        "worker pid=" + worker.child.pid() + " ended before task id=" + id + " was sent to it"));
                return job;
            }
            worker.job = job;
            running.put(id, job);
        }
        worker.ref.tell(job.message);
        return job;
    }

    /** Decodes a {@link Result} into the task's value or failure, completing on {@code executor}. */
    <R> CompletableFuture<R> decode(CompletableFuture<ToPool> reply, Executor executor) {
        return reply.thenApplyAsync(PoolSupport::value, executor);
    }

    // ---- the pool's state machine: every method below runs under the lock unless it says otherwise ----

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("pool name=" + name + " is closed");
        }
        if (broken != null) {
            throw new IllegalStateException("pool name=" + name + " is broken: " + broken.getMessage(), broken);
        }
    }

    private void startWorker(CompletableFuture<Worker> detachTo) {
        int index = nextIndex++;
        ActorPath receiver = system.path();
        ChildJvmSpec spec = ChildJvmSpec.of(name + "-w" + index, WorkerMain.class.getName()).args(
                baseDirectory.toString(), name + "-w" + index, "" + index, receiver.system(),
                Long.toHexString(receiver.node()), receiver.path(), "" + receiver.uid(), "" + lowLatency,
                replies.name());
        jvmOptions.forEach(spec::jvmOption);
        ChildJvm child;
        try {
            child = ChildJvm.start(spec);
        } catch (RuntimeException e) {
            if (detachTo != null) {
                detachTo.completeExceptionally(e);
            } else {
                broken = e;
            }
            return;
        }
        Worker worker = new Worker(index, child, detachTo);
        workers.put(index, worker);
        child.onExit().thenAccept(status -> onExit(worker, status));
        worker.killIfNotReadyIn(startTimeout, lock, name);
    }

    /** Runs on the receiver's lane thread. */
    private void onMessage(ToPool message) {
        List<Runnable> after = new ArrayList<>(2);
        synchronized (lock) {
            switch (message) {
                case Hello hello -> {
                    Worker worker = workers.get(hello.index());
                    if (worker != null) {
                        worker.ref = hello.worker();
                        after.add(() -> worker.hello.complete(hello.worker()));
                        after.add(() -> hello.worker().tell(new Init(initializer)));
                    }
                }
                case Ready ready -> onReady(ready, after);
                case Result result -> {
                    Job job = running.remove(result.id());
                    if (job != null) {
                        release(job.worker, after);
                        after.add(() -> job.complete(result));
                    }
                }
                case GeneratorStarted started -> {
                    Job job = started.error() == null ? running.get(started.id()) : running.remove(started.id());
                    if (job != null) {
                        if (started.error() != null) {
                            release(job.worker, after);
                        }
                        after.add(() -> job.reply.complete(started));
                    }
                }
                case GeneratorEnded ended -> {
                    Job job = running.remove(ended.id());
                    if (job != null) {
                        job.produced = ended.produced();
                        release(job.worker, after);
                        after.add(() -> job.ended.complete(ended.produced()));
                    }
                }
            }
            after.addAll(dispatch());
        }
        after.forEach(Runnable::run);
    }

    private void onReady(Ready ready, List<Runnable> after) {
        Worker worker = workers.get(ready.index());
        if (worker == null) {
            return;
        }
        if (ready.error() != null) {
            RuntimeException failure = new IllegalStateException("the initializer failed in worker pid="
                    + worker.child.pid() + " of pool name=" + name, Payloads.readError(ready.error()));
            breakPool(failure, after);
            after.add(worker.child::close);
            return;
        }
        worker.ready = true;
        startFailures = 0;
        if (worker.detachTo != null) {
            worker.detached = true;
            after.add(() -> worker.detachTo.complete(worker));
        } else {
            idle.add(worker);
        }
    }

    private void breakPool(RuntimeException failure, List<Runnable> after) {
        broken = failure;
        List<Job> dropped = new ArrayList<>(queue);
        queue.clear();
        for (Worker w : workers.values()) {
            if (w.detachTo != null && !w.ready) {
                after.add(() -> w.detachTo.completeExceptionally(failure));
            }
        }
        after.add(() -> dropped.forEach(job -> job.fail(failure)));
    }

    /**
     * The worker finished its job: on to the chunk queued behind it, else back to idle, or retired when it reached
     * {@code maxTasksPerWorker}.
     */
    private void release(Worker worker, List<Runnable> after) {
        worker.job = worker.next;
        worker.next = null;
        worker.tasks++;
        if (worker.detached || worker.job != null) {
            return;
        }
        if (maxTasksPerWorker > 0 && worker.tasks >= maxTasksPerWorker) {
            worker.retiring = true;
            ActorRef<ToWorker> ref = worker.ref;
            after.add(() -> ref.tell(new Exit(0)));
            if (!closed && broken == null) {
                startWorker(null);
            }
        } else {
            idle.push(worker); // LIFO: the worker just released is the one still spinning (lowLatency)
        }
    }

    /**
     * Pairs idle workers with queued jobs, then queued map chunks with workers running a chunk and none queued
     * behind it: that one waits in the worker's mailbox, so the worker goes on with it without idling for a round
     * trip through the pool (its Result, the pool's next Run). A worker ending takes both with it: each is retried
     * or fails ({@link #onExit}). Returns the sends to make outside the lock.
     */
    private List<Runnable> dispatch() {
        List<Runnable> sends = new ArrayList<>();
        while (!queue.isEmpty()) {
            Job job = queue.peek();
            if (job.reply.isDone()) {
                queue.poll();
                continue;
            }
            Worker worker = idle.poll();
            if (worker == null && (!job.pipelined || (worker = pipelineSlot()) == null)) {
                break;
            }
            queue.poll();
            if (worker.job == null) {
                worker.job = job;
            } else {
                worker.next = job;
            }
            job.worker = worker;
            running.put(job.id, job);
            ActorRef<ToWorker> ref = worker.ref;
            sends.add(() -> ref.tell(job.message));
        }
        return sends;
    }

    private Worker pipelineSlot() {
        return workers.values().stream().filter(w -> w.takesQueuedChunk(maxTasksPerWorker)).findFirst().orElse(null);
    }

    /** @return the ids of the jobs the worker with this pid holds, running then queued (for tests) */
    List<Long> jobsOf(long pid) {
        synchronized (lock) {
            return workers.values().stream().filter(w -> w.child.pid() == pid).findFirst().map(Worker::jobIds)
                    .orElse(List.of());
        }
    }

    /** Runs when a worker's process has ended and been reaped (on a thread of {@link ChildJvm}). */
    private void onExit(Worker worker, int status) {
        worker.hello.complete(null);
        List<Runnable> after = new ArrayList<>();
        synchronized (lock) {
            workers.remove(worker.index);
            idle.remove(worker);
            long pid = worker.child.pid();
            List<Job> lost = new ArrayList<>(2); // the queued chunk first, so that the running one is back at the head
            if (worker.next != null) {
                lost.add(worker.next);
            }
            if (worker.job != null) {
                lost.add(worker.job);
            }
            for (Job job : lost) {
                running.remove(job.id);
                if (job.retries > 0 && !worker.detached && !closed && broken == null) {
                    job.retries--;
                    job.worker = null;
                    queue.addFirst(job);
                } else {
                    WorkerDiedException died = new WorkerDiedException(pid, status, "worker pid=" + pid
                            + " of pool name=" + name + " exited with status=" + status + " while "
                            + (job == worker.job ? "running" : "holding queued") + " job id=" + job.id
                            + (job.message instanceof Run ? "" : " (a generator)") + worker.lastLines());
                    after.add(() -> job.fail(died));
                }
            }
            worker.job = null;
            worker.next = null;
            if (!worker.ready && !worker.retiring && !closed) {
                IllegalStateException failed = new IllegalStateException("worker pid=" + pid + " of pool name="
                        + name + " exited with status=" + status + " before it was ready" + worker.lastLines());
                if (worker.detachTo != null) {
                    after.add(() -> worker.detachTo.completeExceptionally(failed));
                } else if (++startFailures >= START_FAILURES_TO_BREAK && broken == null) {
                    breakPool(failed, after);
                }
            }
            if (!worker.detached && worker.detachTo == null && !worker.retiring && !closed && broken == null
                    && !PoolSupport.jvmExiting()) {
                startWorker(null);
            }
            after.addAll(dispatch());
        }
        after.forEach(Runnable::run);
    }
}
