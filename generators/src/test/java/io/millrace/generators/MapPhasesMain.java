package io.millrace.generators;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Where a default-chunksize {@code parallel-map} spends its time (perf/EXPERIMENTS.md): each step of one
 * 125,000-int chunk (Python's default chunk of 1,000,000 ints on 2 workers) timed alone on this thread, with the
 * bytes it allocates (as JMH's {@code -prof gc}), then whole maps on 2 {@code lowLatency} workers: {@code mapList}
 * over boxed inputs and {@code mapInts} over an {@code int[]}. Not a test: run by hand under the benchmark lock,
 * {@code java -cp <test classes>:<perf jar> io.millrace.generators.MapPhasesMain [rounds]}.
 */
public final class MapPhasesMain {
    private static final int CHUNK = 125_000;
    private static final int ITEMS = 1_000_000;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private MapPhasesMain() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<Integer> boxed = IntStream.range(0, ITEMS).boxed().toList();
        SerializableFunction<Integer, Integer> inc = x -> x + 1;
        SerializableIntUnaryOperator incInt = x -> x + 1;
        List<Integer> slice = boxed.subList(0, CHUNK);
        byte[] input = Payloads.writeList(slice);
        List<?> decoded = (List<?>) Payloads.read(input);
        List<Object> applied = apply(inc, decoded);
        byte[] output = Payloads.write(applied);
        int[] ints = IntStream.range(0, ITEMS).toArray();
        for (int round = 0; round < rounds; round++) {
            phase("boxed: pack the input slice (parent)", () -> Payloads.writeList(slice));
            phase("boxed: read the input in place (worker)", () -> Payloads.read(input));
            phase("boxed: apply fn, boxing each result (worker)", () -> apply(inc, decoded));
            phase("boxed: pack the results (worker)", () -> Payloads.write(applied));
            phase("boxed: read the results in place (parent)", () -> Payloads.read(output));
            phase("boxed: Shipping.ship of the chunk task", () -> io.millrace.actors.remote.Shipping.ship(
                    (WorkerTask) in -> apply(inc, (List<?>) in)));
            phase("ints: pack the input slice (parent)", () -> IntChunks.pack(ints, 0, CHUNK));
            phase("ints: apply over the packed input (worker)", () -> IntChunks.apply(incInt,
                    (PackedList) Payloads.read(input)));
        }
        Path base = Files.createTempDirectory(Path.of("/dev/shm"), "millrace-map-phases-");
        try (WorkerPool pool = WorkerPool.builder().size(2).baseDirectory(base).lowLatency(true).build()) {
            MapOptions options = MapOptions.defaults().withPool(pool).withTimeout(Duration.ofMinutes(2));
            for (int i = 0; i < 5; i++) {
                Parallel.mapList(inc, boxed, options);
                Parallel.mapInts(incInt, ints, options);
            }
            for (int round = 0; round < rounds; round++) {
                whole("mapList(boxed List<Integer>)", () -> Parallel.mapList(inc, boxed, options));
                whole("mapInts(int[])", () -> Parallel.mapInts(incInt, ints, options));
                whole("mapInts(IntStream.range(..).toArray())", () -> Parallel.mapInts(incInt,
                        IntStream.range(0, ITEMS).toArray(), options));
            }
        } finally {
            try (java.util.stream.Stream<Path> walk = Files.walk(base)) { // PoolDirectory needs JUnit on the class path
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static List<Object> apply(SerializableFunction<Integer, Integer> fn, List<?> in) {
        List<Object> out = new ArrayList<>(in.size());
        for (Object x : in) {
            out.add(fn.apply((Integer) x));
        }
        return out;
    }

    private static void phase(String name, Supplier<?> step) {
        int n = 20;
        long[] nanos = new long[n];
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            long allocated = THREADS.getCurrentThreadAllocatedBytes();
            long start = System.nanoTime();
            Object kept = step.get();
            nanos[i] = System.nanoTime() - start;
            bytes = THREADS.getCurrentThreadAllocatedBytes() - allocated;
            if (kept == null) {
                throw new IllegalStateException(name);
            }
        }
        java.util.Arrays.sort(nanos);
        System.out.printf("%-50s median %8.1f us  min %8.1f us  %,12d B/chunk%n", name, nanos[n / 2] / 1e3,
                nanos[0] / 1e3, bytes);
    }

    private static void whole(String name, Supplier<?> map) {
        int n = 15;
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            map.get();
            nanos[i] = System.nanoTime() - start;
        }
        java.util.Arrays.sort(nanos);
        System.out.printf("%-50s median %8.2f M items/s [%.2f-%.2f]  (%.2f ms a map)%n", name,
                ITEMS / (nanos[n / 2] / 1e9) / 1e6, ITEMS / (nanos[n - 1] / 1e9) / 1e6, ITEMS / (nanos[0] / 1e9) / 1e6,
                nanos[n / 2] / 1e6);
    }

}
