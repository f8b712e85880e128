package io.millrace.state;

import io.millrace.shm.RegionSpec;
import io.millrace.shm.SharedRegion;
import io.millrace.shm.ShmDirectory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * A hash map in shared memory that every process of a base directory opens by name: each operation is atomic per
 * key across processes, and a process killed inside any of them leaves no lock that blocks the others.
 *
 * <pre>{@code
 * MessageCodec codec = new MessageCodec(SharedTypeRegistry.open(directory, Duration.ofSeconds(5)));
 * try (SharedMap<String, Long> balances = SharedMap.create(directory, "balances",
 *         new SharedMap.Capacity(100_000, 16, 8), EntryCodec.of(codec, String.class), EntryCodec.of(codec, Long.class))) {
 *     balances.merge("ann", 10L, Long::sum);
 * }
 * }</pre>
 *
 * Entries live in fixed slots of segments ({@link MapLayout}); each slot holds at least 1.5 times the average key
 * and value size given at creation (rounded up to fill its cache lines), a larger entry is refused ({@code ENTRY_TOO_LARGE}). Reads take no lock; writes lock the
 * key's segment with a lock word naming its owner, and log each word they change so that whoever finds the owner
 * dead undoes its operation and goes on ({@link MapSegments}). Null keys and values are refused.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class SharedMap<K, V> implements AutoCloseable, Iterable<Map.Entry<K, V>> {
    static final String BLOCK = "map";
    private static final long LOCK_TIMEOUT_NANOS = 10_000_000_000L;
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();

    /**
     * How much a map holds.
     *
     * @param entries           how many entries, 1 to 2^31 - 1
     * @param averageKeyBytes   the average encoded key size, at least 1
     * @param averageValueBytes the average encoded value size, at least 0
     */
    public record Capacity(long entries, int averageKeyBytes, int averageValueBytes) {
        public Capacity {
            if (entries < 1 || entries > Integer.MAX_VALUE || averageKeyBytes < 1 || averageValueBytes < 0
                    || averageKeyBytes + (long) averageValueBytes > 1 << 20) {
                throw new IllegalArgumentException("capacity: entries=" + entries + " (1 to 2^31-1), averageKeyBytes="
                        + averageKeyBytes + " (at least 1), averageValueBytes=" + averageValueBytes
                        + " (at least 0; key and value at most 1 MiB)");
            }
        }
    }

    private enum Mode { PUT, PUT_IF_ABSENT, REMOVE, COMPUTE, MERGE }

    private final SharedRegion region;
    private final MapSegments segments;
    private final MapLayout layout;
    private final EntryCodec<K> keyCodec;
    private final EntryCodec<V> valueCodec;
    private final ThreadLocal<Scratch> scratch;
    final MapTransactions transactions;
    final StatsTable stats;

    private SharedMap(SharedRegion region, MapLayout layout, EntryCodec<K> keyCodec, EntryCodec<V> valueCodec) {
        this.region = region;
        this.layout = layout;
        this.segments = new MapSegments(region, region.block(BLOCK), layout, region.name(), LOCK_TIMEOUT_NANOS);
        this.transactions = new MapTransactions(this, segments, region.block(MapTransactions.BLOCK));
        this.segments.onDead = transactions::recoverTransactionOf;
        this.stats = new StatsTable(region.block(StatsTable.BLOCK));
        this.keyCodec = Objects.requireNonNull(keyCodec, "keyCodec");
        this.valueCodec = Objects.requireNonNull(valueCodec, "valueCodec");
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(layout.slotBytes));
    }

    /**
     * Creates the map {@code name} in a region of its own, laid out for {@code capacity}.
     *
     * @param directory  the base directory
     * @param name       the region's name
     * @param capacity   entries and average sizes
     * @param keyCodec   how keys become bytes ({@link EntryCodec#of}, {@link EntryCodec#bytes()})
     * @param valueCodec how values become bytes
     * @param <K>        the key type
     * @param <V>        the value type
     * @return the map, attached
     * @throws IllegalArgumentException when the map would take more than 1 GiB
     * @throws io.millrace.shm.RegionException when the region exists or the file system has no room
     */
    public static <K, V> SharedMap<K, V> create(ShmDirectory directory, String name, Capacity capacity,
                                                EntryCodec<K> keyCodec, EntryCodec<V> valueCodec) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(capacity, "capacity");
        Objects.requireNonNull(keyCodec, "keyCodec");
        Objects.requireNonNull(valueCodec, "valueCodec");
        MapLayout layout = MapLayout.forCapacity(capacity);
        if (layout.blockBytes() > MapLayout.MAX_BLOCK) {
            throw new IllegalArgumentException("map '" + name + "': " + capacity + " takes " + layout.blockBytes()
                    + " bytes, more than 1 GiB");
        }
        SharedRegion region = directory.create(RegionSpec.named(name).block(BLOCK, (int) layout.blockBytes())
                .block(MapTransactions.BLOCK, (int) MapTransactions.tableBytes(layout))
                .block(StatsTable.BLOCK, (int) StatsTable.BYTES).build());
        MemorySegment block = region.block(BLOCK);
        for (int s = 0; s < layout.segments; s++) {
            long seg = layout.segmentOffset(s);
            for (long ref = 1; ref < layout.slots; ref++) {
                LONG.set(block, layout.slotOffset(seg, ref) + MapLayout.SLOT_NEXT, ref + 1);
            }
            LONG.set(block, seg + MapLayout.FREE_HEAD, 1L);
        }
        INT.set(block, MapLayout.VERSION_OFFSET, MapLayout.VERSION);
        INT.set(block, MapLayout.SEGMENTS_OFFSET, layout.segments);
        INT.set(block, MapLayout.SLOTS_OFFSET, layout.slots);
        INT.set(block, MapLayout.BUCKETS_OFFSET, layout.buckets);
        INT.set(block, MapLayout.SLOT_BYTES_OFFSET, layout.slotBytes);
        LONG.set(block, MapLayout.ENTRIES_OFFSET, capacity.entries());
        INT.set(block, MapLayout.AVERAGE_KEY_OFFSET, capacity.averageKeyBytes());
        INT.set(block, MapLayout.AVERAGE_VALUE_OFFSET, capacity.averageValueBytes());
        LONG.setRelease(block, MapLayout.MAGIC_OFFSET, MapLayout.MAGIC);
        return new SharedMap<>(region, layout, keyCodec, valueCodec);
    }

    /**
     * Opens the map {@code name} that some process created, waiting up to {@code timeout} for it. The header and
     * every segment's control words are checked first.
     *
     * @param directory  the base directory
     * @param name       the region's name
     * @param keyCodec   how keys become bytes: as the creator's
     * @param valueCodec how values become bytes: as the creator's
     * @param timeout    how long to wait for the region to appear and be laid out
     * @param <K>        the key type
     * @param <V>        the value type
     * @return the map, attached
     * @throws SharedStateException {@code CORRUPT} naming the field, {@code VERSION_MISMATCH}, {@code NOT_READY}
     * @throws io.millrace.shm.RegionException when the region is missing or holds no map
     */
    public static <K, V> SharedMap<K, V> open(ShmDirectory directory, String name, EntryCodec<K> keyCodec,
                                              EntryCodec<V> valueCodec, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        long deadline = System.nanoTime() + timeout.toNanos();
        SharedRegion region = directory.attach(name, timeout);
        try {
            MapLayout layout = MapValidator.validate(name, region.block(BLOCK), deadline, timeout);
            return new SharedMap<>(region, layout, keyCodec, valueCodec);
        } catch (RuntimeException e) {
            region.close();
            throw e;
        }
    }

    /**
     * @param key a key, not null
     * @return its value, or null when the map has none
     * @throws SharedStateException {@code CORRUPT} when the key's chain is damaged
     */
    public V get(K key) {
        Scratch sc = scratch();
        try {
            int keyLength = encodeKey(key, sc);
            long hash = MapSegments.hash(sc.keySegment, keyLength);
            int length = segments.read((int) hash, hash, sc.keySegment, keyLength, sc.value);
            return length < 0 ? null : valueCodec.read(sc.valueSegment, 0, length);
        } finally {
            sc.inUse = false;
        }
    }

    /**
     * @param key a key, not null
     * @return whether the map has a value for it
     */
    public boolean containsKey(K key) {
        return get(key) != null;
    }

    /**
     * Maps {@code key} to {@code value}.
     *
     * @param key   a key, not null
     * @param value a value, not null
     * @return the previous value, or null
     * @throws SharedStateException {@code MAP_FULL} when the key's segment has no free slot, {@code ENTRY_TOO_LARGE}
     *                              when key and value take more than a slot, {@code LOCK_TIMEOUT}
     */
    public V put(K key, V value) {
        return mutate(key, Mode.PUT, Objects.requireNonNull(value, "value"), null);
    }

    /**
     * Maps {@code key} to {@code value} unless it has a value.
     *
     * @param key   a key, not null
     * @param value a value, not null
     * @return the value it had (unchanged), or null when {@code value} went in
     * @throws SharedStateException as {@link #put}
     */
    public V putIfAbsent(K key, V value) {
        return mutate(key, Mode.PUT_IF_ABSENT, Objects.requireNonNull(value, "value"), null);
    }

    /**
     * @param key a key, not null
     * @return the value it had, or null
     * @throws SharedStateException {@code LOCK_TIMEOUT}, {@code CORRUPT}
     */
    public V remove(K key) {
        return mutate(key, Mode.REMOVE, null, null);
    }

    /**
     * Replaces the key's value by {@code fn(key, current)} (current null when absent; a null result removes it), as
     * one atomic step: {@code fn} runs once, under the segment's lock, and must not use this map, nor write structs
     * or run a transaction (a transaction over this map and those structs locks them in another order: both would
     * wait until {@code LOCK_TIMEOUT}).
     *
     * @param key a key, not null
     * @param fn  computes the new value
     * @return the new value, or null
     * @throws SharedStateException as {@link #put}
     */
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> fn) {
        return mutate(key, Mode.COMPUTE, null, Objects.requireNonNull(fn, "fn"));
    }

    /**
     * Puts {@code value} when the key is absent, else {@code fn(current, value)} (null removes), atomically as
     * {@link #compute}.
     *
     * @param key   a key, not null
     * @param value a value, not null
     * @param fn    merges the current value and {@code value}
     * @return the new value, or null
     * @throws SharedStateException as {@link #put}
     */
    public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> fn) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(fn, "fn");
        return mutate(key, Mode.MERGE, value, (k, old) -> old == null ? value : fn.apply(old, value));
    }

    @SuppressWarnings("unchecked")
    private V mutate(K key, Mode mode, V given, BiFunction<? super K, ? super V, ? extends V> fn) {
        Scratch sc = scratch();
        try {
            int keyLength = encodeKey(key, sc);
            long hash = MapSegments.hash(sc.keySegment, keyLength);
            long seg = segments.segmentOf(hash);
            int bucket = segments.bucketOf(hash);
            MapSegments.Cursor cursor = sc.cursor;
            sc.touched = segments.touch(seg, bucket);
            segments.lock(seg);
            try {
                segments.find(seg, bucket, (int) hash, sc.keySegment, keyLength, cursor);
                V old = null;
                if (cursor.ref != 0) {
                    int length = segments.copyValue(seg, cursor.ref, keyLength, sc.value);
                    if (length < 0) {
                        throw segments.corrupt("slot " + cursor.ref + ": value length out of range");
                    }
                    old = valueCodec.read(sc.valueSegment, 0, length);
                }
                V next = switch (mode) {
                    case PUT -> given;
                    case PUT_IF_ABSENT -> old == null ? given : old;
                    case REMOVE -> null;
                    case COMPUTE, MERGE -> fn.apply(key, old);
                };
                if (next == null) {
                    if (cursor.ref != 0) {
                        segments.remove(seg, cursor);
                    }
                } else if (next != old) {
                    store(seg, (int) hash, keyLength, next, cursor, sc);
                }
                return mode == Mode.COMPUTE || mode == Mode.MERGE ? next : old;
            } finally {
                segments.unlock(seg);
            }
        } finally {
            sc.inUse = false;
        }
    }

    private void store(long seg, int hash, int keyLength, V value, MapSegments.Cursor cursor, Scratch sc) {
        int valueLength = checkedValueLength(keyLength, value);
        valueCodec.write(value, sc.valueSegment, 0, valueLength);
        long count = segments.word(seg + MapLayout.COUNT);
        long free = segments.freeSlot(seg);
        if (free == 0 || (cursor.ref == 0 && count >= layout.slots - 1)) {
            throw full(seg, count);
        }
        segments.writePayload(seg, free, sc.keySegment, keyLength, sc.valueSegment, valueLength);
        if (cursor.ref == 0) {
            segments.insert(seg, cursor, hash, free);
        } else {
            segments.replace(seg, cursor, hash, free);
        }
    }

    MapSegments segments() {
        return segments;
    }

    SharedRegion region() {
        return region;
    }

    void checkOpen() {
        if (region.isClosed()) {
            throw new IllegalStateException("map '" + name() + "' is closed");
        }
    }

    /** The key's bytes, exactly; {@code ENTRY_TOO_LARGE} past a slot. */
    byte[] encodeKeyBytes(K key) {
        Scratch sc = scratch();
        try {
            int length = encodeKey(key, sc);
            return Arrays.copyOf(sc.key, length);
        } finally {
            sc.inUse = false;
        }
    }

    /** The value's bytes, exactly; {@code ENTRY_TOO_LARGE} when key and value exceed a slot. */
    byte[] encodeValueBytes(V value, int keyLength) {
        int valueLength = checkedValueLength(keyLength, value);
        byte[] out = new byte[valueLength];
        valueCodec.write(value, MemorySegment.ofArray(out), 0, valueLength);
        return out;
    }

    V decodeValue(byte[] bytes, int length) {
        return valueCodec.read(MemorySegment.ofArray(bytes), 0, length);
    }

    /**
     * Holding the segment's lock: maps the key's bytes to the value's (null value: removes), as one logged mutation
     * (M2). The caller has checked that the segment has room.
     */
    void applyBytes(long seg, long hash, MemorySegment key, int keyLength, MemorySegment value, int valueLength) {
        MapSegments.Cursor cursor = new MapSegments.Cursor();
        int bucket = segments.bucketOf(hash);
        segments.find(seg, bucket, (int) hash, key, keyLength, cursor);
        if (value == null) {
            if (cursor.ref != 0) {
                segments.remove(seg, cursor);
            }
            return;
        }
        long free = segments.freeSlot(seg);
        if (free == 0) {
            throw full(seg, segments.word(seg + MapLayout.COUNT));
        }
        segments.writePayload(seg, free, key, keyLength, value, valueLength);
        if (cursor.ref == 0) {
            segments.insert(seg, cursor, (int) hash, free);
        } else {
            segments.replace(seg, cursor, (int) hash, free);
        }
    }

    SharedStateException full(long seg, long count) {
        return new SharedStateException(SharedStateException.Reason.MAP_FULL, "map '" + name() + "' is full: segment "
                + (seg - MapLayout.HEADER_BYTES) / layout.segmentBytes + " holds count=" + count + " of slots="
                + layout.slots + " (segments=" + layout.segments + "); create it with a larger capacity");
    }

    private int checkedValueLength(int keyLength, V value) {
        int valueLength = valueCodec.sizeOf(value);
        if (valueLength < 0 || (long) keyLength + valueLength > layout.slotBytes) {
            throw new SharedStateException(SharedStateException.Reason.ENTRY_TOO_LARGE, "map '" + name() + "': key ("
                    + keyLength + " bytes) and value (" + valueLength + " bytes) exceed slotBytes=" + layout.slotBytes
                    + " (1.5 times the average key and value sizes of its capacity, to the end of a cache line)");
        }
        return valueLength;
    }

    private int encodeKey(K key, Scratch sc) {
        Objects.requireNonNull(key, "key");
        int length = keyCodec.sizeOf(key);
        if (length < 0 || length > layout.slotBytes) {
            throw new SharedStateException(SharedStateException.Reason.ENTRY_TOO_LARGE, "map '" + name() + "': key of "
                    + length + " bytes exceeds slotBytes=" + layout.slotBytes);
        }
        keyCodec.write(key, sc.keySegment, 0, length);
        return length;
    }

    private Scratch scratch() {
        Scratch sc = scratch.get();
        if (sc.inUse) {
            sc = new Scratch(layout.slotBytes); // a codec or compute function using the map on this thread
        }
        sc.inUse = true;
        return sc;
    }

    /** {@return how many entries the map holds: the sum of the segments' counts, each read at its own moment} */
    public long size() {
        long size = 0;
        for (int s = 0; s < layout.segments; s++) {
            size += segments.word(layout.segmentOffset(s) + MapLayout.COUNT);
        }
        return size;
    }

    /**
     * The entries, segment by segment: each segment's entries are read at one instant (a consistent view of that
     * segment), segments one after another, so a concurrent change shows or not. Entries are copies.
     *
     * @return a weakly consistent iterator; {@code remove} is not supported
     */
    @Override
    public Iterator<Map.Entry<K, V>> iterator() {
        return new Iterator<>() {
            private int next;
            private Iterator<Map.Entry<K, V>> current = List.<Map.Entry<K, V>>of().iterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && next < layout.segments) {
                    current = segmentEntries(next++).iterator();
                }
                return current.hasNext();
            }

            @Override
            public Map.Entry<K, V> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
    }

    /**
     * Gives each entry to {@code action}, as {@link #iterator()} sees them.
     *
     * @param action takes key and value
     */
    public void forEach(BiConsumer<? super K, ? super V> action) {
        Objects.requireNonNull(action, "action");
        for (Map.Entry<K, V> e : this) {
            action.accept(e.getKey(), e.getValue());
        }
    }

    private List<Map.Entry<K, V>> segmentEntries(int s) {
        List<byte[]> raw = segments.snapshotSegment(layout.segmentOffset(s));
        List<Map.Entry<K, V>> entries = new ArrayList<>(raw.size() / 2);
        for (int i = 0; i < raw.size(); i += 2) {
            byte[] k = raw.get(i);
            byte[] v = raw.get(i + 1);
            entries.add(new AbstractMap.SimpleImmutableEntry<>(keyCodec.read(MemorySegment.ofArray(k), 0, k.length),
                    valueCodec.read(MemorySegment.ofArray(v), 0, v.length)));
        }
        return entries;
    }

    /** {@return the region's name} */
    public String name() {
        return region.name();
    }

    /** {@return the conflict statistics of the transactions on this map, per site, summed over every process} */
    public List<TransactionStats> transactionStats() {
        return StatsTable.read(region.block(StatsTable.BLOCK));
    }

    /** {@return how many operations of processes that died inside them this process undid} */
    public long recoveries() {
        return segments.recoveries;
    }

    /** Problems of the chains and free lists, for tests: empty when every segment is well formed. */
    List<String> check() {
        return MapValidator.checkChains(segments);
    }

    /** Detaches this process; the map stays. */
    @Override
    public void close() {
        region.close();
    }

    /** Removes the region's file; processes that have it open keep using it. */
    public void unlink() {
        region.unlink();
    }

    @Override
    public String toString() {
        return "SharedMap[" + name() + ", size=" + size() + ", segments=" + layout.segments + "]";
    }

    /** A thread's buffers for one operation's key and value. */
    private static final class Scratch {
        final byte[] key;
        final MemorySegment keySegment;
        final byte[] value;
        final MemorySegment valueSegment;
        final MapSegments.Cursor cursor = new MapSegments.Cursor();
        /** What {@link MapSegments#touch} read: kept so that its loads are not dropped. */
        long touched;
        boolean inUse;

        Scratch(int slotBytes) {
            key = new byte[slotBytes];
            keySegment = MemorySegment.ofArray(key);
            value = new byte[slotBytes];
            valueSegment = MemorySegment.ofArray(value);
        }
    }
}
