package io.millrace.perf.bench.systems;

import io.millrace.generators.Generators;
import io.millrace.generators.MapOptions;
import io.millrace.generators.Parallel;
import io.millrace.generators.SerializableCallable;
import io.millrace.generators.SerializableIntUnaryOperator;
import io.millrace.generators.WorkerPool;
import io.millrace.generators.WorkerPoolBuilder;
import io.millrace.perf.bench.PingLoop;
import io.millrace.perf.bench.RepResult;
import io.millrace.perf.bench.Role;
import io.millrace.perf.bench.RoleContext;
import io.millrace.perf.bench.Scenario;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The {@code millrace} rows of the process-pool scenarios, played by the driver JVM with io.millrace.generators'
 * {@link WorkerPool} of {@value #WORKERS} worker JVMs (as Python's pools in mp_bench.py) in a base directory inside
 * the trial directory:
 * <ul>
 *   <li>task-dispatch: {@code pool.call(noop)} of a warm {@code lowLatency} pool, round trips;</li>
 *   <li>parallel-map: {@code Parallel.mapInts(x -> x + 1)} (the form for ints: none boxed) with the default
 *   concurrency (2 messages a worker), over all 1,000,000 ints with the default chunksize, over 10,000-int ranges
 *   with chunksize 1 (as mp_bench.py's {@code Pool.map} over {@code range(lo, hi)}), the input array made in the
 *   timed loop;</li>
 *   <li>generator-stream: {@code Generators.flux(byte[].class, ...)} of fresh {@code size}-byte arrays from one
 *   worker, elements/s counted in the driver;</li>
 *   <li>worker-start: a new pool of one worker to its first task's result (the pool's close is not timed); a JVM
 *   has no fork, so only the spawn row.</li>
 * </ul>
 */
final class MillracePool {
    static final int WORKERS = 2;
    private static final int MAP_ITEMS = 1_000_000;
    private static final int MAP_SLICE = 10_000;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private MillracePool() {
    }

    static Optional<String> unsupported(Scenario scenario, int size) {
        return scenario == Scenario.WORKER_START && size == Scenario.START_FORK
                ? Optional.of("a JVM cannot fork: every worker is a fresh JVM (the spawn row)") : Optional.empty();
    }

    static void run(RoleContext ctx) throws Exception {
        if (ctx.role() != Role.DRIVER) {
            throw new IllegalArgumentException("role " + ctx.role().id() + " is not played in " + ctx.scenario());
        }
        Path base = ctx.dir().resolve("millrace-pool");
        Files.createDirectories(base, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        switch (ctx.scenario()) {
            case TASK_DISPATCH -> taskDispatch(ctx, base);
            case PARALLEL_MAP -> parallelMap(ctx, base);
            case GENERATOR_STREAM -> generatorStream(ctx, base);
            case WORKER_START -> workerStart(ctx, base);
            default -> throw new IllegalArgumentException("scenario " + ctx.scenario() + " is not a pool scenario");
        }
    }

    private static WorkerPoolBuilder pool(Path base, int size) {
        return WorkerPool.builder().size(size).baseDirectory(base).lowLatency(true);
    }

    private static void taskDispatch(RoleContext ctx, Path base) throws Exception {
        try (WorkerPool pool = pool(base, WORKERS).build()) {
            SerializableCallable<Integer> noop = () -> 0;
            for (int i = 0; i < 100; i++) { // every worker is up and has run tasks
                pool.call(noop, WAIT);
            }
            ctx.ready();
            ctx.awaitGo();
            PingLoop.run(ctx, header -> pool.call(noop, WAIT));
        }
    }

    /**
     * A map as a Java user of ints writes it: {@code Parallel.mapInts} over {@code IntStream.range(lo, hi).toArray()},
     * the array made in the timed loop as Python's side maps {@code range(lo, hi)} (its chunks are built as it goes).
     */
    private static void parallelMap(RoleContext ctx, Path base) throws Exception {
        int chunksize = ctx.size();
        SerializableIntUnaryOperator inc = x -> x + 1;
        try (WorkerPool pool = pool(base, WORKERS).build()) {
            MapOptions options = MapOptions.defaults().withPool(pool).withTimeout(WAIT); // 2 chunks a worker
            if (chunksize != Scenario.DEFAULT_CHUNKSIZE) {
                options = options.withChunksize(chunksize);
            }
            Parallel.mapInts(inc, IntStream.range(0, 1000).toArray(), options.withChunksize(1)); // the workers are up
            int block = chunksize == Scenario.DEFAULT_CHUNKSIZE ? MAP_ITEMS : MAP_SLICE;
            ctx.ready();
            ctx.awaitGo();
            long offset = 0;
            for (int rep = 0; rep <= ctx.reps(); rep++) {
                long start = System.nanoTime();
                long deadline = start + (rep == 0 ? ctx.warmupMs() : ctx.repMs()) * 1_000_000L;
                long items = 0;
                long now;
                do {
                    int lo = (int) (offset % MAP_ITEMS);
                    int[] results = Parallel.mapInts(inc, IntStream.range(lo, lo + block).toArray(), options);
                    if (results.length != block || results[0] != lo + 1 || results[block - 1] != lo + block) {
                        throw new IllegalStateException("map over " + lo + ".." + (lo + block) + " returned wrong results");
                    }
                    offset += block;
                    items += block;
                    now = System.nanoTime();
                } while (now - deadline < 0);
                if (rep > 0) {
                    ctx.result(RepResult.throughput(rep, items, now - start));
                }
            }
        }
    }

    private static void generatorStream(RoleContext ctx, Path base) throws Exception {
        int size = ctx.size();
        try (WorkerPool pool = pool(base, 1).build()) {
            pool.call(() -> 0, WAIT); // the worker is up
            Iterator<byte[]> elements = Generators.flux(pool, byte[].class, () -> fresh(size)).toIterable(256)
                    .iterator();
            elements.next(); // the stream is set up
            ctx.ready();
            ctx.awaitGo();
            for (int rep = 0; rep <= ctx.reps(); rep++) {
                long start = System.nanoTime();
                long deadline = start + (rep == 0 ? ctx.warmupMs() : ctx.repMs()) * 1_000_000L;
                long count = 0;
                long now;
                do {
                    for (int i = 0; i < 1024; i++) {
                        if (elements.next().length != size) {
                            throw new IllegalStateException("an element of another size arrived");
                        }
                    }
                    count += 1024;
                    now = System.nanoTime();
                } while (now - deadline < 0);
                if (rep > 0) {
                    ctx.result(RepResult.throughput(rep, count, now - start));
                }
            }
        }
    }

    /** An endless generator of new {@code size}-byte arrays (a generator hands out a fresh object per element). */
    private static Iterator<byte[]> fresh(int size) {
        byte[] template = new byte[size];
        for (int i = 0; i < size; i++) {
            template[i] = (byte) (i * 31 + 7);
        }
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public byte[] next() {
                return template.clone();
            }
        };
    }

    private static void workerStart(RoleContext ctx, Path base) throws Exception {
        coldStart(base); // the JVM's own machinery (class data, the pool's classes) is warm
        MillraceLifecycleSystem.measure(ctx, () -> coldStart(base));
    }

    private static long coldStart(Path base) throws Exception {
        long start = System.nanoTime();
        WorkerPool pool = pool(base, 1).lowLatency(false).build();
        try {
            pool.call(() -> 1, WAIT);
            return System.nanoTime() - start;
        } finally {
            pool.close();
        }
    }
}
