package io.millrace.shm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * A region mapped into this process: a memory-mapped file holding named rings and atomics that every process
 * attached to it shares. Created or attached through {@link ShmDirectory}; this process is registered as a
 * participant (pid, start time, heartbeat) until {@link #close()}.
 *
 * <p>{@code close()} detaches this process (it stops being the consumer or a producer of its rings, so peers
 * blocked on it are told) and unmaps the file; it does not remove it. {@link #unlink()} removes the file; the
 * memory stays valid for every process that still has it mapped.
 */
public final class SharedRegion implements AutoCloseable {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();
    /** How long {@link #close} waits for a claim of this process under way before it frees the slot anyway. */
    static final long CLAIMS_WAIT_NANOS = 1_000_000_000L;

    /** A named structure found in the region's directory. */
    record Entry(String name, RegionSpec.Kind kind, int capacity, long offset, long length) {
    }

    private final ShmDirectory directory;
    private final String name;
    private final Path path;
    private final Arena arena;
    private final MemorySegment segment;
    private final Map<String, Entry> entries;
    private final Participants participants;
    private final int slot;
    /** This attachment's participant reference: slot and incarnation (see {@link Participants}). */
    private final long ref;
    private final Map<String, Object> handles = new ConcurrentHashMap<>();
    private final Set<Ring> registered = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    SharedRegion(ShmDirectory directory, String name, Path path, Arena arena, MemorySegment segment) {
        this.directory = directory;
        this.name = name;
        this.path = path;
        this.arena = arena;
        this.segment = segment;
        this.entries = RegionValidator.readDirectory(name, segment);
        int capacity = (int) INT.getAcquire(segment, RegionDescriptor.PARTICIPANT_CAPACITY_OFFSET);
        this.participants = new Participants(segment, capacity);
        this.ref = participants.register(ProcessIdentity.current(), name);
        this.slot = Participants.slotOf(ref);
        Heartbeat.add(this);
    }

    public String name() {
        return name;
    }

    public Path path() {
        return path;
    }

    public ShmDirectory directory() {
        return directory;
    }

    /** Size of the region file in bytes. */
    public long size() {
        return segment.byteSize();
    }

    /** The ring {@code name}, SPSC or MPSC as it was created; the same handle on every call. */
    public Ring ring(String ringName) {
        Entry entry = entry(ringName, "ring");
        if (!entry.kind().isRing()) {
            throw noSuch(ringName, "ring", entry.kind());
        }
        return (Ring) handles.computeIfAbsent(ringName, n -> new Ring(this, n,
                entry.kind() == RegionSpec.Kind.SPSC_RING, segment, entry.offset(), entry.capacity()));
    }

    /** The shared atomic long {@code name}. */
    public SharedAtomicLong atomicLong(String atomicName) {
        Entry entry = entry(atomicName, "atomic long");
        if (entry.kind() != RegionSpec.Kind.ATOMIC_LONG) {
            throw noSuch(atomicName, "atomic long", entry.kind());
        }
        return (SharedAtomicLong) handles.computeIfAbsent(atomicName,
                n -> new SharedAtomicLong(n, segment, entry.offset()));
    }

    /** The shared atomic int {@code name}. */
    public SharedAtomicInt atomicInt(String atomicName) {
        Entry entry = entry(atomicName, "atomic int");
        if (entry.kind() != RegionSpec.Kind.ATOMIC_INT) {
            throw noSuch(atomicName, "atomic int", entry.kind());
        }
        return (SharedAtomicInt) handles.computeIfAbsent(atomicName,
                n -> new SharedAtomicInt(n, segment, entry.offset()));
    }

    /**
     * The block {@code name} (see {@link RegionSpec.Builder#block}): its bytes, shared with every process that maps
     * the region, valid until {@link #close()}. Access it with the {@code VarHandle}s of {@code ValueLayout}s; plain
     * accesses give no ordering between processes.
     */
    public MemorySegment block(String blockName) {
        Entry entry = entry(blockName, "block");
        if (entry.kind() != RegionSpec.Kind.BLOCK) {
            throw noSuch(blockName, "block", entry.kind());
        }
        return segment.asSlice(entry.offset(), entry.capacity());
    }

    /** The structures laid out in this region, in creation order. */
    public List<RegionSpec.Structure> structures() {
        List<RegionSpec.Structure> result = new ArrayList<>();
        entries.values().forEach(e -> result.add(new RegionSpec.Structure(e.name(), e.kind(), e.capacity())));
        return result;
    }

    /**
     * This attachment's participant reference, {@code incarnation << 32 | slot + 1}: a value that names this process
     * for as long as it stays attached, and never a later occupant of its slot. Structures built on a region (an
     * owner-named lock word, say) store it so that others can ask {@link #isParticipantAlive(long)}.
     *
     * @return a positive reference, never 0
     */
    public long participantRef() {
        return ref;
    }

    /**
     * True while the incarnation {@code participantRef} names still holds its slot and its process lives (pid and
     * start time, zombies dead): the check every decision that acts on a death makes. Reads {@code /proc}.
     *
     * @param participantRef a reference from {@link #participantRef()} of any process attached to this region
     * @return whether that participant is attached and alive
     * @throws IllegalArgumentException when the reference names no slot of this region
     */
    public boolean isParticipantAlive(long participantRef) {
        int refSlot = Participants.slotOf(participantRef);
        if (participantRef <= 0 || refSlot < 0 || refSlot >= participants.capacity()) {
            throw new IllegalArgumentException("participantRef=" + participantRef + " names no slot of region '"
                    + name + "' (participants=" + participants.capacity() + ")");
        }
        return participants.isAlive(participantRef);
    }

    /** The processes attached now, this one included. */
    public List<ParticipantInfo> participantList() {
        return participants.snapshot();
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Detaches this process and unmaps the region. Open claims ({@link Ring#tryClaim} without commit) and unflushed
     * {@link Ring.Batch} records of this process are aborted first (the consumer passes them unseen); then this
     * process stops being the consumer and a producer of its rings (a consumer whose producers all left this way sees
     * the end of the stream). Threads of this process blocked in {@code receive} or
     * {@code send} on its rings are woken and get a {@link ShmException}; other calls on its rings fail with
     * {@link IllegalStateException}. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        Heartbeat.remove(this);
        for (Ring ring : registered) {
            ring.deregister();
        }
        long claimsDeadline = System.nanoTime() + CLAIMS_WAIT_NANOS;
        for (Object handle : handles.values()) {
            if (handle instanceof Ring ring) {
                ring.producer().awaitClaimsEnded(claimsDeadline); // freed, the slot reads as dead: no claim may be open
            }
        }
        participants.release(ref);
        for (Object handle : handles.values()) {
            if (handle instanceof Ring ring) {
                ring.wakeSleepers();
            }
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            try {
                arena.close();
                return;
            } catch (IllegalStateException inUse) {
                // a thread of ours is still inside a futex wait on this memory; it leaves once woken
                if (System.nanoTime() - deadline > 0) {
                    throw new ShmException("region '" + name + "' could not be unmapped: still in use by a thread", inUse);
                }
                for (Object handle : handles.values()) {
                    if (handle instanceof Ring ring) {
                        ring.wakeSleepers();
                    }
                }
                LockSupport.parkNanos(1_000_000L);
            }
        }
    }

    /** Removes the region's file; processes that have it mapped keep using it until they close it. */
    public void unlink() {
        directory.unlink(name);
    }

    @Override
    public String toString() {
        return "SharedRegion[" + path + ", slot=" + slot + (closed ? ", closed" : "") + "]";
    }

    // ---------------------------------------------------------------- package-private plumbing

    int slot() {
        return slot;
    }

    long ref() {
        return ref;
    }

    Participants participants() {
        return participants;
    }

    void onRegistered(Ring ring) {
        registered.add(ring);
    }

    void beat() {
        if (!closed) {
            participants.heartbeat(slot);
        }
    }

    void checkOpen() {
        if (closed) {
            throw new ShmException("region '" + name + "' is closed");
        }
    }

    private Entry entry(String structure, String what) {
        checkOpen();
        Entry entry = entries.get(structure);
        if (entry == null) {
            throw new RegionException(RegionException.Reason.NO_SUCH_STRUCTURE, "region '" + name + "' has no "
                    + what + " named '" + structure + "'; it has: " + entries.keySet());
        }
        return entry;
    }

    private RegionException noSuch(String structure, String what, RegionSpec.Kind actual) {
        return new RegionException(RegionException.Reason.NO_SUCH_STRUCTURE, "'" + structure + "' in region '"
                + name + "' is a " + actual + ", not a " + what);
    }
}
