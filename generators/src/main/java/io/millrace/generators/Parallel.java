package io.millrace.generators;

import io.millrace.actors.remote.Shipping;
import io.millrace.generators.WorkerProtocol.Result;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Parallel maps over a {@link WorkerPool}, as Python's {@code Pool.map}, {@code starmap}, {@code imap_unordered}
 * and snakefish's {@code map}:
 *
 * <pre>{@code
 * List<Integer> squares = Parallel.mapList(x -> x * x, List.of(1, 2, 3), MapOptions.defaults());
 * Flux<Integer> any = Parallel.mapUnordered(x -> x * x, inputs, MapOptions.defaults().withChunksize(100));
 * }</pre>
 *
 * The inputs are cut into chunks of {@code chunksize}; a chunk is a message to a worker, and so are several chunks
 * in a row where chunks are small (at least {@value #MESSAGE_ITEMS} inputs a message while that leaves 4 messages a
 * worker; a chunk a message with {@link MapOptions#withJoin a join}). Ints, longs and doubles travel as arrays, their
 * results are read in place; other values as Java serialization. At most {@code concurrency} messages are in flight
 * (by default two per worker: a worker finishing one finds the next waiting in its mailbox).
 * {@code map} emits in input order, {@code mapUnordered} as messages finish; {@code mapList} returns the messages'
 * result lists end to end, read-only. A chunk that throws fails the Flux with the
 * {@link io.millrace.reactive.RemoteException}; one whose worker died with a {@link WorkerDiedException} (after
 * {@code retries} runs of its message on other workers); cancelling drops the messages not yet sent.
 */
public final class Parallel {

    /** The fewest inputs in a message to a worker where chunks are smaller (see {@link #messages}). */
    static final int MESSAGE_ITEMS = 256;

    private Parallel() {
    }

    /**
     * {@code fn} over {@code inputs} on workers, in input order.
     *
     * @param fn      a serializable lambda or method reference
     * @param inputs  serializable values (read once, at subscription)
     * @param options pool, concurrency, chunksize, retries, join
     * @return the results, ordered
     * @throws IllegalArgumentException if {@code fn} cannot be shipped, naming what it captured
     */
    public static <T, R> Flux<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> inputs,
                                     MapOptions options) {
        return run(fn, inputs, options, true);
    }

    /** {@link #map(SerializableFunction, Iterable, MapOptions)} with {@link MapOptions#defaults()}. */
    public static <T, R> Flux<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> inputs) {
        return map(fn, inputs, MapOptions.defaults());
    }

    /** As {@link #map(SerializableFunction, Iterable, MapOptions)}, each chunk's results as soon as it is done. */
    public static <T, R> Flux<R> mapUnordered(SerializableFunction<? super T, ? extends R> fn,
                                              Iterable<? extends T> inputs, MapOptions options) {
        return run(fn, inputs, options, false);
    }

    /**
     * {@code fn} over pairs of arguments, in order (Python's {@code starmap} of 2-tuples).
     *
     * @param pairs each entry's key is the first argument, its value the second
     */
    public static <A, B, R> Flux<R> starmap(SerializableBiFunction<? super A, ? super B, ? extends R> fn,
                                            Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs,
                                            MapOptions options) {
        Shipping.ship(Objects.requireNonNull(fn, "fn"));
        Objects.requireNonNull(pairs, "pairs");
        List<Pair> args = new ArrayList<>();
        for (Map.Entry<? extends A, ? extends B> pair : pairs) {
            args.add(new Pair(pair.getKey(), pair.getValue()));
        }
        SerializableFunction<Pair, R> spread = pair -> spread(fn, pair);
        return run(spread, args, options, true);
    }

    /**
     * {@link #map(SerializableFunction, Iterable, MapOptions)}, waiting for all results.
     *
     * @return the results in input order: a read-only list
     * @throws IllegalStateException if they did not all come within {@link MapOptions#withTimeout the timeout}
     */
    public static <T, R> List<R> mapList(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> inputs,
                                         MapOptions options) {
        Objects.requireNonNull(options, "options");
        return PackedList.concat(Parallel.<T, R>messages(fn, inputs, options, true).collectList()
                .block(options.timeout())); // the messages' lists end to end, not copied
    }

    /** {@link #mapList(SerializableFunction, Iterable, MapOptions)} with {@link MapOptions#defaults()}. */
    public static <T, R> List<R> mapList(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> inputs) {
        return mapList(fn, inputs, MapOptions.defaults());
    }

    @SuppressWarnings("unchecked")
    private static <A, B, R> R spread(SerializableBiFunction<? super A, ? super B, ? extends R> fn, Pair pair) {
        return fn.apply((A) pair.first(), (B) pair.second());
    }

    private static <T, R> Flux<R> run(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> inputs,
                                      MapOptions options, boolean ordered) {
        Objects.requireNonNull(options, "options");
        return Parallel.<T, R>messages(fn, inputs, options, ordered).flatMapIterable(list -> list);
    }

    /**
     * The results of each message to a worker: a chunk, or several chunks in a row where chunks are small (at least
     * {@value #MESSAGE_ITEMS} inputs a message, and at least 4 messages a worker: a message costs tens of
     * microseconds, a chunk of 1 as in Python's {@code chunksize=1} would bound a map at tens of thousands of items a
     * second). With a join, each chunk is a message ({@code extract} after each chunk).
     */
    private static <T, R> Flux<List<R>> messages(SerializableFunction<? super T, ? extends R> fn,
                                                 Iterable<? extends T> inputs, MapOptions options,
                                                 boolean ordered) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(inputs, "inputs");
        Shipping.ship(fn); // refuses it naming the user's lambda, not the wrapper
        WorkerTask chunkTask = input -> apply(fn, (List<?>) input);
        byte[] code = Shipping.ship(chunkTask);
        return Flux.defer(() -> {
            List<T> all = copy(inputs);
            WorkerPool pool = options.pool();
            int chunk = options.chunksize(all.size(), pool);
            int size = options.merge() != null ? chunk : chunk * Math.max(1, Math.min(
                    (MESSAGE_ITEMS + chunk - 1) / chunk, MapOptions.pythonChunksize(all.size(), pool) / chunk));
            int messages = (all.size() + size - 1) / size;
            int concurrency = options.concurrency(pool);
            Flux<Integer> indexes = Flux.range(0, messages);
            return ordered
                    ? indexes.flatMapSequential(i -> chunk(pool, code, all, i, size, options), concurrency, 1)
                    : indexes.flatMap(i -> chunk(pool, code, all, i, size, options), concurrency, 1);
        });
    }

    /** The inputs, read once: a collection's by one bulk copy. */
    private static <T> List<T> copy(Iterable<? extends T> inputs) {
        if (inputs instanceof java.util.Collection<? extends T> collection) {
            return new ArrayList<>(collection);
        }
        List<T> all = new ArrayList<>();
        inputs.forEach(all::add);
        return all;
    }

    private static <T, R> List<Object> apply(SerializableFunction<? super T, ? extends R> fn, List<?> inputs) {
        List<Object> out = new ArrayList<>(inputs.size());
        for (Object input : inputs) {
            @SuppressWarnings("unchecked")
            T value = (T) input;
            out.add(fn.apply(value));
        }
        return out;
    }

    private static <T, R> Mono<List<R>> chunk(WorkerPool pool, byte[] code, List<T> all, int index, int size,
                                              MapOptions options) {
        return Mono.defer(() -> {
            List<T> slice = all.subList(index * size, Math.min(all.size(), (index + 1) * size));
            Job job = pool.chunkJob(code, Payloads.writeList(slice), options.extract(), options.retries());
            return Mono.fromFuture(job.reply.thenApplyAsync(message -> {
                Result result = (Result) message;
                if (result.error() == null && options.merge() != null && result.snapshot() != null) {
                    options.merge().accept(Payloads.read(result.snapshot()));
                }
                return PoolSupport.<List<R>>value(message);
            }, pool.callbacks())).doOnCancel(() -> job.reply.cancel(false));
        });
    }

    /** Two arguments of a {@link #starmap}. */
    private record Pair(Object first, Object second) implements Serializable {
    }
}
