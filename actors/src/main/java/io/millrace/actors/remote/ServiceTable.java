package io.millrace.actors.remote;

import io.millrace.actors.ActorPath;
import io.millrace.shm.RegionSpec;
import io.millrace.shm.SharedRegion;
import io.millrace.shm.ShmDirectory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The host-wide half of the receptionist: a table of (service key, actor) registrations in a region that every node
 * of the base directory shares ({@value #REGION}, created by whichever node needs it first).
 *
 * <pre>
 *   block "services": a 128-byte header, then capacity entries of 384 bytes
 *   header  | generation (long): bumped after every change | capacity (int) |
 *   entry   | owner pid (0: free) | owner start (ms) | version (odd while written) | node | uid |
 *           | key: length byte + 127 | system: length byte + 63 | path: length byte + 143 |
 * </pre>
 *
 * <h2>Protocol</h2>
 * A writer claims a free entry by compare-and-set of its owner from 0 to its pid, stamps its start time, makes the
 * version odd, writes the fields, makes the version even with release, and bumps the generation. Removal clears the
 * start time, then sets the owner back to 0 (and bumps the generation); an owner with start time 0 is being claimed
 * and is judged by its pid alone. A reader takes an entry when its owner is non-zero and the version,
 * read before and after the fields (an acquire fence between), is the same even number: an entry removed and claimed
 * again meanwhile has another version. An entry whose owner process is gone (pid and start time no longer match a
 * live process) is removed by whoever finds it, so a killed node leaves no registration behind for long. Subscribers
 * poll {@link #generation()}, one load, and read the table again only when it moved.
 */
public final class ServiceTable implements AutoCloseable {
    /** The region every node shares. */
    public static final String REGION = "millrace-receptionist";
    static final String BLOCK = "services";
    /** Entries the table holds: registrations across every node of the base directory. */
    public static final int CAPACITY = 4096;
    static final int MAX_KEY = 127;
    static final int MAX_SYSTEM = 63;
    static final int MAX_PATH = 143;

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();
    private static final long HEADER = 128;
    private static final long ENTRY = 384;
    private static final long OWNER = 0;
    private static final long OWNER_START = 8;
    private static final long VERSION = 16;
    private static final long NODE = 24;
    private static final long UID = 32;
    private static final long KEY = 40;
    private static final long SYSTEM = KEY + 1 + MAX_KEY;
    private static final long PATH = SYSTEM + 1 + MAX_SYSTEM;
    private static final long PID = ProcessHandle.current().pid();
    private static final long START = ProcessHandle.current().info().startInstant().map(i -> i.toEpochMilli()).orElse(0L);

    private final SharedRegion region;
    private final MemorySegment table;

    private ServiceTable(SharedRegion region) {
        this.region = region;
        this.table = region.block(BLOCK);
    }

    /** Opens the base directory's table, creating it when this is the first node to need it. */
    public static ServiceTable open(ShmDirectory directory, Duration timeout) {
        RegionSpec spec = RegionSpec.named(REGION).block(BLOCK, (int) (HEADER + CAPACITY * ENTRY)).build();
        return new ServiceTable(directory.createOrAttach(spec, timeout));
    }

    /**
     * Registers {@code path} under {@code key}.
     *
     * @throws IllegalArgumentException if the key, the system name or the path is too long
     * @throws IllegalStateException    if all {@value #CAPACITY} entries hold registrations of live processes
     */
    public void register(String key, ActorPath path) {
        byte[] keyBytes = ascii("key", key, MAX_KEY);
        byte[] system = ascii("system", path.system(), MAX_SYSTEM);
        byte[] pathBytes = ascii("path", path.path(), MAX_PATH);
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < CAPACITY; i++) {
                long at = HEADER + i * ENTRY;
                if ((long) LONG.getVolatile(table, at + OWNER) == 0 && LONG.compareAndSet(table, at + OWNER, 0L, PID)) {
                    LONG.setRelease(table, at + OWNER_START, START);
                    long version = (long) LONG.getAndAdd(table, at + VERSION, 1L) + 1; // odd: being written
                    LONG.set(table, at + NODE, path.node());
                    LONG.set(table, at + UID, path.uid());
                    put(at + KEY, keyBytes);
                    put(at + SYSTEM, system);
                    put(at + PATH, pathBytes);
                    LONG.setRelease(table, at + VERSION, version + 1);
                    bump();
                    return;
                }
            }
            reclaimDead();
        }
        throw new IllegalStateException("the receptionist table of " + region.directory().path() + " is full: "
                + CAPACITY + " registrations of live processes");
    }

    /** Removes this process's registrations of {@code path} under {@code key}; returns how many. */
    public int deregister(String key, ActorPath path) {
        Objects.requireNonNull(key, "key");
        return remove(entry -> entry.key.equals(key) && entry.path.node() == path.node() && entry.path.uid() == path.uid());
    }

    /** Removes every registration of node {@code node} made by this process (the node terminates). */
    public int deregisterNode(long node) {
        return remove(entry -> entry.path.node() == node);
    }

    /** The actors registered under {@code key} now, on every node, in table order. */
    public List<ActorPath> find(String key) {
        Objects.requireNonNull(key, "key");
        List<ActorPath> result = new ArrayList<>();
        for (int i = 0; i < CAPACITY; i++) {
            Entry entry = read(HEADER + i * ENTRY);
            if (entry != null && entry.key.equals(key)) {
                result.add(entry.path);
            }
        }
        return result;
    }

    /** A number that changes whenever a registration is added or removed. */
    public long generation() {
        return (long) LONG.getAcquire(table, 0L);
    }

    /** Removes registrations whose owner process is gone; returns how many. */
    public int reclaimDead() {
        int removed = 0;
        for (int i = 0; i < CAPACITY; i++) {
            long at = HEADER + i * ENTRY;
            long owner = (long) LONG.getVolatile(table, at + OWNER);
            if (owner == 0 || owner == PID) {
                continue;
            }
            long start = (long) LONG.getAcquire(table, at + OWNER_START);
            if (!alive(owner, start)) {
                free(at, owner);
                removed++;
            }
        }
        if (removed > 0) {
            bump();
        }
        return removed;
    }

    @Override
    public void close() {
        region.close();
    }

    private int remove(java.util.function.Predicate<Entry> which) {
        int removed = 0;
        for (int i = 0; i < CAPACITY; i++) {
            long at = HEADER + i * ENTRY;
            if ((long) LONG.getVolatile(table, at + OWNER) != PID) {
                continue;
            }
            Entry entry = read(at);
            if (entry != null && which.test(entry)) {
                free(at, PID);
                removed++;
            }
        }
        if (removed > 0) {
            bump();
        }
        return removed;
    }

    /** The entry at {@code at} as one consistent read, or null when it is free or changing. */
    private Entry read(long at) {
        for (int attempt = 0; attempt < 3; attempt++) {
            long version = (long) LONG.getAcquire(table, at + VERSION);
            if ((long) LONG.getVolatile(table, at + OWNER) == 0) {
                return null;
            }
            if ((version & 1) != 0) {
                continue;
            }
            long node = (long) LONG.get(table, at + NODE);
            long uid = (long) LONG.get(table, at + UID);
            String key = get(at + KEY, MAX_KEY);
            String system = get(at + SYSTEM, MAX_SYSTEM);
            String path = get(at + PATH, MAX_PATH);
            VarHandle.acquireFence();
            if ((long) LONG.getAcquire(table, at + VERSION) == version) {
                if (system.isEmpty() || !path.startsWith("/")) {
                    return null; // not a valid entry: written by something else than this class
                }
                return new Entry(key, new ActorPath(system, node, path, uid));
            }
        }
        return null;
    }

    /**
     * Frees the entry at {@code at} of {@code owner}: the start time goes first, so that a claimer that takes the entry
     * next is seen with start 0 (being claimed) and never judged by its predecessor's start time.
     */
    private void free(long at, long owner) {
        LONG.setRelease(table, at + OWNER_START, 0L);
        boolean ignored = LONG.compareAndSet(table, at + OWNER, owner, 0L);
    }

    private void bump() {
        long ignored = (long) LONG.getAndAdd(table, 0L, 1L);
    }

    private void put(long at, byte[] bytes) {
        table.set(ValueLayout.JAVA_BYTE, at, (byte) bytes.length);
        MemorySegment.copy(bytes, 0, table, ValueLayout.JAVA_BYTE, at + 1, bytes.length);
    }

    private String get(long at, int max) {
        int length = Math.min(table.get(ValueLayout.JAVA_BYTE, at) & 0xFF, max);
        byte[] bytes = new byte[length];
        MemorySegment.copy(table, ValueLayout.JAVA_BYTE, at + 1, bytes, 0, length);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String what, String value, int max) {
        byte[] bytes = Objects.requireNonNull(value, what).getBytes(StandardCharsets.UTF_8);
        if (bytes.length > max) {
            throw new IllegalArgumentException(what + "=" + value + " is " + bytes.length + " bytes; at most " + max
                    + " fit a receptionist entry");
        }
        return bytes;
    }

    /** True when the owner lives; start 0 is an entry being claimed, judged by its pid alone. */
    private static boolean alive(long pid, long startMillis) {
        if (startMillis == 0) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .map(h -> h.info().startInstant().map(i -> i.toEpochMilli() == startMillis).orElse(true))
                .orElse(false);
    }

    private record Entry(String key, ActorPath path) {
    }
}
