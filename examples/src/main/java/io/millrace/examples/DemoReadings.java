package io.millrace.examples;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.millrace.reactive.Publication;
import io.millrace.reactive.StreamOptions;
import io.millrace.reactive.Streams;
import io.millrace.shm.ShmDirectory;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.SignalType;

/**
 * What the processes of the demo's pipeline agree on ({@link DemoPipeline}): the seeded readings each generator
 * makes, the Reactor stage's operators, and the totals with their order-free checksum, so that the parent can
 * compute sequentially, from the seed alone, what the actors must have merged.
 *
 * <p>The methods named {@code run...} are the code the pool's workers run: a generator publishes its readings
 * under a name ({@link #runGenerator}); the stage imports both, merges, filters and maps them with Reactor
 * operators and pushes the result into the sink of a {@code Generators.create} ({@link #runStage}).
 */
final class DemoReadings {
    /** Keys of the readings: {@code sensor-0} to {@code sensor-15}. */
    static final int KEYS = 16;
    /** How long a worker waits for its stream's subscriber to import or drain it. */
    static final Duration STREAM_WAIT = Duration.ofSeconds(60);

    private static final long MIX_1 = 0xBF58476D1CE4E5B9L;
    private static final long MIX_2 = 0x94D049BB133111EBL;
    private static final String[] KEY_NAMES = new String[KEYS];

    static {
        for (int i = 0; i < KEYS; i++) {
            KEY_NAMES[i] = "sensor-" + i;
        }
    }

    private DemoReadings() {
    }

    /**
     * One reading; public so that the bridge's codec carries it between the JVMs.
     *
     * @param id    unique over the run: generator {@code part} makes {@code part * count} onwards
     * @param key   one of {@link #KEYS} sensor names
     * @param value 0 to 999 from a generator; the stage maps it
     */
    public record Reading(long id, String key, long value) {
    }

    /** What a generator worker reports once its stream was drained (Java-serialized back to the parent). */
    record Produced(long pid, long count, long checksum, long nanos) implements Serializable {
    }

    /** The readings of generator {@code part}: {@code count} of them, from {@code seed} and {@code part} alone. */
    static Iterator<Reading> readings(long seed, int part, long count) {
        SplittableRandom random = new SplittableRandom(seed * 31 + part);
        long first = part * count;
        return new Iterator<>() {
            private long next;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public Reading next() {
                if (next == count) {
                    throw new NoSuchElementException("part=" + part + " made all count=" + count);
                }
                return new Reading(first + next++, KEY_NAMES[random.nextInt(KEYS)], random.nextInt(1000));
            }
        };
    }

    /** The stage's filter: drops a reading whose value is a multiple of 8 (an eighth of them). */
    static boolean passes(Reading reading) {
        return reading.value() % 8 != 0;
    }

    /** The stage's map: calibrates the value. */
    static Reading calibrate(Reading reading) {
        return new Reading(reading.id(), reading.key(), reading.value() * 3 + 1);
    }

    /** Folds one reading into an order-free checksum (a sum of mixed words), so merged streams compare. */
    static long checksum(long sum, Reading reading) {
        long word = reading.id() * MIX_1 ^ reading.key().hashCode() * MIX_2 ^ reading.value();
        word = (word ^ (word >>> 31)) * MIX_1;
        return sum + (word ^ (word >>> 29));
    }

    /** The totals the actors must merge, computed here in one thread from the seed. */
    static Totals expected(long seed, int parts, long count) {
        Tally tally = new Tally();
        for (int part = 0; part < parts; part++) {
            for (Iterator<Reading> it = readings(seed, part, count); it.hasNext(); ) {
                Reading reading = it.next();
                if (passes(reading)) {
                    tally.add(calibrate(reading));
                }
            }
        }
        return tally.totals();
    }

    /** The checksum of generator {@code part}'s readings before the stage, computed here. */
    static long expectedChecksum(long seed, int part, long count) {
        long sum = 0;
        for (Iterator<Reading> it = readings(seed, part, count); it.hasNext(); ) {
            sum = checksum(sum, it.next());
        }
        return sum;
    }

