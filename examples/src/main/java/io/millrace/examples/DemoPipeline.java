package io.millrace.examples;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import io.millrace.actors.ActorRef;
import io.millrace.actors.ActorSystem;
import io.millrace.actors.ActorSystemConfig;
import io.millrace.actors.Behavior;
import io.millrace.actors.Behaviors;
import io.millrace.actors.ChildFailed;
import io.millrace.actors.ChildJoined;
import io.millrace.actors.Joinable;
import io.millrace.examples.DemoReadings.Produced;
import io.millrace.examples.DemoReadings.Reading;
import io.millrace.examples.DemoReadings.Tally;
import io.millrace.examples.DemoReadings.Totals;
import io.millrace.generators.Generators;
import io.millrace.generators.WorkerPool;
import io.millrace.reactive.ActorSink;
import io.millrace.reactive.Streams;
import io.millrace.shm.ShmDirectory;
import reactor.core.publisher.Flux;

import static io.millrace.examples.Formats.count;
import static io.millrace.examples.Formats.hex;

/**
 * The pipeline of {@code millrace demo}: two generator workers (child JVMs of a {@link WorkerPool}) publish seeded
 * {@link Reading}s as {@code Flux}es; a third worker, the Reactor stage, imports both, merges, filters and maps
 * them and streams the result back to this JVM ({@link Generators#create}); here joinable actors aggregate it
 * through {@link ActorSink}s (with backpressure: a window of acks) and, when the stream completes, stop and have
 * their per-key counts and sums merged into their parent's state. The parent checks the merged totals and their
 * checksum against a sequential computation from the same seed, and each generator's checksum against its own.
 *
 * <p>{@link #close()} (also from the shutdown hook on Ctrl-C) stops the actors and the pool, whose workers never
 * outlive this JVM; the last node out removes the shared regions.
 */
final class DemoPipeline implements AutoCloseable {
    static final int GENERATORS = 2;
    static final int AGGREGATORS = 2;
    /** Elements an aggregator may have outstanding (sent, not acked). */
    private static final int WINDOW = 256;
    private static final Duration RESULT_WAIT = Duration.ofSeconds(60);
    private static final Duration WORKER_START = Duration.ofSeconds(30);
    /**
     * slf4j-simple's level for the dead-letter loggers: warnings only. At the end of a run, a sink's ack actor
     * stops with its aggregator before the sink's own stop reaches it, and a stopping worker's timers fire into
     * its terminated system: harmless dead letters that would read as errors on the demo's stderr.
     */
    private static final String QUIET_DEAD_LETTERS = "org.slf4j.simpleLogger.log.io.millrace.actors.DeadLetters";

    private final PrintWriter out;
    private final PrintWriter err;
    private volatile boolean interrupted;
    private final Path base;
    private final long records;
    private final long seed;
    private final long killWorkersAfter;
    private final WorkerPool pool;
    /** Guards {@link #system} and {@link #closed}: a close (the Ctrl-C hook) waits for a system being created. */
    private final Object lifecycle = new Object();
    private ActorSystem<Void> system;
    private boolean closed;

