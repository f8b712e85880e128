package io.millrace.state;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * One attempt of a transaction ({@link Transactions#atomic}): reads see the structs as they were at one instant,
 * writes are buffered and committed together or not at all. Valid only inside its block.
 *
 * <p>Fields are reached by name on a struct of the transaction's array: {@code long}, {@code int} and
 * {@code double} fields. A read that finds the structs changed since an earlier read aborts the attempt (the block
 * runs again); do not catch the exception it throws.
 */
public final class Tx extends Attempt {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();

    /** Thrown by a read that sees a conflict: caught by {@link Transactions}, which runs the block again. */
    static final class Conflict extends RuntimeException {
        static final Conflict INSTANCE = new Conflict();

        private Conflict() {
            super("transaction conflict (internal: let it reach Transactions.atomic)", null, false, false);
        }
    }

    final StructArray<?> array;
    private final MemorySegment segment;
    private long[] writeOffsets = new long[4];
    private long[] writeValues = new long[4];
    private int writes;

    /** The written elements, sorted, deduplicated into an array of their exact count (reused: {@link #sized}). */
    private long[] scratch = new long[4];
    private final long[][] sized = new long[StructTransactions.MAX_ELEMENTS + 1][];

    Tx(StructArray<?> array) {
        this.array = array;
        this.segment = array.segment;
    }

    /**
     * {@return a fresh attempt on {@code array}}: the thread's previous one, emptied, when it was on the same array
     * (an attempt is valid only in its block)
     */
    static Tx begin(StructArray<?> array, Transactions.ThreadState thread) {
        Tx tx = thread.spare;
        if (tx == null || tx.array != array) {
            tx = new Tx(array);
            thread.spare = tx;
        } else {
            tx.writes = 0;
            tx.resetReads();
        }
        return tx;
    }

    /**
     * Reads a {@code long} field: its value at the transaction's snapshot, or what the transaction wrote to it.
     *
     * @param struct a struct of this transaction's array
     * @param field  a {@code long} field's name
     * @return its value as this transaction sees it
     * @throws IllegalArgumentException when the struct is of another array or has no such field
     */
    public long getLong(Struct<?> struct, String field) {
        return read(struct, field, FieldKind.LONG);
    }

    /**
     * Writes a {@code long} field at commit; later reads of this transaction see it.
     *
     * @param struct a struct of this transaction's array
     * @param field  a {@code long} field's name
     * @param value  its new value, written at commit
     * @throws IllegalArgumentException when the struct is of another array or has no such field
     */
    public void setLong(Struct<?> struct, String field, long value) {
        write(struct, field, FieldKind.LONG, value);
    }

    /**
     * As {@link #getLong}, for an {@code int} field.
     *
     * @param struct a struct of this transaction's array
     * @param field  an {@code int} field's name
     * @return its value as this transaction sees it
     */
    public int getInt(Struct<?> struct, String field) {
        return (int) read(struct, field, FieldKind.INT);
    }

    /**
     * As {@link #setLong}, for an {@code int} field.
     *
     * @param struct a struct of this transaction's array
     * @param field  an {@code int} field's name
     * @param value  its new value, written at commit
     */
    public void setInt(Struct<?> struct, String field, int value) {
        write(struct, field, FieldKind.INT, value);
    }

    /**
     * As {@link #getLong}, for a {@code double} field.
     *
     * @param struct a struct of this transaction's array
     * @param field  a {@code double} field's name
     * @return its value as this transaction sees it
     */
    public double getDouble(Struct<?> struct, String field) {
        return Double.longBitsToDouble(read(struct, field, FieldKind.DOUBLE));
    }

    /**
     * As {@link #setLong}, for a {@code double} field.
     *
     * @param struct a struct of this transaction's array
     * @param field  a {@code double} field's name
     * @param value  its new value, written at commit
     */
    public void setDouble(Struct<?> struct, String field, double value) {
        write(struct, field, FieldKind.DOUBLE, Double.doubleToRawLongBits(value));
    }

    private long offset(Struct<?> struct, String field, FieldKind kind) {
        if (!(struct instanceof StructBase base) || base.array != array) {
            throw new IllegalArgumentException("struct " + struct + " is not of array '" + array.name()
                    + "', the transaction's");
        }
        StructLayout.Field f = array.type.layout.field(field);
        if (f == null || f.kind() != kind) {
            throw new IllegalArgumentException("struct " + array.type.declaration.getName() + " has no " + kind
                    + " field '" + field + "'" + (f == null ? "" : " (it is " + f.kind() + ")"));
        }
        return base.base + f.offset();
    }

    private long read(Struct<?> struct, String field, FieldKind kind) {
        long offset = offset(struct, field, kind);
        for (int i = 0; i < writes; i++) {
            if ((writeOffsets[i] & ~StructTransactions.INT_WRITE) == offset) {
                return writeValues[i];
            }
        }
        long element = ((StructBase) struct).index;
        long base = ((StructBase) struct).base;
        Stall stall = null;
        while (true) {
            long seq = (long) LONG.getAcquire(segment, base + StructLayout.SEQ_OFFSET);
            // locked: a commit may be applying its elements one by one; read what it leaves, for opacity
            if ((seq & 1) != 0 || OwnerLock.owner(segment, base + StructLayout.LOCK_OFFSET) != 0) {
                stall = stall == null ? new Stall() : stall;
                if (stall.idle()) {
                    array.transactions.awaitElement(element);
                }
                continue;
            }
            long value = kind.size == 4 ? (int) INT.getAcquire(segment, offset) : (long) LONG.getAcquire(segment, offset);
            VarHandle.loadLoadFence();
            if ((long) LONG.getVolatile(segment, base + StructLayout.SEQ_OFFSET) != seq) {
                continue;
            }
            record(element, seq);
            return value;
        }
    }

    @Override
    long versionOf(long element) {
        return (long) LONG.getVolatile(segment, StructArray.ELEMENTS_OFFSET + element * array.type.layout.stride
                + StructLayout.SEQ_OFFSET);
    }

    private void write(Struct<?> struct, String field, FieldKind kind, long value) {
        long offset = offset(struct, field, kind);
        long word = kind.size == 4 ? offset | StructTransactions.INT_WRITE : offset;
        for (int i = 0; i < writes; i++) {
            if ((writeOffsets[i] & ~StructTransactions.INT_WRITE) == offset) {
                writeValues[i] = value;
                return;
            }
        }
        if (writes == writeOffsets.length) {
            writeOffsets = Arrays.copyOf(writeOffsets, writes * 2);
            writeValues = Arrays.copyOf(writeValues, writes * 2);
        }
        writeOffsets[writes] = word;
        writeValues[writes++] = value;
    }

    /** The elements written, ascending, each once; checked against the descriptor's limits. No allocation once warm. */
    @Override
    void prepareItems() {
        long stride = array.type.layout.stride;
        if (scratch.length < writes) {
            scratch = new long[Math.max(writes, scratch.length * 2)];
        }
        long[] elements = scratch;
        for (int i = 0; i < writes; i++) {
            elements[i] = ((writeOffsets[i] & ~StructTransactions.INT_WRITE) - StructArray.ELEMENTS_OFFSET) / stride;
        }
        int distinct = Attempt.sortDistinct(elements, writes);
        if (distinct > StructTransactions.MAX_ELEMENTS || writes > StructTransactions.MAX_WRITES) {
            throw new IllegalStateException("a transaction on '" + array.name() + "' writes " + distinct
                    + " structs and " + writes + " fields; at most " + StructTransactions.MAX_ELEMENTS + " and "
                    + StructTransactions.MAX_WRITES);
        }
        long[] exact = sized[distinct];
        if (exact == null) {
            exact = sized[distinct] = new long[distinct];
        }
        System.arraycopy(elements, 0, exact, 0, distinct);
        items = exact;
    }

    @Override
    boolean writes() {
        return writes > 0;
    }

    @Override
    Descriptors engine() {
        return array.transactions;
    }

    @Override
    StatsTable stats() {
        return array.stats;
    }

    @Override
    void clearRedo(MemorySegment table, long desc) {
        LONG.set(table, desc + StructTransactions.WRITE_COUNT, 0L);
    }

    @Override
    void writeRedo(MemorySegment table, long desc) {
        LONG.set(table, desc + StructTransactions.WRITE_COUNT, (long) writeTo(table, desc + StructTransactions.WRITES));
    }

    @Override
    boolean commit() {
        return writes == 0 ? validate(Attempt.NONE) : array.transactions.commit(this);
    }

    @Override
    long holderOf(long element) {
        return OwnerLock.owner(segment, StructArray.ELEMENTS_OFFSET + element * array.type.layout.stride
                + StructLayout.LOCK_OFFSET);
    }

    @Override
    boolean isAlive(long holder) {
        return array.region.isParticipantAlive(holder);
    }

    @Override
    void await(long element) {
        array.transactions.awaitElement(element);
    }

    /** Writes the buffered writes at their offsets plus {@code shift}: into the redo copy of their one struct. */
    void writeRedoCopy(MemorySegment segment, long shift) {
        for (int i = 0; i < writes; i++) {
            long offset = (writeOffsets[i] & ~StructTransactions.INT_WRITE) + shift;
            if ((writeOffsets[i] & StructTransactions.INT_WRITE) != 0) {
                INT.set(segment, offset, (int) writeValues[i]);
            } else {
                LONG.set(segment, offset, writeValues[i]);
            }
        }
    }

    /** Writes the buffered writes as descriptor entries at {@code at}; {@return how many} */
    int writeTo(MemorySegment segment, long at) {
        for (int i = 0; i < writes; i++) {
            LONG.set(segment, at + 16L * i, writeOffsets[i]);
            LONG.set(segment, at + 16L * i + 8, writeValues[i]);
        }
        return writes;
    }
}
