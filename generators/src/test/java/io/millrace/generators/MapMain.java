package io.millrace.generators;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * The hand-run measurements of {@code parallel-map} (perf/EXPERIMENTS.md), on 2 lowLatency workers; not tests. Run
 * with the test class path, under the benchmark lock: {@code java -cp ... io.millrace.generators.MapMain MODE [n]}.
 * <ul>
 *   <li>{@code speed [seconds, 2]}: one side of an A/B as {@code ./millrace bench} plays it:
 *   {@code Parallel.mapList(x -> x + 1)}, concurrency 2 x workers, over 1,000,000 ints with the default chunksize
 *   and over 10,000-int slices with chunksize 1; per setting, the median [min-max] of the maps run in
 *   {@code seconds}. Public API only, so that one build of it runs against the classes of two builds
 *   ({@code java -cp <A or B classes>:...}), alternately.</li>
 *   <li>{@code ab [rounds, 3]}: A/B of a chunk queued in each worker, over 1,000,000 ints: concurrency 2 (one chunk
 *   a worker: the worker idles a round trip between chunks) against 4 (the next chunk waits in its mailbox),
 *   alternating, per chunksize.</li>
 *   <li>{@code phases [rounds, 5]}: where a default-chunksize map spends its time: each step of one 125,000-int chunk
 *   (Python's default chunk of 1,000,000 ints on 2 workers) timed alone on this thread, with the bytes it allocates
 *   (as JMH's {@code -prof gc}), then whole maps: {@code mapList} over boxed inputs, {@code mapInts} over an
 *   {@code int[]}.</li>
 * </ul>
 */
public final class MapMain {
    private static final int ITEMS = 1_000_000;
    private static final SerializableFunction<Integer, Integer> INC = x -> x + 1;

    private MapMain() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "";
        String n = args.length > 1 ? args[1] : null;
        List<Integer> inputs = IntStream.range(0, ITEMS).boxed().toList();
        switch (mode) {
            case "speed" -> speed(inputs, n == null ? 2 : Double.parseDouble(n));
            case "ab" -> ab(inputs, n == null ? 3 : Integer.parseInt(n));
            case "phases" -> Phases.run(inputs, n == null ? 5 : Integer.parseInt(n)); // not loaded by the others
            default -> throw new IllegalArgumentException("mode=" + mode + " must be speed, ab or phases");
        }
    }

    private static MapOptions options(WorkerPool pool) {
        return MapOptions.defaults().withPool(pool).withTimeout(Duration.ofMinutes(5));
    }

    private static void speed(List<Integer> inputs, double seconds) throws Exception {
        BenchPool.run("map-speed", true, pool -> {
            MapOptions options = options(pool);
            for (int i = 0; i < 3; i++) { // warm-up: JIT of both sides
                Parallel.mapList(INC, inputs, options);
                Parallel.mapList(INC, inputs.subList(0, 10_000), options.withChunksize(1));
            }
            speedOf("dflt", inputs, ITEMS, options, seconds);
            speedOf("1", inputs, 10_000, options.withChunksize(1), seconds);
        });
    }

    private static void speedOf(String chunk, List<Integer> inputs, int block, MapOptions options, double seconds) {
        List<Double> rates = new ArrayList<>();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        int offset = 0;
        while (System.nanoTime() - end < 0 || rates.size() < 3) {
            long start = System.nanoTime();
            List<Integer> out = Parallel.mapList(INC, inputs.subList(offset, offset + block), options);
            long took = System.nanoTime() - start;
            if (out.size() != block || out.getFirst() != offset + 1 || out.getLast() != offset + block) {
                throw new IllegalStateException("wrong results over " + offset + ".." + (offset + block));
            }
            rates.add(block / (took / 1e9));
            offset = (offset + block) % inputs.size();
        }
        System.out.printf("chunk=%s maps=%d %s%n", chunk, rates.size(), BenchPool.rates(rates));
    }

    private static void ab(List<Integer> inputs, int rounds) throws Exception {
        BenchPool.run("map-ab", true, pool -> {
            MapOptions options = options(pool);
            for (int i = 0; i < 5; i++) {
                Parallel.mapList(INC, inputs, options.withChunksize(10_000)); // warm-up: JIT of both sides
            }
            for (int chunksize : new int[] {125_000, 10_000, 1_000, 100}) {
                int n = chunksize == 100 ? 200_000 : inputs.size();
                for (int round = 0; round < rounds; round++) {
                    for (int concurrency : new int[] {2, 4}) {
                        MapOptions o = options.withChunksize(chunksize).withConcurrency(concurrency);
                        long start = System.nanoTime();
                        Parallel.mapList(INC, inputs.subList(0, n), o);
                        double seconds = (System.nanoTime() - start) / 1e9;
                        System.out.printf("chunksize=%d concurrency=%d %.2f M items/s%n", chunksize, concurrency,
                                n / seconds / 1e6);
                    }
                }
            }
        });
    }

    /** The {@code phases} mode: package-private classes, so kept apart from the modes that use public API only. */
    private static final class Phases {
        private static final int CHUNK = 125_000;
        private static final com.sun.management.ThreadMXBean THREADS =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

        static void run(List<Integer> boxed, int rounds) throws Exception {
            SerializableIntUnaryOperator incInt = x -> x + 1;
            List<Integer> slice = boxed.subList(0, CHUNK);
            byte[] input = Payloads.writeList(slice);
            List<?> decoded = (List<?>) Payloads.read(input);
            List<Object> applied = apply(decoded);
            byte[] output = Payloads.write(applied);
            int[] ints = IntStream.range(0, ITEMS).toArray();
            for (int round = 0; round < rounds; round++) {
                phase("boxed: pack the input slice (parent)", () -> Payloads.writeList(slice));
                phase("boxed: read the input in place (worker)", () -> Payloads.read(input));
                phase("boxed: apply fn, boxing each result (worker)", () -> apply(decoded));
                phase("boxed: pack the results (worker)", () -> Payloads.write(applied));
                phase("boxed: read the results in place (parent)", () -> Payloads.read(output));
                phase("boxed: Shipping.ship of the chunk task", () -> io.millrace.actors.remote.Shipping.ship(
                        (WorkerTask) in -> apply((List<?>) in)));
                phase("ints: pack the input slice (parent)", () -> IntChunks.pack(ints, 0, CHUNK));
                phase("ints: apply over the packed input (worker)", () -> IntChunks.apply(incInt,
                        (PackedList) Payloads.read(input)));
            }
            BenchPool.run("map-phases", true, pool -> {
                MapOptions options = options(pool);
                for (int i = 0; i < 5; i++) {
                    Parallel.mapList(INC, boxed, options);
                    Parallel.mapInts(incInt, ints, options);
                }
                for (int round = 0; round < rounds; round++) {
                    whole("mapList(boxed List<Integer>)", () -> Parallel.mapList(INC, boxed, options));
                    whole("mapInts(int[])", () -> Parallel.mapInts(incInt, ints, options));
                    whole("mapInts(IntStream.range(..).toArray())", () -> Parallel.mapInts(incInt,
                            IntStream.range(0, ITEMS).toArray(), options));
                }
            });
        }

        private static List<Object> apply(List<?> in) {
            List<Object> out = new ArrayList<>(in.size());
            for (Object x : in) {
                out.add(INC.apply((Integer) x));
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
            Arrays.sort(nanos);
            System.out.printf("%-50s median %8.1f us  min %8.1f us  %,12d B/chunk%n", name, nanos[n / 2] / 1e3,
                    nanos[0] / 1e3, bytes);
        }

        private static void whole(String name, Supplier<?> map) {
            List<Double> rates = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                long start = System.nanoTime();
                map.get();
                rates.add(ITEMS / ((System.nanoTime() - start) / 1e9));
            }
            System.out.printf("%-50s %s%n", name, BenchPool.rates(rates));
        }
    }
}