    /** Starts the pool's {@code GENERATORS + 1} workers; they warm up while the caller does something else. */
    DemoPipeline(PrintWriter out, PrintWriter err, Path base, long records, long seed, long killWorkersAfter) {
        this.out = out;
        this.err = err;
        this.base = base;
        this.records = records;
        this.seed = seed;
        this.killWorkersAfter = killWorkersAfter;
        System.setProperty(QUIET_DEAD_LETTERS, "warn");
        this.pool = WorkerPool.builder().size(GENERATORS + 1).baseDirectory(base).startTimeout(WORKER_START)
                .jvmOption("-D" + QUIET_DEAD_LETTERS + "=warn")
                // no INFO lines of the workers' actor systems (their stops at Ctrl-C) among the demo's own
                .jvmOption("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
                // C1 only: a run of seconds is mostly warm-up; halved the pipeline's time here (4.5 -> 2.2 s)
                .jvmOption("-XX:TieredStopAtLevel=1").build();
    }

    /** A row of the table: what ran, where, how many, in how long. */
    record Row(String stage, String pid, long elements, long nanos) {
    }

    /** Runs the pipeline and verifies it; adds its rows to {@code rows}; false when it failed (said on stderr). */
    boolean run(List<Row> rows) throws InterruptedException {
        String prefix = streamPrefix();
        String directory = base.toString();
        long count = records;
        long seedValue = seed;
        List<CompletableFuture<Produced>> generators = new ArrayList<>();
        for (int i = 0; i < GENERATORS; i++) {
            int part = i;
            String stream = prefix + i;
            generators.add(pool.submit(() -> DemoReadings.runGenerator(directory, stream, seedValue, part, count)));
        }
        String first = prefix + 0;
        String second = prefix + 1;
        Flux<Reading> staged = Generators.create(pool, Reading.class,
                sink -> DemoReadings.runStage(directory, first, second, sink));
        out.printf("  pipeline: %d generator workers x %s (seed %d) -> Reactor stage worker (merge, filter, "
                + "map) -> %d joinable actors here%n", GENERATORS, count(count, "reading"), seed, AGGREGATORS);
        out.flush();

        AtomicLong arrived = new AtomicLong();
        long[] firstNanos = {0};
        long[] lastNanos = {0};
        Flux<Reading> observed = staged.doOnNext(reading -> {
            long n = arrived.incrementAndGet();
            long now = System.nanoTime();
            if (n == 1) {
                firstNanos[0] = now;
            }
            lastNanos[0] = now;
            if (n == killWorkersAfter) {
                killWorkers();
            }
        });
        CompletableFuture<Totals> merged = new CompletableFuture<>();
        synchronized (lifecycle) {
            // a close() before the system exists would miss it, and the JVM exit after the hook would leave its files
            if (closed) {
                err.println("millrace demo: stopped before the actors started");
                err.flush();
                return false;
            }
            system = ActorSystem.create(parent(observed, merged), "demo",
                    ActorSystemConfig.defaults().withBaseDirectory(base).withDispatcherThreads(1));
        }

        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        generators.forEach(f -> f.whenComplete((value, error) -> {
            if (error != null) {
                failure.complete(error);
            }
        }));
        merged.whenComplete((value, error) -> {
            if (error != null) {
                failure.complete(error);
            }
        });
        List<CompletableFuture<?>> all = new ArrayList<>(generators);
        all.add(merged);
        try {
            CompletableFuture.anyOf(CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)), failure)
                    .get(RESULT_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) { // a generator's or the actors' failure, seen through allOf first
            return fail("%s (%s of the stage's readings had arrived)", describe(e.getCause()), count(arrived.get()));
        } catch (TimeoutException e) {
            return fail("the pipeline gave no result within %d s (%s of the stage's readings arrived)",
                    RESULT_WAIT.toSeconds(), count(arrived.get()));
        }
        if (failure.isDone()) {
            return fail("%s (%s of the stage's readings had arrived)", describe(failure.join()),
                    count(arrived.get()));
        }
        long done = System.nanoTime();
        List<Long> generatorPids = new ArrayList<>();
        for (int i = 0; i < GENERATORS; i++) {
            Produced produced = generators.get(i).join();
            generatorPids.add(produced.pid());
            rows.add(new Row("generator " + i, Long.toString(produced.pid()), produced.count(), produced.nanos()));
            long expected = DemoReadings.expectedChecksum(seed, i, count);
            if (produced.count() != count || produced.checksum() != expected) {
                return fail("generator %d sent %s with checksum %s; from the seed: %s with checksum %s", i,
                        count(produced.count()), hex(produced.checksum()), count(count), hex(expected));
            }
        }
        List<Long> others = new ArrayList<>(pool.workerPids());
        others.removeAll(generatorPids);
        String stagePid = others.size() == 1 ? Long.toString(others.getFirst()) : "?";
        long staging = Math.max(1, lastNanos[0] - firstNanos[0]);
        rows.add(new Row("reactor stage (merge, filter, map)", stagePid, arrived.get(), staging));
        Totals totals = merged.join();
        rows.add(new Row("actors (" + AGGREGATORS + ", joined, merged)", Long.toString(ProcessHandle.current().pid()),
                totals.count(), Math.max(1, done - firstNanos[0])));

        Totals expected = DemoReadings.expected(seed, GENERATORS, count);
        if (!totals.equals(expected)) {
            return fail("the merged totals differ from the sequential ones: merged %s readings, checksum %s; "
                            + "sequential %s, checksum %s; per key merged %s, sequential %s",
                    count(totals.count()), hex(totals.checksum()), count(expected.count()), hex(expected.checksum()),
                    totals.sortedCounts(), expected.sortedCounts());
        }
        if (arrived.get() != totals.count()) {
            return fail("the stage sent %s readings, the actors merged %s", count(arrived.get()),
                    count(totals.count()));
        }
        Map<String, Long> counts = totals.sortedCounts();
        out.printf("  merged: %s over %d keys (%s to %s per key), checksum %s; the generators' checksums %s%n",
                count(totals.count(), "reading"), counts.size(),
                count(counts.values().stream().mapToLong(Long::longValue).min().orElse(0)),
                count(counts.values().stream().mapToLong(Long::longValue).max().orElse(0)), hex(totals.checksum()),
                "match");
        out.printf("  pipeline verified: per-key counts and sums and the checksum equal a sequential run of seed %d%n",
                seed);
        out.flush();
        return true;
    }

