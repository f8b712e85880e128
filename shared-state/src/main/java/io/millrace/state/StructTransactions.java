package io.millrace.state;

import io.millrace.shm.ShmDirectory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The structs of one {@link StructArray} as items of the commit engine ({@link Descriptors}): an item is an element
 * index, locked with the element's own lock word (the one {@code update} and single-field writes take), versioned by
 * its {@code seq}; the redo records are (offset, value) words.
 * <pre>
 *   descriptor: the engine's words | 32 writeCount | 320 writes: 64 x (offset 8 (bit 62: a 4-byte field), value 8)
 * </pre>
 * Applying an element writes its values between an odd and an even {@code seq}. A survivor that takes an element
 * over first recovers a plain {@code update} or single-field write the dead process cut short in it
 * ({@link StructBase}), then re-applies the transaction's writes when decided.
 * <p>T6. A transaction that writes one struct only (and no other region) skips the descriptor: it locks the struct,
 * validates, and commits through the struct's redo copy as {@code update} does ({@link StructBase}: the
 * {@code redoMark} is the commit point, and a survivor re-applies or drops it the same way).
 */
final class StructTransactions extends Descriptors {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();
    static final int MAX_ELEMENTS = MAX_ITEMS;
    static final int MAX_WRITES = 64;
    static final long WRITE_COUNT = 32;
    static final long WRITES = REDO;
    static final long DESCRIPTOR_BYTES = StructLayout.align(WRITES + 16L * MAX_WRITES, 128);
    static final long TABLE_BYTES = SLOTS * DESCRIPTOR_BYTES;
    /** Marks a 4-byte field in a write's offset word. */
    static final long INT_WRITE = 1L << 62;

    private final StructArray<?> array;
    private final MemorySegment segment;

    StructTransactions(StructArray<?> array) {
        super(array.region, array.segment, array.lockTimeoutNanos, "tx");
        this.array = array;
        this.segment = array.segment;
    }

    /**
     * {@return as {@link MapTransactions#linksAny}, for a struct array}: the descriptors lie in block {@code structs}
     *
     * @throws RuntimeException when the region cannot be read
     */
    static boolean linksAny(ShmDirectory directory, String name, long[] records) {
        return directory.inspectBlock(name, StructArray.BLOCK, block -> links(block, StructArray.DESCRIPTORS_OFFSET,
                DESCRIPTOR_BYTES, records)).orElse(false);
    }

    @Override
    long descriptor(int slot) {
        return StructArray.DESCRIPTORS_OFFSET + slot * DESCRIPTOR_BYTES;
    }

    @Override
    String what() {
        return "struct array '" + array.name() + "'";
    }

    private long elementBase(long index) {
        return StructArray.ELEMENTS_OFFSET + index * array.type.layout.stride;
    }

    /** {@return false when validation failed}; {@code tx.blockedBy} names a dead holder to recover. */
    boolean commit(Tx tx) {
        tx.prepareItems();
        if (tx.items.length == 1) {
            return commitAlone(tx, tx.items[0]);
        }
        return commitLocal(tx);
    }

    /** T6: one struct written: its lock, validation, then {@code update}'s redo copy; no descriptor. */
    private boolean commitAlone(Tx tx, long element) {
        lockElement(element);
        try {
            CrashPoints.reach("tx.alone.locked");
            if (!tx.validate(tx.items)) {
                return false;
            }
            ((StructBase) array.get((int) element)).commitAlone(tx);
            return true;
        } finally {
            OwnerLock.release(segment, elementBase(element) + StructLayout.LOCK_OFFSET);
        }
    }

    /** Takes element {@code index}'s lock: a dead holder's transaction is finished first. */
    void lockElement(long index) {
        if ((boolean) LONG.compareAndSet(segment, elementBase(index) + StructLayout.LOCK_OFFSET, 0L, array.self)) {
            return; // free: the usual case, without the slow path's message and recovery hook
        }
        long dead = OwnerLock.acquire(region, segment, elementBase(index) + StructLayout.LOCK_OFFSET,
                array.lockTimeoutNanos, "struct " + array.name() + "[" + index + "]", this::recoverTransactionOf);
        if (dead != OwnerLock.CLEAN) {
            ((StructBase) array.get((int) index)).recoverUpdate();
        }
    }

    /** Takes and drops element {@code index}'s lock: waits out a live writer, recovers a dead one. */
    void awaitElement(long index) {
        lockElement(index);
        OwnerLock.release(segment, elementBase(index) + StructLayout.LOCK_OFFSET);
    }

    @Override
    void lockItem(long item) {
        lockElement(item);
    }

    @Override
    void unlockItem(long item) {
        OwnerLock.release(segment, elementBase(item) + StructLayout.LOCK_OFFSET);
    }

    @Override
    boolean takeOver(long item, long deadRef) {
        return (boolean) LONG.compareAndSet(segment, elementBase(item) + StructLayout.LOCK_OFFSET, deadRef,
                region.participantRef());
    }

    /**
     * Not decided: the element may be held for a plain write the dead process cut short (its transaction had not
     * locked it yet); decided, every element was the transaction's, and {@link #applyItem} ends an odd {@code seq}.
     */
    @Override
    void undoItem(long item, boolean decided) {
        if (!decided) {
            ((StructBase) array.get((int) item)).recoverWrite();
        }
    }

    @Override
    boolean validItem(long item) {
        return item >= 0 && item < array.length();
    }

    @Override
    void recovered() {
        array.recoveries.incrementAndGet();
    }

    /** Writes the descriptor's values for element {@code e} between an odd and an even {@code seq}. Idempotent. */
    @Override
    void applyItem(long desc, long e) {
        long base = elementBase(e);
        long seq = (long) LONG.getVolatile(segment, base + StructLayout.SEQ_OFFSET);
        if ((seq & 1) == 0) {
            LONG.setOpaque(segment, base + StructLayout.SEQ_OFFSET, ++seq); // then the fence (no full one)
            VarHandle.storeStoreFence();
        }
        long n = (long) LONG.getVolatile(segment, desc + WRITE_COUNT);
        long stride = array.type.layout.stride;
        for (int i = 0; i < n && i < MAX_WRITES; i++) {
            long word = (long) LONG.get(segment, desc + WRITES + 16L * i);
            long offset = word & ~INT_WRITE;
            if (offset < base || offset >= base + stride) {
                continue;
            }
            long value = (long) LONG.get(segment, desc + WRITES + 16L * i + 8);
            if ((word & INT_WRITE) != 0) {
                INT.setRelease(segment, offset, (int) value);
            } else {
                LONG.setRelease(segment, offset, value);
            }
        }
        LONG.setRelease(segment, base + StructLayout.SEQ_OFFSET, seq + 1);
    }
}