    /**
     * In a worker: publishes generator {@code part}'s readings as {@code stream}, waits until its subscriber (the
     * stage) drained it, and reports what it sent.
     */
    static Produced runGenerator(String base, String stream, long seed, int part, long count)
            throws InterruptedException {
        long[] sum = {0};
        CountDownLatch ended = new CountDownLatch(1);
        AtomicReference<SignalType> end = new AtomicReference<>();
        long[] started = {0};
        Flux<Reading> source = Flux.fromIterable(() -> readings(seed, part, count))
                .doOnSubscribe(s -> started[0] = System.nanoTime())
                .doOnNext(reading -> sum[0] = checksum(sum[0], reading))
                .doFinally(signal -> {
                    end.set(signal);
                    ended.countDown();
                });
        try (Publication publication = Streams.publish(stream, Reading.class, source, directory(base))) {
            if (!ended.await(STREAM_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("stream=" + publication.name() + " was not drained within "
                        + STREAM_WAIT.toSeconds() + " s");
            }
        }
        if (end.get() != SignalType.ON_COMPLETE) {
            throw new IllegalStateException("stream=" + stream + " ended with " + end.get() + ", not complete");
        }
        return new Produced(ProcessHandle.current().pid(), count, sum[0], System.nanoTime() - started[0]);
    }

    /**
     * In a worker: the Reactor stage. Imports the generators' streams, merges them, filters and maps, and pushes
     * the result into {@code sink} within the demand of the sink's subscriber (the parent).
     */
    static void runStage(String base, String first, String second, FluxSink<Reading> sink) {
        StreamOptions options = StreamOptions.of(directory(base)).withTimeout(STREAM_WAIT);
        Flux.merge(options.prefetch(), Streams.flux(first, Reading.class, options),
                        Streams.flux(second, Reading.class, options))
                .filter(DemoReadings::passes)
                .map(DemoReadings::calibrate)
                .subscribe(new BaseSubscriber<>() {
                    @Override
                    protected void hookOnSubscribe(Subscription subscription) {
                        sink.onRequest(this::request);
                        sink.onCancel(this::cancel);
                    }

                    @Override
                    protected void hookOnNext(Reading reading) {
                        sink.next(reading);
                    }

                    @Override
                    protected void hookOnComplete() {
                        sink.complete();
                    }

                    @Override
                    protected void hookOnError(Throwable error) {
                        sink.error(error);
                    }
                });
    }

    private static ShmDirectory directory(String base) {
        return ShmDirectory.at(Path.of(base));
    }

    /**
     * Merged totals: readings, their checksum, and per key the count and sum of values; immutable, the snapshot
     * a joined aggregator hands its parent.
     */
    record Totals(long count, long checksum, Map<String, Long> counts, Map<String, Long> sums) {
        static final Totals EMPTY = new Totals(0, 0, Map.of(), Map.of());

        Totals {
            counts = Map.copyOf(counts);
            sums = Map.copyOf(sums);
        }

        /** @return these totals and {@code other}'s, added */
        Totals plus(Totals other) {
            Map<String, Long> mergedCounts = new HashMap<>(counts);
            Map<String, Long> mergedSums = new HashMap<>(sums);
            other.counts.forEach((key, n) -> mergedCounts.merge(key, n, Long::sum));
            other.sums.forEach((key, n) -> mergedSums.merge(key, n, Long::sum));
            return new Totals(count + other.count, checksum + other.checksum, mergedCounts, mergedSums);
        }

        /** @return the per-key counts, sorted by key, for printing */
        Map<String, Long> sortedCounts() {
            return new TreeMap<>(counts);
        }
    }

    /** An aggregator's mutable state: what it folded in so far. */
    static final class Tally {
        private final Map<String, long[]> perKey = new HashMap<>();
        private long count;
        private long checksum;

        void add(Reading reading) {
            long[] entry = perKey.computeIfAbsent(reading.key(), key -> new long[2]);
            entry[0]++;
            entry[1] += reading.value();
            count++;
            checksum = checksum(checksum, reading);
        }

        Totals totals() {
            Map<String, Long> counts = new HashMap<>();
            Map<String, Long> sums = new HashMap<>();
            perKey.forEach((key, entry) -> {
                counts.put(key, entry[0]);
                sums.put(key, entry[1]);
            });
            return new Totals(count, checksum, counts, sums);
        }
    }
}