    /** The joinable aggregators' parent: spawns them, subscribes them to {@code source}, completes {@code result}. */
    private static Behavior<Void> parent(Flux<Reading> source, CompletableFuture<Totals> result) {
        Joinable<Tally, Totals, Totals> joinable = Joinable.of(Totals.class, Tally::totals, Totals::plus);
        return Behaviors.setup(context -> {
            Flux<Reading> shared = source.publish().autoConnect(AGGREGATORS);
            for (int i = 0; i < AGGREGATORS; i++) {
                ActorRef<ToAggregator> aggregator = context.spawnJoinable(aggregator(), "aggregator-" + i, joinable);
                int shard = i;
                shared.filter(reading -> Math.floorMod(reading.key().hashCode(), AGGREGATORS) == shard)
                        .subscribe(ActorSink.actorRefWithBackpressure(context.getSystem(), aggregator,
                                Element::new, Start::new, Ack.ACK, new Done(), Failed::new, WINDOW));
            }
            int[] joined = {0};
            return Behaviors.<Void, Totals>stateful(Totals.EMPTY, (ctx, totals, message) -> Behaviors.same(),
                    (ctx, totals, signal) -> {
                        switch (signal) {
                            case ChildJoined join -> {
                                if (++joined[0] == AGGREGATORS) {
                                    result.complete(totals);
                                }
                            }
                            case ChildFailed failed -> result.completeExceptionally(new IllegalStateException(
                                    failed.ref().path().name() + " failed: " + failed.cause().getMessage(),
                                    failed.cause()));
                            default -> {
                                return Behaviors.unhandled();
                            }
                        }
                        return Behaviors.same();
                    });
        });
    }

    /** An aggregator: folds each reading into its tally and acks it; stops (and so joins) at the stream's end. */
    private static Behavior<ToAggregator> aggregator() {
        return Behaviors.stateful(new Tally(), (context, tally, message) -> switch (message) {
            case Start start -> {
                start.ack().tell(Ack.ACK);
                yield Behaviors.same();
            }
            case Element element -> {
                tally.add(element.reading());
                element.ack().tell(Ack.ACK);
                yield Behaviors.same();
            }
            case Done done -> Behaviors.stopped();
            case Failed failed -> throw new IllegalStateException("its stream failed: " + failed.error(),
                    failed.error());
        });
    }

    sealed interface ToAggregator permits Start, Element, Done, Failed {
    }

    record Start(ActorRef<Ack> ack) implements ToAggregator {
    }

    record Element(ActorRef<Ack> ack, Reading reading) implements ToAggregator {
    }

    record Done() implements ToAggregator {
    }

    record Failed(Throwable error) implements ToAggregator {
    }

    enum Ack { ACK }

    /** For tests of the failure path: SIGKILL every worker of the pool, mid-stream. */
    private void killWorkers() {
        for (long pid : pool.workerPids()) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static String describe(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof java.util.concurrent.CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /** Ctrl-C: the failures that the stopping pool and actors cause now are its effect, not the demo's failure. */
    void interrupt() {
        interrupted = true;
    }

    private boolean fail(String format, Object... args) {
        if (!interrupted) {
            reportFailure(out, err, format, args);
        }
        return false;
    }

    /** Says on {@code err} why the demo failed, after what is already on {@code out}. */
    static void reportFailure(PrintWriter out, PrintWriter err, String format, Object... args) {
        out.flush();
        err.printf("millrace demo: FAILED: " + format + "%n", args);
        err.flush();
    }

    /**
     * Stops the actors and the pool (its workers exit, else are killed), then removes the generators' stream
     * regions if both their publisher and their subscriber were killed (nobody else would: a death on one side
     * alone is cleaned by the other). Idempotent.
     */
    @Override
    public void close() {
        ActorSystem<Void> actors;
        synchronized (lifecycle) {
            closed = true;
            actors = system;
        }
        try {
            if (actors != null) {
                actors.close();
            }
        } finally {
            pool.close();
            ShmDirectory directory = ShmDirectory.at(base);
            for (int i = 0; i < GENERATORS; i++) {
                for (String region : Streams.removeDeadRegions(streamPrefix() + i, directory)) {
                    out.printf("  removed region %s, left by killed workers%n", region);
                }
            }
        }
    }

    /** The generators' streams are {@code <prefix>0}, {@code <prefix>1}. */
    private static String streamPrefix() {
        return "demo-" + ProcessHandle.current().pid() + "-gen-";
    }
}
