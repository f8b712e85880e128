package io.millrace.state;

import io.millrace.shm.SharedRegion;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * The segments of a {@link SharedMap} ({@link MapLayout}): their locks, seqlock versions, undo logs and buckets.
 *
 * <h2>Writers: owner-named lock, seqlock version, undo log</h2>
 * <ol>
 *   <li>M1. A mutation takes the segment's {@code lock} ({@link OwnerLock}); taken over from a dead holder, the
 *       segment is recovered first (M4).</li>
 *   <li>M2. It writes the new entry's payload into the head of the free list, a slot no reader reaches; then
 *       {@code version} becomes odd, and each word it changes (bucket words, a slot's {@code next},
 *       {@code freeHead}, {@code count}; at most {@link MapLayout#LOG_CAPACITY}) is logged first: entry
 *       {@code (offset, old value)}, then {@code logLength + 1} with release, then the word. An insert takes the
 *       first empty or removed bucket word of the key's probe; an update is copy-on-write: the key's bucket word
 *       names the new slot and the old one goes to the free list, so no reachable payload is ever written. A
 *       removal leaves {@link MapLayout#TOMBSTONE} in the word, or empties it when the next word is empty (no probe
 *       goes past it), and then up to 4 tombstones before it.</li>
 *   <li>M3. Commit: {@code logLength = 0} (release: the decision), {@code version} even (release), unlock.</li>
 *   <li>M4. Recovery, holding a lock taken over from a dead holder: restore the logged words newest first (a word
 *       logged but not yet written gets back the value it has), {@code logLength = 0}, {@code version} even. The
 *       dead mutation is undone: the segment is as before it; committed, there is nothing to undo.</li>
 * </ol>
 * <h2>Readers: no lock</h2>
 * A reader reads {@code version} (acquire; odd: spin, and after a millisecond take and drop the lock, which waits
 * for the writer or recovers a dead one), probes the bucket words from the key's home to the first empty one,
 * visiting only the slots whose tag is the key's hash, copies the value out, load fence, and keeps the copy only
 * when {@code version} is unchanged. Every reference, length and step count read is bounds-checked: a torn read
 * retries, the same bad value under a stable version is {@code CORRUPT}.
 */
final class MapSegments {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();

    final SharedRegion region;
    final MemorySegment block;
    final MapLayout layout;
    final String name;
    final long lockTimeoutNanos;
    /** Dead holders' mutations this process undid. */
    volatile long recoveries;
    /** Finishes a dead holder's map transaction before its segment is taken over ({@link MapTransactions}). */
    OwnerLock.DeadHolder onDead;

    MapSegments(SharedRegion region, MemorySegment block, MapLayout layout, String name, long lockTimeoutNanos) {
        this.region = region;
        this.block = block;
        this.layout = layout;
        this.name = name;
        this.lockTimeoutNanos = lockTimeoutNanos;
    }

    /** A 64-bit hash of the key bytes (a multiply-xorshift over 8-byte words). */
    static long hash(MemorySegment key, int length) {
        long h = 0x9E3779B97F4A7C15L ^ length;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            h = (h ^ key.get(ValueLayout.JAVA_LONG_UNALIGNED, i)) * 0xff51afd7ed558ccdL;
            h ^= h >>> 32;
        }
        for (; i < length; i++) {
            h = (h ^ key.get(ValueLayout.JAVA_BYTE, i)) * 0xc4ceb9fe1a85ec53L;
        }
        h ^= h >>> 29;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 32);
    }

    long segmentOf(long hash) {
        return layout.segmentOffset((int) ((hash >>> 40) & (layout.segments - 1)));
    }

    int bucketOf(long hash) {
        return (int) hash & (layout.buckets - 1);
    }

    // ------------------------------------------------------------------------------------------- writers

    void lock(long seg) {
        if (OwnerLock.tryAcquire(region, block, seg + MapLayout.LOCK)) {
            return; // no message built on the fast path
        }
        long dead = OwnerLock.acquire(region, block, seg + MapLayout.LOCK, lockTimeoutNanos, "segment "
                + (seg - MapLayout.HEADER_BYTES) / layout.segmentBytes + " of map '" + name + "'", onDead);
        if (dead != OwnerLock.CLEAN) {
            recover(seg);
            recoveries++;
        }
    }

    /**
     * Before a mutation takes the lock: reads, without it, what the mutation reads or writes first (the key's bucket
     * word, the slot it names, the free list's head slot), so that their cache misses overlap the lock word's
     * instead of following it (a locked CAS waits for the loads before it; the loads after it wait for it). Racy,
     * only a prefetch: each reference is bounds-checked, and the sum returned only keeps the loads.
     */
    long touch(long seg, int bucket) {
        long w = (long) LONG.getOpaque(block, layout.bucketOffset(seg, bucket));
        long free = (long) LONG.getOpaque(block, seg + MapLayout.FREE_HEAD);
        long ref = w & 0xFFFF_FFFFL;
        long sum = w + free;
        if (ref > 0 && ref <= layout.slots) {
            sum += (int) INT.get(block, layout.slotOffset(seg, ref) + MapLayout.SLOT_KEY_LENGTH);
        }
        if (free > 0 && free <= layout.slots) {
            sum += (long) LONG.get(block, layout.slotOffset(seg, free) + MapLayout.SLOT_NEXT);
        }
        return sum;
    }

    /** M3, or the end of a mutation that changed nothing; undoes what a failed mutation logged. */
    void unlock(long seg) {
        if ((long) LONG.getVolatile(block, seg + MapLayout.LOG_LENGTH) != 0) {
            recover(seg);
        }
        long v = (long) LONG.getVolatile(block, seg + MapLayout.SEQ);
        if ((v & 1) != 0) {
            LONG.setRelease(block, seg + MapLayout.SEQ, v + 1);
        }
        OwnerLock.release(block, seg + MapLayout.LOCK);
    }

    void beginMutation(long seg) {
        long v = (long) LONG.getVolatile(block, seg + MapLayout.SEQ);
        LONG.setOpaque(block, seg + MapLayout.SEQ, v | 1);
        VarHandle.storeStoreFence();
    }

    void commit(long seg) {
        LONG.setRelease(block, seg + MapLayout.LOG_LENGTH, 0L);
        CrashPoints.reach("map.committed");
    }

    /** M2: logs the word at {@code offset}, then writes it. */
    void logged(long seg, long offset, long value) {
        long n = (long) LONG.getVolatile(block, seg + MapLayout.LOG_LENGTH);
        long entry = seg + MapLayout.LOG + 16 * n;
        LONG.set(block, entry, offset);
        LONG.set(block, entry + 8, (long) LONG.get(block, offset));
        LONG.setRelease(block, seg + MapLayout.LOG_LENGTH, n + 1);
        if (CrashPoints.ENABLED) {
            CrashPoints.reach("map.logged" + (n + 1));
        }
        LONG.setRelease(block, offset, value);
        if (CrashPoints.ENABLED) {
            CrashPoints.reach("map.write" + (n + 1));
        }
    }

    /** M4. */
    void recover(long seg) {
        long n = (long) LONG.getVolatile(block, seg + MapLayout.LOG_LENGTH);
        if (n < 0 || n > MapLayout.LOG_CAPACITY) {
            throw corrupt("segment at " + seg + ": logLength=" + n);
        }
        for (long i = n - 1; i >= 0; i--) {
            long entry = seg + MapLayout.LOG + 16 * i;
            long offset = (long) LONG.get(block, entry);
            if (offset < seg || offset >= seg + layout.segmentBytes || (offset & 7) != 0) {
                throw corrupt("segment at " + seg + ": undo entry " + i + " offset=" + offset);
            }
            LONG.setRelease(block, offset, (long) LONG.get(block, entry + 8));
        }
        LONG.setRelease(block, seg + MapLayout.LOG_LENGTH, 0L);
        long v = (long) LONG.getVolatile(block, seg + MapLayout.SEQ);
        if ((v & 1) != 0) {
            LONG.setRelease(block, seg + MapLayout.SEQ, v + 1);
        }
    }

    long word(long offset) {
        return (long) LONG.getAcquire(block, offset);
    }

    /**
     * Under the lock: finds the key by probing from its home {@code bucket}. Sets {@code cursor.link} (the bucket word
     * naming the slot; when absent, the word an insert takes: the first removed or empty one) and {@code cursor.ref}
     * (the slot, 0 when absent).
     */
    void find(long seg, int bucket, int hash, MemorySegment key, int keyLength, Cursor cursor) {
        long at = layout.bucketOffset(seg, bucket);
        long free = 0;
        for (int steps = 0; steps < layout.buckets; steps++) {
            long w = word(at);
            long ref = w & 0xFFFF_FFFFL;
            if (w == 0 || w == MapLayout.TOMBSTONE) {
                free = free == 0 ? at : free;
                if (w == 0) {
                    break;
                }
            } else {
                checkRef(seg, ref, steps);
                if ((int) (w >>> 32) == hash && matches(layout.slotOffset(seg, ref), key, keyLength)) {
                    cursor.link = at;
                    cursor.ref = ref;
                    return;
                }
            }
            at = layout.nextBucket(seg, at);
        }
        if (free == 0) {
            throw corrupt("segment at " + seg + ": no empty bucket among buckets=" + layout.buckets);
        }
        cursor.link = free;
        cursor.ref = 0;
    }

    private void checkRef(long seg, long ref, int steps) {
        if (ref <= 0 || ref > layout.slots) {
            throw corrupt("segment at " + seg + ": slot reference=" + ref + " after " + steps + " steps");
        }
    }

    private boolean matches(long slot, MemorySegment key, int keyLength) {
        if ((int) INT.get(block, slot + MapLayout.SLOT_KEY_LENGTH) != keyLength) {
            return false;
        }
        long payload = slot + MapLayout.SLOT_PAYLOAD;
        if (keyLength == 8) {
            return block.get(ValueLayout.JAVA_LONG, payload) == key.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
        }
        return MemorySegment.mismatch(block, payload, payload + keyLength, key, 0, keyLength) == -1;
    }

    /** Under the lock: the free list's head, 0 when the segment is full. */
    long freeSlot(long seg) {
        long ref = word(seg + MapLayout.FREE_HEAD);
        if (ref != 0) {
            checkRef(seg, ref, 0);
        }
        return ref;
    }

    /** Under the lock, into a free slot: lengths, key and value bytes. */
    void writePayload(long seg, long ref, MemorySegment key, int keyLength, MemorySegment value, int valueLength) {
        long slot = layout.slotOffset(seg, ref);
        INT.set(block, slot + MapLayout.SLOT_KEY_LENGTH, keyLength);
        INT.set(block, slot + MapLayout.SLOT_VALUE_LENGTH, valueLength);
        MemorySegment.copy(key, 0, block, slot + MapLayout.SLOT_PAYLOAD, keyLength);
        MemorySegment.copy(value, 0, block, slot + MapLayout.SLOT_PAYLOAD + keyLength, valueLength);
        CrashPoints.reach("map.payload");
    }

    /** M2 for a new key: the free slot {@code ref} (payload written) goes into the cursor's bucket word. */
    void insert(long seg, Cursor cursor, int hash, long ref) {
        long slot = layout.slotOffset(seg, ref);
        beginMutation(seg);
        logged(seg, seg + MapLayout.FREE_HEAD, word(slot + MapLayout.SLOT_NEXT));
        logged(seg, cursor.link, MapLayout.bucketWord(hash, ref));
        logged(seg, seg + MapLayout.COUNT, word(seg + MapLayout.COUNT) + 1);
        commit(seg);
    }

    /** M2 for an update: the free slot {@code ref} takes the place of the cursor's slot, which takes its place. */
    void replace(long seg, Cursor cursor, int hash, long ref) {
        long slot = layout.slotOffset(seg, ref);
        long old = layout.slotOffset(seg, cursor.ref);
        beginMutation(seg);
        logged(seg, old + MapLayout.SLOT_NEXT, word(slot + MapLayout.SLOT_NEXT));
        logged(seg, cursor.link, MapLayout.bucketWord(hash, ref));
        logged(seg, seg + MapLayout.FREE_HEAD, cursor.ref);
        commit(seg);
    }

    /** M2 for a removal: the cursor's slot leaves its bucket word for the free list. */
    void remove(long seg, Cursor cursor) {
        long old = layout.slotOffset(seg, cursor.ref);
        beginMutation(seg);
        boolean endsProbe = word(layout.nextBucket(seg, cursor.link)) == 0;
        logged(seg, cursor.link, endsProbe ? 0 : MapLayout.TOMBSTONE);
        logged(seg, old + MapLayout.SLOT_NEXT, word(seg + MapLayout.FREE_HEAD));
        logged(seg, seg + MapLayout.FREE_HEAD, cursor.ref);
        logged(seg, seg + MapLayout.COUNT, word(seg + MapLayout.COUNT) - 1);
        long at = layout.previousBucket(seg, cursor.link);
        for (int n = 4; endsProbe && n < MapLayout.LOG_CAPACITY && word(at) == MapLayout.TOMBSTONE; n++) {
            logged(seg, at, 0);
            at = layout.previousBucket(seg, at);
        }
        commit(seg);
    }

    int valueLength(long seg, long ref) {
        return (int) INT.get(block, layout.slotOffset(seg, ref) + MapLayout.SLOT_VALUE_LENGTH);
    }

    /** Copies the value of slot {@code ref} (key of {@code keyLength}) into {@code into}; returns its length. */
    int copyValue(long seg, long ref, int keyLength, byte[] into) {
        long slot = layout.slotOffset(seg, ref);
        int valueLength = (int) INT.get(block, slot + MapLayout.SLOT_VALUE_LENGTH);
        if (valueLength < 0 || keyLength < 0 || (long) valueLength + keyLength > layout.slotBytes) {
            return -2;
        }
        MemorySegment.copy(block, ValueLayout.JAVA_BYTE, slot + MapLayout.SLOT_PAYLOAD + keyLength, into, 0,
                valueLength);
        return valueLength;
    }

    // ------------------------------------------------------------------------------------------- readers

    /**
     * The value of the key, copied into {@code into}: its length, or -1 when the key is absent.
     */
    int read(int hash, long fullHash, MemorySegment key, int keyLength, byte[] into) {
        long seg = segmentOf(fullHash);
        long bucket = layout.bucketOffset(seg, bucketOf(fullHash));
        Stall stall = null;
        while (true) {
            long v = (long) LONG.getAcquire(block, seg + MapLayout.SEQ);
            if ((v & 1) != 0) {
                stall = stall(seg, stall);
                continue;
            }
            int result = lookup(seg, bucket, hash, key, keyLength, into);
            VarHandle.loadLoadFence();
            if ((long) LONG.getVolatile(block, seg + MapLayout.SEQ) == v) {
                if (result == -2) {
                    throw corrupt("segment at " + seg + ": a chain with a bad reference or length under a stable"
                            + " version=" + v);
                }
                return result;
            }
        }
    }

    /**
     * Probes from the home bucket word at {@code bucket} without a lock: the value's length copied into
     * {@code into}, -1 when absent, -2 when a word, reference or length is out of range (torn, or corrupt).
     */
    int lookup(long seg, long bucket, int hash, MemorySegment key, int keyLength, byte[] into) {
        long at = bucket;
        for (int steps = 0; steps < layout.buckets; steps++) {
            long w = (long) LONG.getAcquire(block, at);
            if (w == 0) {
                return -1;
            }
            long ref = w & 0xFFFF_FFFFL;
            if ((int) (w >>> 32) == hash && ref != 0) {
                if (ref > layout.slots) {
                    return -2;
                }
                long slot = layout.slotOffset(seg, ref);
                if (matches(slot, key, keyLength)) {
                    return copyValue(seg, ref, keyLength, into);
                }
            } else if (ref == 0 && w != MapLayout.TOMBSTONE) {
                return -2;
            }
            at = layout.nextBucket(seg, at);
        }
        return -1;
    }

    /** Every entry of the segment at one version: key bytes, value bytes, alternately. */
    List<byte[]> snapshotSegment(long seg) {
        Stall stall = null;
        List<byte[]> out = new ArrayList<>();
        while (true) {
            long v = (long) LONG.getAcquire(block, seg + MapLayout.SEQ);
            if ((v & 1) != 0) {
                stall = stall(seg, stall);
                continue;
            }
            out.clear();
            boolean bad = false;
            for (int b = 0; b < layout.buckets && !bad; b++) {
                long w = (long) LONG.getAcquire(block, layout.bucketOffset(seg, b));
                long ref = w & 0xFFFF_FFFFL;
                if (ref == 0) {
                    bad = w != 0 && w != MapLayout.TOMBSTONE;
                    continue;
                }
                if (ref > layout.slots) {
                    bad = true;
                    break;
                }
                long slot = layout.slotOffset(seg, ref);
                int keyLength = (int) INT.get(block, slot + MapLayout.SLOT_KEY_LENGTH);
                int valueLength = (int) INT.get(block, slot + MapLayout.SLOT_VALUE_LENGTH);
                if (keyLength < 0 || valueLength < 0 || (long) keyLength + valueLength > layout.slotBytes) {
                    bad = true;
                    break;
                }
                long payload = slot + MapLayout.SLOT_PAYLOAD;
                out.add(block.asSlice(payload, keyLength).toArray(ValueLayout.JAVA_BYTE));
                out.add(block.asSlice(payload + keyLength, valueLength).toArray(ValueLayout.JAVA_BYTE));
            }
            VarHandle.loadLoadFence();
            if ((long) LONG.getVolatile(block, seg + MapLayout.SEQ) == v) {
                if (bad) {
                    throw corrupt("segment at " + seg + ": a chain with a bad reference or length under a stable"
                            + " version=" + v);
                }
                return out;
            }
        }
    }

    /** A reader's wait on an odd version ({@link Stall}): then the lock, which waits or recovers a dead writer. */
    Stall stall(long seg, Stall stall) {
        if (region.isClosed()) {
            throw new IllegalStateException("map '" + name + "' is closed");
        }
        Stall s = stall == null ? new Stall() : stall;
        if (s.idle()) {
            lock(seg);
            unlock(seg);
        }
        return s;
    }

    SharedStateException corrupt(String what) {
        return new SharedStateException(SharedStateException.Reason.CORRUPT, "map '" + name + "' is corrupt: " + what);
    }

    /** Where a key was found under the lock: per thread, reused. */
    static final class Cursor {
        long link;
        long ref;
    }
}
