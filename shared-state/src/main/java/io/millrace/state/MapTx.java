package io.millrace.state;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One attempt of a transaction over the entries of one {@link SharedMap} ({@link Transactions#atomic(SharedMap,
 * Transactions.MapBlock)}): reads see the map as it was at one instant, writes are buffered and committed together
 * or not at all. Valid only inside its block. A read that finds the map changed since an earlier read aborts the
 * attempt (the block runs again); do not catch the exception it throws.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class MapTx<K, V> extends Attempt {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();

    final SharedMap<K, V> map;
    private final MapSegments segments;
    private final byte[] scratch;
    /** Buffered writes, in order: key bytes, value bytes (null: removal), and the key's hash. */
    final List<byte[]> writeKeys = new ArrayList<>();
    final List<byte[]> writeValues = new ArrayList<>();
    final List<Long> writeHashes = new ArrayList<>();

    MapTx(SharedMap<K, V> map) {
        this.map = map;
        this.segments = map.segments();
        this.scratch = new byte[segments.layout.slotBytes];
    }

    /**
     * @param key a key, not null
     * @return its value as this transaction sees it, or null
     * @throws SharedStateException {@code ENTRY_TOO_LARGE} for a key larger than a slot, {@code CORRUPT}
     */
    public V get(K key) {
        byte[] k = map.encodeKeyBytes(key);
        int w = indexOfWrite(k);
        if (w >= 0) {
            byte[] v = writeValues.get(w);
            return v == null ? null : map.decodeValue(v, v.length);
        }
        long hash = MapSegments.hash(MemorySegment.ofArray(k), k.length);
        long seg = segments.segmentOf(hash);
        long bucket = segments.layout.bucketOffset(seg, segments.bucketOf(hash));
        MemorySegment keySegment = MemorySegment.ofArray(k);
        Stall stall = null;
        while (true) {
            long v = (long) LONG.getAcquire(segments.block, seg + MapLayout.SEQ);
            // locked: a commit may be applying its segments one by one; read what it leaves, for opacity
            if ((v & 1) != 0 || OwnerLock.owner(segments.block, seg + MapLayout.LOCK) != 0) {
                stall = segments.stall(seg, stall);
                continue;
            }
            int length = segments.lookup(seg, bucket, (int) hash, keySegment, k.length, scratch);
            VarHandle.loadLoadFence();
            if ((long) LONG.getVolatile(segments.block, seg + MapLayout.SEQ) != v) {
                continue;
            }
            if (length == -2) {
                throw segments.corrupt("segment at " + seg + ": a chain with a bad reference or length under a"
                        + " stable version=" + v);
            }
            record(seg, v);
            return length < 0 ? null : map.decodeValue(scratch, length);
        }
    }

    /**
     * @param key a key, not null
     * @return whether the key has a value, as this transaction sees it
     */
    public boolean containsKey(K key) {
        return get(key) != null;
    }

    /**
     * Maps {@code key} to {@code value} at commit; later reads of this transaction see it.
     *
     * @param key   a key, not null
     * @param value a value, not null
     * @throws SharedStateException {@code ENTRY_TOO_LARGE} when key and value take more than a slot
     */
    public void put(K key, V value) {
        Objects.requireNonNull(value, "value");
        byte[] k = map.encodeKeyBytes(key);
        buffer(k, map.encodeValueBytes(value, k.length));
    }

    /**
     * Removes {@code key} at commit; later reads of this transaction see it absent.
     *
     * @param key a key, not null
     */
    public void remove(K key) {
        buffer(map.encodeKeyBytes(key), null);
    }

    private void buffer(byte[] key, byte[] value) {
        int w = indexOfWrite(key);
        if (w >= 0) {
            writeValues.set(w, value);
            return;
        }
        writeKeys.add(key);
        writeValues.add(value);
        writeHashes.add(MapSegments.hash(MemorySegment.ofArray(key), key.length));
    }

    private int indexOfWrite(byte[] key) {
        for (int i = 0; i < writeKeys.size(); i++) {
            if (Arrays.equals(writeKeys.get(i), key)) {
                return i;
            }
        }
        return -1;
    }

    int writeCount() {
        return writeKeys.size();
    }

    /** The segments written, ascending, each once; checked against the descriptor's limits. */
    @Override
    void prepareItems() {
        long[] out = new long[writeKeys.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = segments.segmentOf(writeHashes.get(i));
        }
        long[] segs = Attempt.distinctSorted(out);
        map.transactions.checkLimits(this, segs);
        items = segs;
    }

    @Override
    boolean writes() {
        return !writeKeys.isEmpty();
    }

    @Override
    Descriptors engine() {
        return map.transactions;
    }

    @Override
    StatsTable stats() {
        return map.stats;
    }

    @Override
    void clearRedo(MemorySegment table, long desc) {
        LONG.set(table, desc + MapTransactions.WRITE_COUNT, 0L);
    }

    @Override
    void writeRedo(MemorySegment table, long desc) {
        map.transactions.writeRedo(this, desc);
    }

    @Override
    boolean commit() {
        return writeKeys.isEmpty() ? validate(Attempt.NONE) : map.transactions.commit(this);
    }

    @Override
    long versionOf(long seg) {
        return (long) LONG.getVolatile(segments.block, seg + MapLayout.SEQ);
    }

    @Override
    long holderOf(long seg) {
        return OwnerLock.owner(segments.block, seg + MapLayout.LOCK);
    }

    @Override
    boolean isAlive(long holder) {
        return segments.region.isParticipantAlive(holder);
    }

    @Override
    void await(long seg) {
        segments.lock(seg);
        segments.unlock(seg);
    }

}
