package io.millrace.actors.codec;

import io.millrace.shm.RegionSpec;
import io.millrace.shm.SharedRegion;
import io.millrace.shm.ShmDirectory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * A {@link TypeRegistry} that every process of a base directory shares: a table of class names in a block of shared
 * memory, so that two processes agree on the id of a class whatever order they meet their classes in.
 *
 * <pre>{@code
 * try (SharedTypeRegistry types = SharedTypeRegistry.open(ShmDirectory.defaultDirectory(), Duration.ofSeconds(5))) {
 *     MessageCodec codec = new MessageCodec(types);
 *     ...
 * }
 * }</pre>
 * The table is the block {@value #BLOCK} of the region {@value #REGION}; it outlives the processes, like the base
 * directory's other regions ({@code millrace clean} removes it when no process is attached).
 */
public final class SharedTypeRegistry implements TypeRegistry, AutoCloseable {
    /** The region that holds the table. */
    public static final String REGION = "millrace-types";
    /** The block of {@link #REGION} that holds the table. */
    public static final String BLOCK = "types";
    /** The default size of the block: 1023 entries. */
    public static final int DEFAULT_BYTES = 256 * 1024;
    /** The longest class name, in UTF-8 bytes, that an entry holds. */
    public static final int MAX_NAME_BYTES = TypeTable.ENTRY_LENGTH - TypeTable.NAME_OFFSET;

    private final TypeTable table;
    private final SharedRegion region;
    private final ConcurrentHashMap<String, Integer> ids = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, String> names = new ConcurrentHashMap<>();

    SharedTypeRegistry(MemorySegment block, SharedRegion region, LongSupplier clockMillis, Duration staleClaim,
                       Duration readTimeout) {
        this.table = new TypeTable(block, clockMillis, staleClaim.toMillis(), readTimeout.toNanos());
        this.region = region;
    }

    /**
     * Creates or attaches the base directory's table, of {@link #DEFAULT_BYTES}.
     *
     * @param directory the base directory
     * @param timeout   how long to wait for another process that is creating the region
     * @return the registry; close it to unmap the region
     */
    public static SharedTypeRegistry open(ShmDirectory directory, Duration timeout) {
        return open(directory, DEFAULT_BYTES, timeout);
    }

    /**
     * As {@link #open(ShmDirectory, Duration)}, with a block of {@code bytes} when this process creates it (an
     * existing table keeps its size).
     *
     * @param directory the base directory
     * @param bytes     the block's size: 256 bytes of header, then 256 bytes an entry
     * @param timeout   how long to wait for another process that is creating the region
     * @return the registry; close it to unmap the region
     */
    public static SharedTypeRegistry open(ShmDirectory directory, int bytes, Duration timeout) {
        Objects.requireNonNull(directory, "directory");
        if (bytes < TypeTable.ENTRIES_OFFSET + TypeTable.ENTRY_LENGTH) {
            throw new IllegalArgumentException("bytes=" + bytes + " must hold at least one entry ("
                    + (TypeTable.ENTRIES_OFFSET + TypeTable.ENTRY_LENGTH) + ")");
        }
        SharedRegion region = directory.createOrAttach(RegionSpec.named(REGION).block(BLOCK, bytes).build(), timeout);
        try {
            return new SharedTypeRegistry(region.block(BLOCK), region, System::currentTimeMillis,
                    Duration.ofSeconds(2), Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            region.close();
            throw e;
        }
    }

    /**
     * A registry over a block that the caller maps and keeps mapped (a block of a region of its own).
     *
     * @param block zeroed, or a table written by this class
     * @return the registry; closing it leaves the block alone
     */
    public static SharedTypeRegistry over(MemorySegment block) {
        return new SharedTypeRegistry(block, null, System::currentTimeMillis, Duration.ofSeconds(2),
                Duration.ofSeconds(5));
    }

    @Override
    public int idOf(String className) {
        Integer id = ids.get(className);
        if (id != null) {
            return id;
        }
        if (className == null || className.isEmpty()) {
            throw new IllegalArgumentException("className=" + className + " must be a class name");
        }
        byte[] bytes = className.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_NAME_BYTES) {
            throw new CodecException("class name " + className + " is " + bytes.length + " bytes, longer than the "
                    + MAX_NAME_BYTES + " a type table entry holds");
        }
        int registered = table.idOf(bytes, className);
        ids.putIfAbsent(className, registered);
        names.putIfAbsent(registered, className);
        return registered;
    }

    @Override
    public String nameOf(int id) {
        String name = names.get(id);
        if (name == null) {
            name = table.nameOf(id);
            names.putIfAbsent(id, name);
        }
        return name;
    }

    /** Claims an id for {@code className} and never publishes it, as a process that dies at that point: tests. */
    int claimWithoutPublishing(String className) {
        TypeTable.Claim claim;
        while ((claim = table.claim(className.getBytes(StandardCharsets.UTF_8), className)) == null) {
            Thread.onSpinWait();
        }
        return claim.id();
    }

    /** @return how many entries the table has, claimed or not */
    public int capacity() {
        return table.capacity;
    }

    /** @return how many ids have been claimed so far, by all processes */
    public int claimed() {
        return table.claimed();
    }

    /**
     * Unmaps the region if {@link #open} mapped it; the table stays for other processes. Keep the registry open as
     * long as codecs that use it run: while no process has the region open, {@code millrace clean} may remove it, and
     * a new table would give other ids than those a codec has cached.
     */
    @Override
    public void close() {
        if (region != null) {
            region.close();
        }
    }

    @Override
    public String toString() {
        return "SharedTypeRegistry[claimed=" + table.claimed() + ", capacity=" + table.capacity + "]";
    }

    /**
     * The table's layout and protocol.
     *
     * <pre>
     *   +----------------------------------------------+  0
     *   | format: long "MRTYPES1", CAS from 0 by any     |
     *   +----------------------------------------------+  128
     *   | claimed: int, ids taken so far (may lag by 1)  |
     *   +----------------------------------------------+  256
     *   | entry 0 (256 bytes): state long | nameLength int | name (UTF-8, up to 244) |
     *   | entry 1 ...                                    |
     *   +----------------------------------------------+  256 + 256 x capacity
     *
     *   state = 0 free | CLAIMED | claim time in ms | PUBLISHED | ABANDONED   (two top bits: 01, 10, 11)
     * </pre>
     * <b>Register</b> (a name not found among the entries below {@code claimed}): read {@code claimed} = c; CAS entry
     * c's state from 0 to CLAIMED|now (on failure another process got c: help it by CAS of {@code claimed} from c to
     * c+1, and start again); CAS {@code claimed} from c to c+1; write the name; CAS the state from CLAIMED|now to
     * PUBLISHED (the CAS is the release: whoever reads PUBLISHED with acquire sees the name). c is the id.
     * <b>Find</b> walks entries 0..claimed-1 reading each state with acquire: PUBLISHED is compared by name, ABANDONED
     * skipped, CLAIMED waited for (the claimant is writing a name that may be the one sought) until it is published
     * or older than {@code staleClaim}: then it is CASed to ABANDONED and skipped. So a process that dies between
     * claim and publish delays the others once, by at most {@code staleClaim}, and a claimant that was only slow finds
     * its publish CAS failing and registers again under a new id. Two ids for one name (two processes registering it
     * at once) are harmless: both decode to the class.
     * <b>Name of an id</b> waits (up to {@code readTimeout}) for CLAIMED to become PUBLISHED; a free or abandoned
     * entry, or an id past the table, is a {@link CodecException}. A full table is a {@link TypeTableFullException}.
     */
    static final class TypeTable {
        static final long FORMAT = 0x3153455059545252L; // "RRTYPES1" read as little-endian bytes
        static final long FORMAT_OFFSET = 0;
        static final long CLAIMED_OFFSET = 128;
        static final int ENTRIES_OFFSET = 256;
        static final int ENTRY_LENGTH = 256;
        static final int NAME_LENGTH_OFFSET = 8;
        static final int NAME_OFFSET = 12;
        static final long STATE_MASK = 3L << 62;
        static final long CLAIMED = 1L << 62;
        static final long PUBLISHED = 2L << 62;
        static final long ABANDONED = 3L << 62;

        private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();
        private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();

        private final MemorySegment block;
        final int capacity;
        private final LongSupplier clock;
        private final long staleMillis;
        private final long readTimeoutNanos;

        TypeTable(MemorySegment block, LongSupplier clock, long staleMillis, long readTimeoutNanos) {
            Objects.requireNonNull(block, "block");
            if (block.byteSize() < ENTRIES_OFFSET + ENTRY_LENGTH) {
                throw new CodecException("a type table block needs at least " + (ENTRIES_OFFSET + ENTRY_LENGTH)
                        + " bytes, byteSize=" + block.byteSize());
            }
            if (block.address() % 8 != 0) {
                throw new IllegalArgumentException("block address=" + block.address() + " is not 8-byte aligned");
            }
            this.block = block;
            this.capacity = (int) Math.min(Integer.MAX_VALUE, (block.byteSize() - ENTRIES_OFFSET) / ENTRY_LENGTH);
            this.clock = clock;
            this.staleMillis = staleMillis;
            this.readTimeoutNanos = readTimeoutNanos;
            long format = (long) LONG.compareAndExchange(block, FORMAT_OFFSET, 0L, FORMAT);
            if (format != 0 && format != FORMAT) {
                throw new CodecException("the block is not a type table: format=0x" + Long.toHexString(format)
                        + ", expected=0x" + Long.toHexString(FORMAT));
            }
        }

        int claimed() {
            return Math.min(capacity, (int) INT.getAcquire(block, CLAIMED_OFFSET));
        }

        private static long entry(int id) {
            return ENTRIES_OFFSET + (long) id * ENTRY_LENGTH;
        }

        private long stateAcquire(int id) {
            return (long) LONG.getAcquire(block, entry(id));
        }

        private boolean casState(int id, long expected, long value) {
            return LONG.compareAndSet(block, entry(id), expected, value);
        }

        int idOf(byte[] name, String className) {
            int scanned = 0;
            while (true) {
                int end = claimed();
                int found = find(name, scanned, end);
                if (found >= 0) {
                    return found;
                }
                scanned = end;
                Claim claim = claim(name, className);
                if (claim != null && casState(claim.id, claim.state, PUBLISHED)) {
                    return claim.id;
                }
                // lost the entry to another claimant, or another process took us for dead and abandoned it
            }
        }

        /** Entry {@code id}, claimed with state word {@code state}: the name is written, not yet published. */
        record Claim(int id, long state) {
        }

        /** Claims the next free entry and writes {@code name} into it; null if another process claimed it first. */
        Claim claim(byte[] name, String className) {
            int c = (int) INT.getAcquire(block, CLAIMED_OFFSET);
            if (c >= capacity) {
                throw new TypeTableFullException("the type table is full: all capacity=" + capacity
                        + " entries are taken, so " + className + " gets no id (give the block more bytes)");
            }
            long state = CLAIMED | (clock.getAsLong() & ~STATE_MASK);
            if (!casState(c, 0L, state)) {
                boolean ignored = INT.compareAndSet(block, CLAIMED_OFFSET, c, c + 1); // help the claimant
                return null;
            }
            boolean ignored = INT.compareAndSet(block, CLAIMED_OFFSET, c, c + 1);
            long at = entry(c);
            INT.set(block, at + NAME_LENGTH_OFFSET, name.length);
            MemorySegment.copy(name, 0, block, ValueLayout.JAVA_BYTE, at + NAME_OFFSET, name.length);
            return new Claim(c, state);
        }

        private int find(byte[] name, int from, int end) {
            for (int id = from; id < end; id++) {
                long state = awaitSettled(id);
                if (state == PUBLISHED && nameEquals(id, name)) {
                    return id;
                }
            }
            return -1;
        }

        /** Waits while entry {@code id} is claimed and not stale; returns PUBLISHED, ABANDONED or 0. */
        private long awaitSettled(int id) {
            for (int spins = 0; ; spins++) {
                long state = stateAcquire(id);
                long kind = state & STATE_MASK;
                if (kind != CLAIMED) {
                    return kind;
                }
                if (clock.getAsLong() - (state & ~STATE_MASK) > staleMillis) {
                    casState(id, state, ABANDONED);
                    continue;
                }
                pause(spins);
            }
        }

        private boolean nameEquals(int id, byte[] name) {
            long at = entry(id);
            if ((int) INT.get(block, at + NAME_LENGTH_OFFSET) != name.length) {
                return false;
            }
            return MemorySegment.mismatch(block, at + NAME_OFFSET, at + NAME_OFFSET + name.length,
                    MemorySegment.ofArray(name), 0, name.length) < 0;
        }

        String nameOf(int id) {
            if (id < 0 || id >= capacity) {
                throw new CodecException("no type registered under id=" + Integer.toUnsignedString(id)
                        + ": the table has capacity=" + capacity);
            }
            long deadline = System.nanoTime() + readTimeoutNanos;
            for (int spins = 0; ; spins++) {
                long state = stateAcquire(id);
                long kind = state & STATE_MASK;
                if (kind == PUBLISHED) {
                    return readName(id);
                }
                if (kind == 0) {
                    throw new CodecException("no type registered under id=" + id + " (claimed=" + claimed() + ")");
                }
                if (kind == ABANDONED) {
                    throw new CodecException("type id=" + id + " was abandoned before its name was published");
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new CodecException("type id=" + id + " was claimed at millis=" + (state & ~STATE_MASK)
                            + " and its name not published within " + Duration.ofNanos(readTimeoutNanos));
                }
                pause(spins);
            }
        }

        private String readName(int id) {
            long at = entry(id);
            int length = (int) INT.get(block, at + NAME_LENGTH_OFFSET);
            if (length < 1 || length > MAX_NAME_BYTES) {
                throw new CodecException("corrupt type table entry id=" + id + ": nameLength=" + length);
            }
            byte[] bytes = new byte[length];
            MemorySegment.copy(block, ValueLayout.JAVA_BYTE, at + NAME_OFFSET, bytes, 0, length);
            return new String(bytes, StandardCharsets.UTF_8);
        }

        private static void pause(int spins) {
            if (spins < 100) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(100_000);
            }
        }

        @Override
        public String toString() {
            return "TypeTable[claimed=" + claimed() + ", capacity=" + capacity + "]";
        }
    }
}
