package io.millrace.state;

import io.millrace.shm.RegionSpec;
import io.millrace.shm.SharedRegion;
import io.millrace.shm.ShmDirectory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * An array of live structs in a region of its own, created once and opened by name from any process:
 *
 * <pre>{@code
 * StructType<Account> type = StructType.of(Account.class);
 * try (StructArray<Account> accounts = StructArray.create(ShmDirectory.defaultDirectory(), "bank", type, 1000)) {
 *     accounts.get(7).addBalance(100);
 * }
 * // in another process
 * StructArray<Account> accounts = StructArray.open(directory, "bank", type, Duration.ofSeconds(5));
 * }</pre>
 *
 * <h2>Layout</h2> One block, {@code structs}, in the region:
 * <pre>
 *   0       8         12      16       24          32          128              1152                 91264
 *   | magic | version | count | stride | schemaHash | schemaLen | schema (UTF-8) | 64 tx descriptors | elements:
 *   count x stride |
 * </pre>
 * The creator writes the header and schema, then {@code magic} with release; an opener waits for it (up to its
 * timeout), then checks the version, the geometry against the block's size, and the schema against its own
 * declaration: a struct declared otherwise in another JVM is a {@code SCHEMA_MISMATCH} naming the first field that
 * differs. Elements are laid out by {@link StructLayout}.
 *
 * @param <T> the flyweight type
 */
public final class StructArray<T> implements AutoCloseable {
    static final String BLOCK = "structs";
    static final long MAGIC = 0x5443555254534d52L; // "RMSTRUCT" little-endian
    static final int VERSION = 2;
    static final long MAGIC_OFFSET = 0;
    static final long VERSION_OFFSET = 8;
    static final long COUNT_OFFSET = 12;
    static final long STRIDE_OFFSET = 16;
    static final long HASH_OFFSET = 24;
    static final long SCHEMA_LENGTH_OFFSET = 32;
    static final long SCHEMA_OFFSET = 128;
    static final int SCHEMA_CAPACITY = 1024;
    static final long DESCRIPTORS_OFFSET = SCHEMA_OFFSET + SCHEMA_CAPACITY;
    static final long ELEMENTS_OFFSET = DESCRIPTORS_OFFSET + StructTransactions.TABLE_BYTES;
    static final long MAX_BLOCK = 1 << 30;
    private static final long LOCK_TIMEOUT_NANOS = 10_000_000_000L;
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();

    final SharedRegion region;
    final MemorySegment segment;
    final StructType<T> type;
    final long lockTimeoutNanos = LOCK_TIMEOUT_NANOS;
    /** This process's reference in the region: what it writes into the lock words it takes. */
    final long self;
    /** Dead holders' updates this process finished or undid. */
    final AtomicLong recoveries = new AtomicLong();
    final StructTransactions transactions;
    final StatsTable stats;
    private final int length;
    private final AtomicReferenceArray<T> flyweights;

    private StructArray(SharedRegion region, StructType<T> type, int length) {
        this.region = region;
        this.self = region.participantRef();
        this.segment = region.block(BLOCK);
        this.stats = new StatsTable(region.block(StatsTable.BLOCK));
        this.type = type;
        this.length = length;
        this.flyweights = new AtomicReferenceArray<>(length);
        this.transactions = new StructTransactions(this);
    }

