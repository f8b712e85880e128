package io.millrace.state;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * What every flyweight shares: where its element lies, and {@code snapshot}/{@code update} over the element's
 * seqlock. Generated flyweights extend it and add one method per accessor, and {@code snapshot()}/{@code update}
 * calling {@link #snapshotRecord()}/{@link #updateRecord}.
 *
 * <h2>Seqlock with an owner-named lock and a redo copy</h2>
 * Element words ({@link StructLayout}): {@code lock} ({@link OwnerLock}), {@code seq}, {@code redoMark}.
 * <ol>
 *   <li>{@code update}: take {@code lock}; read the fields ({@code seq = s}, even), run {@code fn}; write its result
 *       into the element's redo copy; store {@code redoMark = s + 1} (release): from here the update is decided.</li>
 *   <li>Store {@code seq = s + 1}, store-store fence, copy the redo bytes over the fields, store {@code seq = s + 2}
 *       (release), then {@code redoMark = 0} and release the lock.</li>
 *   <li>{@code snapshot}: read {@code seq} (acquire); odd: wait; read the fields; load fence; {@code seq} unchanged:
 *       the values are one update's. A {@code seq} odd for more than a millisecond sends the reader to the lock,
 *       which it gets only after the writer finished or died (and was recovered).</li>
 *   <li>Recovery, by whoever takes the lock over from a dead holder: {@code redoMark} equal to {@code seq + 1} or
 *       {@code seq} means decided: copy the redo bytes again (idempotent) and end at {@code redoMark + 1}; otherwise
 *       the fields were never touched: only {@code redoMark} is cleared. So a killed update is all or nothing.</li>
 * </ol>
 */
abstract class StructBase {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();

    final StructArray<?> array;
    final MemorySegment segment;
    final long base;
    final int index;

    StructBase(StructArray<?> array, int index) {
        this.array = array;
        this.segment = array.segment;
        this.index = index;
        this.base = StructArray.ELEMENTS_OFFSET + index * array.type.layout.stride;
    }

    public int index() {
        return index;
    }

    final Record snapshotRecord() {
        StructType<?> type = array.type;
        Object[] values = new Object[type.componentOrder.size()];
        Stall stall = null;
        while (true) {
            array.checkOpen();
            long s = (long) LONG.getAcquire(segment, base + StructLayout.SEQ_OFFSET);
            if ((s & 1) == 0) {
                readInto(values, base);
                VarHandle.loadLoadFence();
                if ((long) LONG.getVolatile(segment, base + StructLayout.SEQ_OFFSET) == s) {
                    return construct(values);
                }
                continue;
            }
            stall = stall == null ? new Stall() : stall;
            if (stall.idle()) {
                array.transactions.awaitElement(index); // a writer in progress finishes, a dead one is recovered
            }
        }
    }

    final void updateRecord(UnaryOperator<Record> fn) {
        Objects.requireNonNull(fn, "fn");
        StructType<?> type = array.type;
        lock();
        try {
            long s = (long) LONG.getVolatile(segment, base + StructLayout.SEQ_OFFSET);
            Object[] values = new Object[type.componentOrder.size()];
            readInto(values, base);
            Record next = fn.apply(construct(values));
            if (!type.recordType.isInstance(next)) {
                throw new IllegalArgumentException("update of struct " + array.name() + "[" + index + "]: fn returned "
                        + (next == null ? "null" : "a " + next.getClass().getName()) + ", not a "
                        + type.recordType.getName());
            }
            long redo = base + type.layout.redoOffset - StructLayout.DATA_OFFSET;
            for (int i = 0; i < type.componentOrder.size(); i++) {
                StructLayout.Field f = type.componentOrder.get(i);
                Object value;
                try {
                    value = type.accessors.get(i).invoke(next);
                } catch (Throwable e) {
                    throw new IllegalStateException("cannot read component " + f.name() + ": " + e, e);
                }
                f.kind().write(segment, redo + f.offset(), f.capacity(), value, f.name());
            }
            LONG.setRelease(segment, base + StructLayout.REDO_MARK_OFFSET, s + 1);
            CrashPoints.reach("struct.update.decided");
            apply(s + 1);
        } finally {
            OwnerLock.release(segment, base + StructLayout.LOCK_OFFSET);
        }
    }

    /**
     * A transaction's commit that writes this struct alone, holding its lock after validation: the current fields
     * and the transaction's writes go into the redo copy, then as {@code update} from the decision on (no descriptor).
     */
    final void commitAlone(Tx tx) {
        StructLayout layout = array.type.layout;
        long s = (long) LONG.getVolatile(segment, base + StructLayout.SEQ_OFFSET);
        MemorySegment.copy(segment, base + StructLayout.DATA_OFFSET, segment, base + layout.redoOffset,
                layout.dataLength);
        tx.writeRedoCopy(segment, layout.redoOffset - StructLayout.DATA_OFFSET);
        LONG.setRelease(segment, base + StructLayout.REDO_MARK_OFFSET, s + 1);
        CrashPoints.reach("struct.update.decided");
        apply(s + 1);
    }

    /** Copies the redo bytes over the fields between {@code seq = mark} and {@code seq = mark + 1}. */
    private void apply(long mark) {
        StructLayout layout = array.type.layout;
        LONG.setOpaque(segment, base + StructLayout.SEQ_OFFSET, mark); // ordered by the fence: no full one
        VarHandle.storeStoreFence();
        MemorySegment.copy(segment, base + layout.redoOffset, segment, base + StructLayout.DATA_OFFSET,
                layout.dataLength);
        CrashPoints.reach("struct.update.applying");
        LONG.setRelease(segment, base + StructLayout.SEQ_OFFSET, mark + 1);
        LONG.setRelease(segment, base + StructLayout.REDO_MARK_OFFSET, 0L);
    }

    private void lock() {
        array.transactions.lockElement(index);
    }

    /**
     * A single-field write ({@link StructAccess}), step 1: takes the element's lock (one CAS when free; a dead
     * holder is recovered first) and {@return the element's {@code seq}}, even. The write then is {@link #odd},
     * the field's store, {@link #unlockWrite}{@code (seq + 2)}: a transaction that read the field fails its
     * validation, a snapshot never sees it half done, and a process killed in it leaves {@code seq} odd, which the
     * survivor's recovery ends at the next even value (the one word written or not, the version changed).
     */
    final long lockWrite() {
        if (!(boolean) LONG.compareAndSet(segment, base + StructLayout.LOCK_OFFSET, 0L, array.self)) {
            lock();
        }
        return (long) LONG.get(segment, base + StructLayout.SEQ_OFFSET);
    }

    /** The single-field write's {@code seq} odd, ordered before the field's store. */
    final void odd(long seq) {
        LONG.setOpaque(segment, base + StructLayout.SEQ_OFFSET, seq + 1);
        VarHandle.storeStoreFence();
        CrashPoints.reach("struct.field.odd");
    }

    /** Ends a single-field write: {@code seq} (release; the one read by {@link #lockWrite} when nothing changed). */
    final void unlockWrite(long seq) {
        CrashPoints.reach("struct.field.written");
        LONG.setRelease(segment, base + StructLayout.SEQ_OFFSET, seq);
        OwnerLock.release(segment, base + StructLayout.LOCK_OFFSET);
    }

    /** Step 4 of the protocol, holding the lock taken over from a dead holder (after its transaction, if any). */
    final void recoverUpdate() {
        recoverWrite();
        array.recoveries.incrementAndGet();
    }

    /** As {@link #recoverUpdate}, uncounted: for a transaction's recovery, which counts itself. */
    final void recoverWrite() {
        long s = (long) LONG.getVolatile(segment, base + StructLayout.SEQ_OFFSET);
        long mark = (long) LONG.getVolatile(segment, base + StructLayout.REDO_MARK_OFFSET);
        if (mark != 0 && (mark == s + 1 || mark == s)) {
            apply(mark);
        } else {
            if ((s & 1) != 0) {
                LONG.setRelease(segment, base + StructLayout.SEQ_OFFSET, s + 1);
            }
            LONG.setRelease(segment, base + StructLayout.REDO_MARK_OFFSET, 0L);
        }
    }

    private void readInto(Object[] values, long at) {
        var fields = array.type.componentOrder;
        for (int i = 0; i < values.length; i++) {
            StructLayout.Field f = fields.get(i);
            values[i] = f.kind().read(segment, at + f.offset(), f.capacity());
        }
    }

    private Record construct(Object[] values) {
        try {
            return (Record) array.type.constructor.invoke(values);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return array.name() + "[" + index + "]=" + snapshotRecord();
    }
}
