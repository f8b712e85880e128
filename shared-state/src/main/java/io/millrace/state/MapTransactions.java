package io.millrace.state;

import io.millrace.shm.ShmDirectory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The segments of one {@link SharedMap} as items of the commit engine ({@link Descriptors}): an item is a segment's
 * offset in the map block, locked with the segment's lock, versioned by its {@code version}; the redo records are
 * key and value bytes. Block {@value #BLOCK} of the map's region holds the descriptors:
 * <pre>
 *   the engine's words | 32 writeCount | 40 writeBytes
 *   320 writes: keyLength (4) | valueLength (4, -1: removal) | key | value, each padded to 8
 * </pre>
 * Before the commit point the redo records are written only after checking room: a segment's count plus its puts
 * stay below its slots ({@code MAP_FULL} before the commit point). Applying a segment is one logged mutation
 * ({@link MapSegments} M2) per record, under the lock. A survivor that takes a segment over first undoes its undo
 * log (a mutation cut short, of the transaction's apply or of a plain put), then re-applies the segment's records
 * when decided (a put of the same bytes, a removal: idempotent).
 */
final class MapTransactions extends Descriptors {
    static final String BLOCK = "maptx";
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();
    static final int MAX_SEGMENTS = MAX_ITEMS;
    static final int MAX_WRITES = 32;
    static final long WRITE_COUNT = 32;
    static final long WRITE_BYTES = 40;
    static final long WRITES = REDO;

    private final SharedMap<?, ?> map;
    private final MapSegments segments;
    private final long descriptorBytes;

    MapTransactions(SharedMap<?, ?> map, MapSegments segments, MemorySegment table) {
        super(segments.region, table, segments.lockTimeoutNanos, "maptx");
        this.map = map;
        this.segments = segments;
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

    /**
     * {@return whether region {@code name} of {@code directory}, read without attaching, is a map one of whose
     * descriptors that is not {@code IDLE} links one of {@code records}} ({@link TxLog#close}; {@link TxLog} records'
     * index and serial, in pairs; false for a region of another kind): the descriptors fill block {@value #BLOCK},
     * 64 slots
     *
     * @throws RuntimeException when the region cannot be read
     */
    static boolean linksAny(ShmDirectory directory, String name, long[] records) {
        return directory.inspectBlock(name, BLOCK, table -> links(table, 0, table.byteSize() / SLOTS, records))
                .orElse(false);
    }

    @Override
    long descriptor(int slot) {
        return slot * descriptorBytes;
    }

    @Override
    String what() {
        return "map '" + map.name() + "'";
    }

    /** {@return false when validation failed}; {@code tx.blockedBy} names a dead holder to recover. */
    boolean commit(MapTx<?, ?> tx) {
        tx.prepareItems();
        return commitLocal(tx);
    }

    /** The limits of a descriptor, before anything is locked. */
    void checkLimits(MapTx<?, ?> tx, long[] segs) {
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
    }

    /** C4 before the commit point: room checked ({@code MAP_FULL}), then the records of the writes. */
    void writeRedo(MapTx<?, ?> tx, long desc) {
        checkRoom(tx, tx.items);
        writeRecords(tx, desc);
    }

    /** C3: each segment keeps a free slot after its puts (as a single put does); else {@code MAP_FULL}. */
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
    @Override
    void applyItem(long desc, long seg) {
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

    @Override
    void lockItem(long seg) {
        segments.lock(seg);
    }

    @Override
    void unlockItem(long seg) {
        segments.unlock(seg);
    }

    @Override
    boolean takeOver(long seg, long deadRef) {
        return (boolean) LONG.compareAndSet(segments.block, seg + MapLayout.LOCK, deadRef, region.participantRef());
    }

    /** A mutation cut short, of the transaction's apply or of a plain put. */
    @Override
    void undoItem(long seg, boolean decided) {
        segments.recover(seg);
    }

    @Override
    boolean validItem(long seg) {
        long first = segments.layout.segmentOffset(0);
        return seg >= first && seg < segments.layout.blockBytes() && (seg - first) % segments.layout.segmentBytes == 0;
    }

    @Override
    void recovered() {
        segments.recoveries++;
    }
}
