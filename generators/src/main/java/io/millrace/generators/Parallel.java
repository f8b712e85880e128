package io.millrace.generators;

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
 * int[] cubes = Parallel.mapInts(x -> x * x * x, new int[] {1, 2, 3}, MapOptions.defaults());
 * Flux<Integer> any = Parallel.mapUnordered(x -> x * x, inputs, MapOptions.defaults().withChunksize(100));
 * }</pre>
 *
 * The inputs are cut into chunks of {@code chunksize}; a chunk is a message to a worker, and so are several chunks
 * in a row where chunks are small (at least {@value #MESSAGE_ITEMS} inputs a message while that leaves 4 messages a
 * worker; a chunk a message with {@link MapOptions#withJoin a join}). Ints, longs and doubles travel as arrays, their
 * results are read in place (boxed as they are read); other values as Java serialization. {@link #mapInts} maps an
 * {@code int[]} to an {@code int[]}, boxing nothing: the form for ints. At most {@code concurrency} messages are in
 * flight (by default two per worker: a worker finishing one finds the next waiting in its mailbox).
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
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(pairs, "pairs");
        Objects.requireNonNull(options, "options");
        List<Pair> args = new ArrayList<>();
        for (Map.Entry<? extends A, ? extends B> pair : pairs) {
            args.add(new Pair(pair.getKey(), pair.getValue()));
        }
        SerializableFunction<Pair, R> spread = pair -> spread(fn, pair);
        return Parallel.<Pair, R>messages(spread, fn, args, options, true).flatMapIterable(list -> list);
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

    /**
     * {@code fn} over {@code inputs} on workers, waiting for all results: the form for ints, none of them boxed on
     * either side (chunks travel as arrays of ints; see {@link #mapList(SerializableFunction, Iterable, MapOptions)}
     * for chunks, messages, retries, joins and failures).
     *
     * <pre>{@code
     * int[] squares = Parallel.mapInts(x -> x * x, IntStream.range(0, 1_000_000).toArray(), MapOptions.defaults());
     * }</pre>
     *
     * @param fn      a serializable lambda or method reference
     * @param inputs  read while the call runs, not changed
     * @param options pool, concurrency, chunksize, retries, join, timeout
     * @return {@code fn} of each input, in input order: a new array of {@code inputs.length}
     * @throws IllegalArgumentException if {@code fn} cannot be shipped, naming what it captured
     * @throws IllegalStateException    if the results did not all come within {@link MapOptions#withTimeout the
     *                                  timeout}
     * @throws io.millrace.reactive.RemoteException if {@code fn} threw in a worker
     * @throws WorkerDiedException      if a chunk's worker died (after {@code retries} runs on other workers)
     */
    public static int[] mapInts(SerializableIntUnaryOperator fn, int[] inputs, MapOptions options) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(options, "options");
        byte[] code = PoolSupport.shipWrapped(fn, input -> IntChunks.apply(fn, (PackedList) input));
        if (inputs.length == 0) {
            return new int[0];
        }
        return IntChunks.concat(Parallel.<List<?>>messages(code, inputs.length,
                (from, to) -> IntChunks.pack(inputs, from, to), options, true).collectList()
                .block(options.timeout()), inputs.length);
    }

    /** {@link #mapInts(SerializableIntUnaryOperator, int[], MapOptions)} with {@link MapOptions#defaults()}. */
    public static int[] mapInts(SerializableIntUnaryOperator fn, int[] inputs) {
        return mapInts(fn, inputs, MapOptions.defaults());
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

    private static <T, R> Flux<List<R>> messages(SerializableFunction<? super T, ? extends R> fn,
                                                 Iterable<? extends T> inputs, MapOptions options,
                                                 boolean ordered) {
        return messages(fn, fn, inputs, options, ordered);
    }

    /** A map of {@code fn} ({@code user}: the code a refusal to ship it names) over inputs read at subscription. */
    private static <T, R> Flux<List<R>> messages(SerializableFunction<? super T, ? extends R> fn, Object user,
                                                 Iterable<? extends T> inputs, MapOptions options,
                                                 boolean ordered) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(inputs, "inputs");
        byte[] code = PoolSupport.shipWrapped(user, input -> apply(fn, (List<?>) input));
        return Flux.defer(() -> {
            List<T> all = copy(inputs);
            return messages(code, all.size(), (from, to) -> Payloads.writeList(all.subList(from, to)), options,
                    ordered);
        });
    }

    /**
     * The results of each message to a worker: a chunk, or several chunks in a row where chunks are small (at least
     * {@value #MESSAGE_ITEMS} inputs a message, and at least 4 messages a worker: a message costs tens of
     * microseconds, a chunk of 1 as in Python's {@code chunksize=1} would bound a map at tens of thousands of items a
     * second). With a join, each chunk is a message ({@code extract} after each chunk). A message's input is packed
     * when it is sent, not before.
     */
    private static <M> Flux<M> messages(byte[] code, int items, Slices slices, MapOptions options, boolean ordered) {
        WorkerPool pool = options.pool();
        int chunk = options.chunksize(items, pool);
        int size = options.merge() != null ? chunk : chunk * Math.max(1, Math.min(
                Math.ceilDiv(MESSAGE_ITEMS, chunk), MapOptions.pythonChunksize(items, pool) / chunk));
        int messages = Math.ceilDiv(items, size); // not items + size - 1: a chunksize near Integer.MAX_VALUE
        int concurrency = options.concurrency(pool);
        Flux<Integer> indexes = Flux.range(0, messages);
        java.util.function.Function<Integer, Mono<M>> send = i -> Mono.defer(() -> chunk(pool, code,
                slices.pack(i * size, (int) Math.min(items, (i + 1L) * size)), options));
        return ordered ? indexes.flatMapSequential(send, concurrency, 1) : indexes.flatMap(send, concurrency, 1);
    }

    /** Packs the inputs {@code from..to} of a map into a message's bytes. */
    @FunctionalInterface
    private interface Slices {
        byte[] pack(int from, int to);
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

    private static <M> Mono<M> chunk(WorkerPool pool, byte[] code, byte[] input, MapOptions options) {
        Job job = pool.runJob(code, input, options.extract(), options.retries(), true);
        return Mono.fromFuture(job.reply.thenApplyAsync(message -> {
            Result result = (Result) message;
            if (result.error() == null && options.merge() != null && result.snapshot() != null) {
                options.merge().accept(Payloads.read(result.snapshot()));
            }
            return PoolSupport.<M>value(message);
        }, pool.callbacks())).doOnCancel(() -> job.reply.cancel(false));
    }

    /** Two arguments of a {@link #starmap}. */
    private record Pair(Object first, Object second) implements Serializable {
    }
}