    /**
     * Creates the region {@code name} holding {@code length} structs of {@code type}, all fields zero (strings empty).
     *
     * @param directory the base directory
     * @param name      the region's name
     * @param type      the struct declaration
     * @param length    how many structs, at least 1
     * @param <T>       the flyweight type
     * @return the array, attached
     * @throws IllegalArgumentException when {@code length} is out of range or the array would exceed 1 GiB
     * @throws io.millrace.shm.RegionException when the region exists or the file system has no room
     */
    public static <T> StructArray<T> create(ShmDirectory directory, String name, StructType<T> type, int length) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(type, "type");
        long bytes = ELEMENTS_OFFSET + (long) length * type.layout.stride;
        if (length < 1 || bytes > MAX_BLOCK) {
            throw new IllegalArgumentException("struct array '" + name + "': length=" + length + " of "
                    + type.layout.stride + "-byte elements (" + type.declaration.getName() + ") must be at least 1 and"
                    + " fit 1 GiB");
        }
        SharedRegion region = directory.create(RegionSpec.named(name).block(BLOCK, (int) bytes)
                .block(StatsTable.BLOCK, (int) StatsTable.BYTES).build());
        MemorySegment block = region.block(BLOCK);
        byte[] schema = type.layout.schema().getBytes(StandardCharsets.UTF_8);
        int schemaLength = Math.min(schema.length, SCHEMA_CAPACITY);
        INT.set(block, VERSION_OFFSET, VERSION);
        INT.set(block, COUNT_OFFSET, length);
        LONG.set(block, STRIDE_OFFSET, type.layout.stride);
        LONG.set(block, HASH_OFFSET, type.layout.schemaHash());
        INT.set(block, SCHEMA_LENGTH_OFFSET, schemaLength);
        MemorySegment.copy(schema, 0, block, ValueLayout.JAVA_BYTE, SCHEMA_OFFSET, schemaLength);
        LONG.setRelease(block, MAGIC_OFFSET, MAGIC);
        return new StructArray<>(region, type, length);
    }

    /**
     * Opens the struct array {@code name} that some process created, waiting up to {@code timeout} for it.
     *
     * @param directory the base directory
     * @param name      the region's name
     * @param type      the declaration, which must lay out as the creator's did
     * @param timeout   how long to wait for the region to appear and be laid out
     * @param <T>       the flyweight type
     * @return the array, attached
     * @throws SharedStateException {@code SCHEMA_MISMATCH} (names the first field that differs), {@code CORRUPT},
     *                              {@code VERSION_MISMATCH}, {@code NOT_READY}
     * @throws io.millrace.shm.RegionException when the region is missing or no struct array
     */
    public static <T> StructArray<T> open(ShmDirectory directory, String name, StructType<T> type, Duration timeout) {
        Objects.requireNonNull(type, "type");
        long deadline = System.nanoTime() + timeout.toNanos();
        SharedRegion region = directory.attach(name, timeout);
        try {
            MemorySegment block = region.block(BLOCK);
            BlockHeader.await("struct array '" + name + "'", block, MAGIC, VERSION_OFFSET, VERSION, ELEMENTS_OFFSET,
                    deadline, timeout);
            int count = (int) INT.get(block, COUNT_OFFSET);
            long stride = (long) LONG.get(block, STRIDE_OFFSET);
            int schemaLength = (int) INT.get(block, SCHEMA_LENGTH_OFFSET);
            if (stride < 8 || stride > StructLayout.MAX_STRIDE || (stride & 7) != 0) {
                throw corrupt(name, "stride=" + stride);
            }
            if (count < 1 || ELEMENTS_OFFSET + count * stride > block.byteSize()) {
                throw corrupt(name, "count=" + count + " (stride=" + stride + ", blockSize=" + block.byteSize() + ")");
            }
            if (schemaLength < 0 || schemaLength > SCHEMA_CAPACITY) {
                throw corrupt(name, "schemaLength=" + schemaLength);
            }
            String schema = new String(block.asSlice(SCHEMA_OFFSET, schemaLength).toArray(ValueLayout.JAVA_BYTE),
                    StandardCharsets.UTF_8);
            if ((long) LONG.get(block, HASH_OFFSET) != type.layout.schemaHash() || stride != type.layout.stride) {
                throw new SharedStateException(SharedStateException.Reason.SCHEMA_MISMATCH, "struct array '" + name
                        + "' was laid out as [" + schema + "] but " + type.declaration.getName() + " lays out as ["
                        + type.layout.schema() + "]: " + firstDifference(schema, type.layout.schema()));
            }
            return new StructArray<>(region, type, count);
        } catch (RuntimeException e) {
            region.close();
            throw e;
        }
    }

    private static String firstDifference(String theirs, String ours) {
        String[] a = theirs.split("[,;]");
        String[] b = ours.split("[,;]");
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String x = i < a.length ? a[i] : "(none)";
            String y = i < b.length ? b[i] : "(none)";
            if (!x.equals(y)) {
                return "field '" + (y.equals("(none)") ? x : y).split(":")[0] + "' differs (file: " + x
                        + ", declaration: " + y + ")";
            }
        }
        return "schema hashes differ";
    }

    private static SharedStateException corrupt(String name, String field) {
        return BlockHeader.corrupt("struct array '" + name + "'", field);
    }

    /**
     * The flyweight of element {@code index}: its reads and writes go to shared memory. The same object on every call.
     *
     * @param index 0 to {@code length() - 1}
     * @return the struct at {@code index}
     * @throws IndexOutOfBoundsException naming the index and the length
     */
    public T get(int index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException("struct array '" + name() + "': index=" + index + " length=" + length);
        }
        T struct = flyweights.getPlain(index);
        if (struct == null) {
            struct = create(index);
            if (!flyweights.compareAndSet(index, null, struct)) {
                struct = flyweights.get(index);
            }
        }
        return struct;
    }

    @SuppressWarnings("unchecked")
    private T create(int index) {
        try {
            return (T) type.factory.invoke(this, index);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@return how many structs the array holds} */
    public int length() {
        return length;
    }

    /** {@return the region's name} */
    public String name() {
        return region.name();
    }

    /** {@return the declaration this array was opened with} */
    public StructType<T> type() {
        return type;
    }

    /** {@return how many updates and transactions of processes that died inside them this process finished or undid} */
    public long recoveries() {
        return recoveries.get();
    }

    /** {@return the conflict statistics of the transactions on this array, per site, summed over every process} */
    public List<TransactionStats> transactionStats() {
        return StatsTable.read(region.block(StatsTable.BLOCK));
    }

    void checkOpen() {
        if (region.isClosed()) {
            throw new IllegalStateException("struct array '" + name() + "' is closed");
        }
    }

    /** Detaches this process (flyweights must not be used after); the region stays. */
    @Override
    public void close() {
        region.close();
    }

    /** Removes the region's file; processes that have it open keep using it. */
    public void unlink() {
        region.unlink();
    }
}
