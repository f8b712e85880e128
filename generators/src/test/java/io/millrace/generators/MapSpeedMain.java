package io.millrace.generators;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * One side of an A/B of {@code parallel-map} (perf/EXPERIMENTS.md), as {@code ./millrace bench} plays it:
 * {@code Parallel.mapList(x -> x + 1)} on 2 lowLatency workers, concurrency 2 x workers, over 1,000,000 ints with the
 * default chunksize and over 10,000-int slices with chunksize 1; per setting, the median [min-max] of the maps run
 * in {@code seconds}. Public API only, so that one build of it runs against the classes of two builds
 * ({@code java -cp <A or B classes>:... io.millrace.generators.MapSpeedMain [seconds]}), alternately.
 */
public final class MapSpeedMain {
    private static final Duration WAIT = Duration.ofMinutes(2);

    private MapSpeedMain() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2;
        Path base = Files.createTempDirectory(Path.of("/dev/shm"), "millrace-map-speed-");
        List<Integer> inputs = IntStream.range(0, 1_000_000).boxed().toList();
        SerializableFunction<Integer, Integer> inc = x -> x + 1;
        try (WorkerPool pool = WorkerPool.builder().size(2).baseDirectory(base).lowLatency(true).build()) {
            MapOptions options = MapOptions.defaults().withPool(pool).withTimeout(WAIT);
            for (int i = 0; i < 3; i++) { // warm-up: JIT of both sides
                Parallel.mapList(inc, inputs, options);
                Parallel.mapList(inc, inputs.subList(0, 10_000), options.withChunksize(1));
            }
            report("dflt", pool, inputs, 1_000_000, options, seconds);
            report("1", pool, inputs, 10_000, options.withChunksize(1), seconds);
        } finally {
            try (Stream<Path> walk = Files.walk(base)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void report(String chunk, WorkerPool pool, List<Integer> inputs, int block, MapOptions options,
                               double seconds) {
        SerializableFunction<Integer, Integer> inc = x -> x + 1;
        List<Double> rates = new ArrayList<>();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        int offset = 0;
        while (System.nanoTime() - end < 0 || rates.size() < 3) {
            long start = System.nanoTime();
            List<Integer> out = Parallel.mapList(inc, inputs.subList(offset, offset + block), options);
            long took = System.nanoTime() - start;
            if (out.size() != block || out.getFirst() != offset + 1 || out.getLast() != offset + block) {
                throw new IllegalStateException("wrong results over " + offset + ".." + (offset + block));
            }
            rates.add(block / (took / 1e9));
            offset = (offset + block) % inputs.size();
        }
        List<Double> sorted = rates.stream().sorted().toList();
        System.out.printf("chunk=%s maps=%d median %.3f M items/s [%.3f-%.3f]%n", chunk, sorted.size(),
                sorted.get(sorted.size() / 2) / 1e6, sorted.getFirst() / 1e6, sorted.getLast() / 1e6);
    }
}
