package io.millrace.generators;

import io.millrace.actors.remote.Shipping;
import io.millrace.generators.WorkerProtocol.Generate;
import io.millrace.generators.WorkerProtocol.GeneratorStarted;
import io.millrace.reactive.StreamOptions;
import io.millrace.reactive.Streams;
import io.millrace.shm.ShmDirectory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Generators that run in a worker JVM and stream back as a {@link Flux}, as snakefish's {@code Generator}:
 *
 * <pre>{@code
 * Flux<Long> squares = Generators.flux(Long.class, () -> LongStream.iterate(0, i -> i + 1).map(i -> i * i).iterator());
 * squares.take(10).collectList().block();   // the child computed about 10 squares, not more
 * }</pre>
 *
 * <ul>
 *   <li>Each subscription takes a worker of the pool for itself, and gives it back when the stream ends, fails or
 *   is cancelled; a generator waits for a free worker like a task.</li>
 *   <li>The generator advances only as far as demand allows: the worker publishes it through the reactive bridge
 *   ({@code Streams.publish}), which asks the source for exactly what the subscriber requested; an iterator is
 *   read as {@code Flux.fromIterable} reads it in one JVM (at most one element ahead of the demand).</li>
 *   <li>Its exceptions arrive as {@code onError} with a {@link io.millrace.reactive.RemoteException}; the worker's
 *   death as a {@code StreamException} ({@code PUBLISHER_DIED}, naming the pid); the worker is replaced.</li>
 *   <li>Elements: with an element type, the bridge's codec for it ({@code String}, {@code byte[]}, records, enums,
 *   boxes); without one, Java serialization of each element (any {@code Serializable}, slower).</li>
 * </ul>
 */
public final class Generators {
    private static final Duration PUBLISH_WAIT = Duration.ofSeconds(30);

    private Generators() {
    }

    /**
     * A generator of serializable elements on the shared pool.
     *
     * @param generator makes the iterator, in the worker, once per subscription
     * @param <T>       its elements
     * @return the elements, lazily
     * @throws IllegalArgumentException if the generator cannot be shipped, naming what it captured
     */
    public static <T> Flux<T> flux(SerializableSupplier<? extends Iterator<T>> generator) {
        return start(WorkerPool.shared(), generator, WorkerProtocol.ITERATOR, null);
    }

    /**
     * A generator of elements of {@code elementType}, carried by the bridge's codec for that type.
     *
     * @param elementType the elements' class (String, byte[], a record, an enum, a box)
     * @throws io.millrace.reactive.StreamException {@code NO_CODEC} at subscription if the type has no codec
     */
    public static <T> Flux<T> flux(Class<T> elementType, SerializableSupplier<? extends Iterator<T>> generator) {
        return flux(WorkerPool.shared(), elementType, generator);
    }

    /** As {@link #flux(Class, SerializableSupplier)}, on {@code pool}; {@code elementType} null: serialized. */
    public static <T> Flux<T> flux(WorkerPool pool, Class<T> elementType,
                                   SerializableSupplier<? extends Iterator<T>> generator) {
        return start(pool, generator, WorkerProtocol.ITERATOR, elementType);
    }

    /** The elements of a {@link Stream} made in the worker, as {@link #flux(WorkerPool, Class, SerializableSupplier)}. */
    public static <T> Flux<T> fromStream(WorkerPool pool, Class<T> elementType,
                                         SerializableSupplier<? extends Stream<T>> generator) {
        return start(pool, generator, WorkerProtocol.STREAM, elementType);
    }

    /** The elements of a {@link Stream} made in the worker, serialized, on the shared pool. */
    public static <T> Flux<T> fromStream(SerializableSupplier<? extends Stream<T>> generator) {
        return fromStream(WorkerPool.shared(), null, generator);
    }

    /** {@link #fromStream(WorkerPool, Class, SerializableSupplier)} on the shared pool. */
    public static <T> Flux<T> fromStream(Class<T> elementType, SerializableSupplier<? extends Stream<T>> generator) {
        return fromStream(WorkerPool.shared(), elementType, generator);
    }

    /**
     * A generator that pushes into a {@link FluxSink} in the worker ({@code Flux.create} there): it should look at
     * {@code sink.requestedFromDownstream()} or use {@code onRequest} to stay within demand, as with
     * {@code Flux.create}; what it pushes beyond is buffered in the worker.
     *
     * @param generator called once per subscription with the sink, in the worker
     */
    public static <T> Flux<T> create(WorkerPool pool, Class<T> elementType,
                                     SerializableConsumer<FluxSink<T>> generator) {
        return start(pool, generator, WorkerProtocol.SINK, elementType);
    }

    /** {@link #create(WorkerPool, Class, SerializableConsumer)} on the shared pool. */
    public static <T> Flux<T> create(Class<T> elementType, SerializableConsumer<FluxSink<T>> generator) {
        return create(WorkerPool.shared(), elementType, generator);
    }

    @SuppressWarnings("unchecked")
    private static <T> Flux<T> start(WorkerPool pool, Object generator, int kind, Class<T> elementType) {
        Objects.requireNonNull(pool, "pool");
        byte[] code = Shipping.ship(Objects.requireNonNull(generator, "generator"));
        StreamOptions options = StreamOptions.of(ShmDirectory.at(pool.baseDirectory())).withTimeout(PUBLISH_WAIT);
        return Flux.defer(() -> {
            Job job = pool.generateJob(code, kind, elementType == null ? null : elementType.getName());
            AtomicBoolean imported = new AtomicBoolean();
            Flux<T> elements = Mono.fromFuture(job.reply, true).flatMapMany(message -> {
                GeneratorStarted started = (GeneratorStarted) message;
                if (started.error() != null) {
                    return Flux.error(Payloads.readError(started.error()));
                }
                imported.set(true);
                String stream = ((Generate) job.message).stream();
                return elementType == null
                        ? Streams.flux(stream, byte[].class, options).map(bytes -> (T) Payloads.read(bytes))
                        : Streams.flux(stream, elementType, options);
            });
            return elements.doOnCancel(() -> job.reply.thenRun(() -> {
                if (!imported.get()) {
                    pool.stopGenerator(job.id);
                }
            }));
        });
    }
}
