package io.millrace.generators;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A/B of a chunk queued in each worker (perf/EXPERIMENTS.md): {@code x -> x + 1} over 1,000,000 ints on 2 lowLatency
 * workers, concurrency 2 (one chunk a worker: the worker idles a round trip between chunks) against 4 (the next
 * chunk waits in its mailbox), alternating, per chunksize. Not a test: run by hand with the test classpath,
 * {@code java -cp ... io.millrace.generators.MapAbMain [rounds]}.
 */
public final class MapAbMain {
    private static final Duration WAIT = Duration.ofMinutes(5);

    private MapAbMain() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path base = Files.createTempDirectory(Path.of("/dev/shm"), "millrace-map-ab-");
        List<Integer> inputs = IntStream.range(0, 1_000_000).boxed().toList();
        SerializableFunction<Integer, Integer> inc = x -> x + 1;
        try (WorkerPool pool = WorkerPool.builder().size(2).baseDirectory(base).lowLatency(true).build()) {
            MapOptions options = MapOptions.defaults().withPool(pool).withTimeout(WAIT);
            for (int i = 0; i < 5; i++) {
                Parallel.mapList(inc, inputs, options.withChunksize(10_000)); // warm-up: JIT of both sides
            }
            for (int chunksize : new int[] {125_000, 10_000, 1_000, 100}) {
                int n = chunksize == 100 ? 200_000 : inputs.size();
                for (int round = 0; round < rounds; round++) {
                    for (int concurrency : new int[] {2, 4}) {
                        MapOptions o = options.withChunksize(chunksize).withConcurrency(concurrency);
                        long start = System.nanoTime();
                        Parallel.mapList(inc, inputs.subList(0, n), o);
                        double seconds = (System.nanoTime() - start) / 1e9;
                        System.out.printf("chunksize=%d concurrency=%d %.2f M items/s%n", chunksize, concurrency,
                                n / seconds / 1e6);
                    }
                }
            }
        } finally {
            PoolDirectory.deleteTree(base);
        }
    }
}
