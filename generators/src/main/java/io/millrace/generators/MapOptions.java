package io.millrace.generators;

import io.millrace.actors.remote.Shipping;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How {@link Parallel} maps: on which pool, how many chunks in flight, how large a chunk, how often a chunk whose
 * worker died is run again, what state each chunk's worker hands back, and how long the blocking forms wait.
 * Immutable; start from {@link #defaults()}.
 */
public final class MapOptions {
    private final WorkerPool pool;
    private final int concurrency;
    private final int chunksize;
    private final int retries;
    private final byte[] extract;
    private final Consumer<Object> merge;
    private final Duration timeout;

    private MapOptions(WorkerPool pool, int concurrency, int chunksize, int retries, byte[] extract,
                       Consumer<Object> merge, Duration timeout) {
        this.pool = pool;
        this.concurrency = concurrency;
        this.chunksize = chunksize;
        this.retries = retries;
        this.extract = extract;
        this.merge = merge;
        this.timeout = timeout;
    }

    /** @return the shared pool, concurrency = 2 x the pool's size, Python's default chunksize, no retries, no state, 1 h */
    public static MapOptions defaults() {
        return new MapOptions(null, 0, 0, 0, null, null, Duration.ofHours(1));
    }

    /** @param value the pool to run on (default: {@link WorkerPool#shared()}) */
    public MapOptions withPool(WorkerPool value) {
        return new MapOptions(Objects.requireNonNull(value, "pool"), concurrency, chunksize, retries, extract, merge,
                timeout);
    }

    /**
     * @param value messages (chunks, or runs of small chunks: {@link Parallel}) in flight at once, 1 to 4096
     *              (default: 2 x the pool's size, so that each worker has the next one queued while it runs one; at
     *              most two are queued in a worker, the rest in the pool)
     */
    public MapOptions withConcurrency(int value) {
        if (value < 1 || value > 4096) {
            throw new IllegalArgumentException("concurrency=" + value + " must be from 1 to 4096");
        }
        return new MapOptions(pool, value, chunksize, retries, extract, merge, timeout);
    }

    /**
     * @param value inputs a chunk holds, at least 1 (default: ceil(inputs / (4 x the pool's size)), as Python's);
     *              chunks smaller than {@value Parallel#MESSAGE_ITEMS} go several to a message ({@link Parallel})
     */
    public MapOptions withChunksize(int value) {
        if (value < 1) {
            throw new IllegalArgumentException("chunksize=" + value + " must be at least 1");
        }
        return new MapOptions(pool, concurrency, value, retries, extract, merge, timeout);
    }

    /** @param value how often a chunk is run again when its worker dies, 0 to 100 (default 0: the map fails) */
    public MapOptions withRetries(int value) {
        if (value < 0 || value > 100) {
            throw new IllegalArgumentException("retries=" + value + " must be from 0 to 100");
        }
        return new MapOptions(pool, concurrency, chunksize, value, extract, merge, timeout);
    }

    /**
     * State handed back per chunk, as snakefish's {@code map}: after each chunk {@code extract} runs in its worker
     * and must return what that chunk added and reset it (a warm worker runs many chunks); {@code merge} runs in
     * this JVM once per chunk, one at a time, on the pool's callback thread, before the chunk's results are emitted.
     *
     * @throws IllegalArgumentException if {@code extract} cannot be shipped, naming what it captured
     */
    @SuppressWarnings("unchecked")
    public <S> MapOptions withJoin(SerializableSupplier<S> extract, Consumer<? super S> merge) {
        byte[] shipped = Shipping.ship(Objects.requireNonNull(extract, "extract"));
        Objects.requireNonNull(merge, "merge");
        return new MapOptions(pool, concurrency, chunksize, retries, shipped, s -> merge.accept((S) s), timeout);
    }

    /** @param value how long {@link Parallel#mapList} and the other blocking forms wait, positive (default 1 h) */
    public MapOptions withTimeout(Duration value) {
        PoolSupport.requirePositive(value, "timeout");
        return new MapOptions(pool, concurrency, chunksize, retries, extract, merge, value);
    }

    WorkerPool pool() {
        return pool != null ? pool : WorkerPool.shared();
    }

    int concurrency(WorkerPool on) {
        return concurrency > 0 ? concurrency : 2 * on.size();
    }

    /** Python's {@code Pool.map}: {@code ceil(n / (4 x workers))}, at least 1. */
    int chunksize(int inputs, WorkerPool on) {
        return chunksize > 0 ? chunksize : pythonChunksize(inputs, on);
    }

    static int pythonChunksize(int inputs, WorkerPool on) {
        int quarters = 4 * on.size();
        return Math.max(1, Math.ceilDiv(inputs, quarters));
    }

    int retries() {
        return retries;
    }

    byte[] extract() {
        return extract;
    }

    Consumer<Object> merge() {
        return merge;
    }

    Duration timeout() {
        return timeout;
    }
}
