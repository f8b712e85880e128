package io.millrace.state;

import io.millrace.shm.SharedRegion;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Commit and recovery of {@link Transactions} over the entries of one {@link SharedMap}: the protocol of
 * {@link StructTransactions} with the map's segments in the place of structs (a segment's {@code version} is the
 * read set's version, its lock the write lock) and redo records of key and value bytes in the descriptors.
 *
 * <h2>Descriptors</h2>
 * Block {@value #BLOCK} of the map's region holds one descriptor per participant slot (64), written only by whoever
 * holds its {@code claim} ({@link OwnerLock}):
 * <pre>
 *   0 claim | 8 txRef | 16 state: IDLE 0, LOCKING 1, DECIDED 2 | 24 segmentCount | 32 writeCount | 40 writeBytes
 *   64 segments: 32 x 8 (offset in the map block, ascending)
 *   320 writes: keyLength (4) | valueLength (4, -1: removal) | key | value, each padded to 8
 * </pre>
 * <h2>Commit</h2>
 * <ol>
 *   <li>MT1. The process's commit lock and the claim; a previous incarnation's unfinished descriptor first (MT5).</li>
 *   <li>MT2. {@code txRef}, the segments, {@code LOCKING} (release); lock the segments in that order.</li>
 *   <li>MT3. Validate: every segment read has the version the body saw; those not locked here are unlocked. Check
 *       room: a segment's count plus its puts stay below its slots ({@code MAP_FULL} before the commit point).</li>
 *   <li>MT4. Write the redo records, {@code DECIDED} (release): the commit point. Apply per segment, each write one
 *       logged mutation ({@link MapSegments} M2) under the lock, the version odd from the first to the unlock; then
 *       unlock every segment, {@code IDLE}, release the claim.</li>
 *   <li>MT5. Recovery: a waiter on a segment whose holder is dead ({@link MapSegments#onDead}) takes that slot's
 *       claim; if the descriptor is that incarnation's and not {@code IDLE}, it takes over each listed segment the
 *       dead reference still holds (one CAS), undoes its undo log (a mutation cut short), re-applies the segment's
 *       records when {@code DECIDED} (a put of the same bytes, a removal: idempotent), unlocks, stores {@code IDLE}.</li>
 * </ol>
 */
final class MapTransactions {
    static final String BLOCK = "maptx";
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();
    static final int SLOTS = StructTransactions.SLOTS;
    static final int MAX_SEGMENTS = 32;
    static final int MAX_WRITES = 32;
    static final long CLAIM = StructTransactions.CLAIM;
    static final long TX_REF = StructTransactions.TX_REF;
    static final long STATE = StructTransactions.STATE;
    static final long SEGMENT_COUNT = StructTransactions.ELEMENT_COUNT;
    static final long WRITE_COUNT = 32;
    static final long WRITE_BYTES = 40;
    static final long SEGMENTS = 64;
    static final long WRITES = SEGMENTS + 8L * MAX_SEGMENTS;

    private final SharedMap<?, ?> map;
    private final MapSegments segments;
    private final SharedRegion region;
    private final MemorySegment table;
    private final long descriptorBytes;
    private final ReentrantLock commitLock = new ReentrantLock();

    MapTransactions(SharedMap<?, ?> map, MapSegments segments, MemorySegment table) {
        this.map = map;
        this.segments = segments;
        this.region = segments.region;
        this.table = table;
        this.descriptorBytes = descriptorBytes(segments.layout);
        if (table.byteSize() != SLOTS * descriptorBytes) {
            throw segments.corrupt("block " + BLOCK + " has " + table.byteSize() + " bytes, slotBytes="
                    + segments.layout.slotBytes + " needs " + SLOTS * descriptorBytes);
        }
    }

    /** Room for {@value #MAX_WRITES} writes of a slot each, and at least one of a full slot. */
    private static long descriptorBytes(MapLayout layout) {
        long record = 8 + StructLayout.align(layout.slotBytes, 8);
        return StructLayout.align(WRITES + Math.max(record, Math.min(MAX_WRITES * record, 256 * 1024)), 128);
    }

    static long tableBytes(MapLayout layout) {
        return SLOTS * descriptorBytes(layout);
    }

    private long descriptor(int slot) {
        return slot * descriptorBytes;
    }

    private static int slotOf(long ref) {
        return (int) ref - 1;
    }

    /** MT1-MT4. {@return false when validation failed}; {@code tx.blockedBy} names a dead holder to recover. */
    boolean commit(MapTx<?, ?> tx) {
        long[] segs = tx.writeSegments();
        long bytes = 0;
        for (int i = 0; i < tx.writeCount(); i++) {
            byte[] v = tx.writeValues.get(i);
            bytes += 8 + StructLayout.align(tx.writeKeys.get(i).length + (v == null ? 0 : v.length), 8);
        }
        if (segs.length > MAX_SEGMENTS || tx.writeCount() > MAX_WRITES || WRITES + bytes > descriptorBytes) {
            throw new IllegalStateException("a transaction on map '" + map.name() + "' writes " + tx.writeCount()
                    + " entries (" + bytes + " bytes) in " + segs.length + " segments; at most " + MAX_WRITES
                    + " entries, " + (descriptorBytes - WRITES) + " bytes, " + MAX_SEGMENTS + " segments");
        }
        long self = region.participantRef();
        long desc = descriptor(slotOf(self));
        commitLock.lock();
        try {
            claim(desc);
            try {
                long stale = (long) LONG.getVolatile(table, desc + TX_REF);
                if (stale != self && (long) LONG.getVolatile(table, desc + STATE) != StructTransactions.IDLE) {
                    finish(desc, stale);
                }
                LONG.set(table, desc + TX_REF, self);
                LONG.set(table, desc + SEGMENT_COUNT, (long) segs.length);
                for (int i = 0; i < segs.length; i++) {
                    LONG.set(table, desc + SEGMENTS + 8L * i, segs[i]);
                }
                LONG.set(table, desc + WRITE_COUNT, 0L);
                LONG.setRelease(table, desc + STATE, StructTransactions.LOCKING);
                int locked = 0;
                try {
                    for (long seg : segs) {
                        segments.lock(seg);
                        locked++;
                        CrashPoints.reach("maptx.locked");
                    }
                    if (!tx.validate(segs)) {
                        return false;
                    }
                    checkRoom(tx, segs);
                    writeRecords(tx, desc);
                    LONG.setRelease(table, desc + STATE, StructTransactions.DECIDED);
                    CrashPoints.reach("maptx.decided");
                    for (long seg : segs) {
                        applySegment(desc, seg);
                        CrashPoints.reach("maptx.applied");
                    }
                    return true;
                } finally {
                    for (int i = 0; i < locked; i++) {
                        segments.unlock(segs[i]);
                    }
                    LONG.setRelease(table, desc + STATE, StructTransactions.IDLE);
                }
            } finally {
                OwnerLock.release(table, desc + CLAIM);
            }
        } finally {
            commitLock.unlock();
        }
    }

    /** MT3: each segment keeps a free slot after its puts (as a single put does); else {@code MAP_FULL}. */
    private void checkRoom(MapTx<?, ?> tx, long[] segs) {
        for (long seg : segs) {
            long puts = 0;
            for (int i = 0; i < tx.writeCount(); i++) {
                if (tx.writeValues.get(i) != null && segments.segmentOf(tx.writeHashes.get(i)) == seg) {
                    puts++;
                }
            }
            long count = segments.word(seg + MapLayout.COUNT);
            if (puts > 0 && count + puts > segments.layout.slots - 1) {
                throw map.full(seg, count);
            }
        }
    }

    private void writeRecords(MapTx<?, ?> tx, long desc) {
        long at = desc + WRITES;
        for (int i = 0; i < tx.writeCount(); i++) {
            byte[] k = tx.writeKeys.get(i);
            byte[] v = tx.writeValues.get(i);
            INT.set(table, at, k.length);
            INT.set(table, at + 4, v == null ? -1 : v.length);
            MemorySegment.copy(k, 0, table, ValueLayout.JAVA_BYTE, at + 8, k.length);
            if (v != null) {
                MemorySegment.copy(v, 0, table, ValueLayout.JAVA_BYTE, at + 8 + k.length, v.length);
            }
            at += 8 + StructLayout.align(k.length + (v == null ? 0 : v.length), 8);
        }
        LONG.set(table, desc + WRITE_BYTES, at - desc - WRITES);
        LONG.set(table, desc + WRITE_COUNT, (long) tx.writeCount());
    }

    /** Holding the segment's lock: applies the descriptor's records for it, in order. Idempotent. */
    private void applySegment(long desc, long seg) {
        long n = (long) LONG.getVolatile(table, desc + WRITE_COUNT);
        long end = desc + WRITES + (long) LONG.getVolatile(table, desc + WRITE_BYTES);
        if (n < 0 || n > MAX_WRITES || end > desc + descriptorBytes || end < desc + WRITES) {
            throw segments.corrupt("transaction descriptor " + desc / descriptorBytes + ": writeCount=" + n
                    + " writeBytes=" + (end - desc - WRITES));
        }
        long at = desc + WRITES;
        for (long i = 0; i < n; i++) {
            int keyLength = (int) INT.get(table, at);
            int valueLength = (int) INT.get(table, at + 4);
            long next = at + 8 + StructLayout.align(keyLength + (long) Math.max(0, valueLength), 8);
            if (keyLength < 0 || valueLength < -1 || next > end
                    || (long) keyLength + Math.max(0, valueLength) > segments.layout.slotBytes) {
                throw segments.corrupt("transaction descriptor " + desc / descriptorBytes + ": record " + i
                        + " keyLength=" + keyLength + " valueLength=" + valueLength);
            }
            MemorySegment key = table.asSlice(at + 8, keyLength);
            long hash = MapSegments.hash(key, keyLength);
            if (segments.segmentOf(hash) == seg) {
                map.applyBytes(seg, hash, key, keyLength,
                        valueLength < 0 ? null : table.asSlice(at + 8 + keyLength, valueLength), valueLength);
            }
            at = next;
        }
    }

    /** MT5, called by a waiter before it takes a segment over from {@code deadRef}. */
    void recoverTransactionOf(long deadRef) {
        int slot = slotOf(deadRef);
        if (slot < 0 || slot >= SLOTS) {
            return;
        }
        long desc = descriptor(slot);
        if ((long) LONG.getVolatile(table, desc + TX_REF) != deadRef
                || (long) LONG.getVolatile(table, desc + STATE) == StructTransactions.IDLE) {
            return;
        }
        claim(desc);
        try {
            finish(desc, deadRef);
        } finally {
            OwnerLock.release(table, desc + CLAIM);
        }
    }

    private void claim(long desc) {
        OwnerLock.acquire(region, table, desc + CLAIM, segments.lockTimeoutNanos, "transaction descriptor "
                + desc / descriptorBytes + " of map '" + map.name() + "'");
    }

    /** Holding the claim: finishes (DECIDED) or drops (LOCKING) the transaction of {@code deadRef}. */
    private void finish(long desc, long deadRef) {
        if ((long) LONG.getVolatile(table, desc + TX_REF) != deadRef) {
            return;
        }
        long state = (long) LONG.getVolatile(table, desc + STATE);
        long count = (long) LONG.getVolatile(table, desc + SEGMENT_COUNT);
        if (state == StructTransactions.IDLE) {
            return;
        }
        if (state != StructTransactions.LOCKING && state != StructTransactions.DECIDED || count < 0
                || count > MAX_SEGMENTS) {
            throw segments.corrupt("transaction descriptor " + desc / descriptorBytes + ": state=" + state
                    + " segmentCount=" + count);
        }
        long self = region.participantRef();
        for (int i = 0; i < count; i++) {
            long seg = (long) LONG.get(table, desc + SEGMENTS + 8L * i);
            long first = segments.layout.segmentOffset(0);
            if (seg < first || seg >= segments.layout.blockBytes() || (seg - first) % segments.layout.segmentBytes != 0) {
                throw segments.corrupt("transaction descriptor " + desc / descriptorBytes + ": segment=" + seg);
            }
            if ((boolean) LONG.compareAndSet(segments.block, seg + MapLayout.LOCK, deadRef, self)) {
                segments.recover(seg); // a mutation cut short, of the transaction or of a plain put
                if (state == StructTransactions.DECIDED) {
                    applySegment(desc, seg);
                }
                segments.unlock(seg);
            }
        }
        LONG.setRelease(table, desc + STATE, StructTransactions.IDLE);
        segments.recoveries++;
    }
}
