package io.millrace.actors.remote;

import io.millrace.shm.CleanDecision;
import io.millrace.shm.RegionException;
import io.millrace.shm.RegionSpec;
import io.millrace.shm.Ring;
import io.millrace.shm.SharedRegion;
import io.millrace.shm.ShmDirectory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

import static io.millrace.actors.remote.NodeDescriptor.INFO;

/**
 * A node's region mapped into this process (see {@link NodeDescriptor}): either the node's own, made by
 * {@link #create}, whose lane rings this process consumes, or a peer's, found by {@link #attach}, whose rings this
 * process writes to.
 */
public final class NodeRegion implements AutoCloseable {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();
    /** Lane counts and ring sizes a node may have. */
    public static final int MAX_LANES = 64;

    private final long id;
    private final SharedRegion region;
    private final MemorySegment info;
    private final Ring[] lanes;
    private final boolean own;

    private NodeRegion(long id, SharedRegion region, boolean own) {
        this.id = id;
        this.region = region;
        this.own = own;
        this.info = region.block(INFO);
        int count = (int) INT.getAcquire(info, NodeDescriptor.LANES_OFFSET);
        if (count < 1 || count > MAX_LANES) {
            region.close();
            throw new RegionException(RegionException.Reason.NO_SUCH_STRUCTURE, "node region '" + region.name()
                    + "' has lanes=" + count + ", not 1 to " + MAX_LANES);
        }
        this.lanes = new Ring[count];
        for (int i = 0; i < count; i++) {
            lanes[i] = region.ring(NodeDescriptor.laneName(i));
        }
    }

    /**
     * Creates this process's node region under a fresh node id, with {@code lanes} MPSC rings of
     * {@code laneCapacity} bytes; the node is {@code starting} until {@link #markRunning()}.
     */
    public static NodeRegion create(ShmDirectory directory, String systemName, int lanes, int laneCapacity,
                                    long parentNode) {
        Objects.requireNonNull(directory, "directory");
        byte[] name = Objects.requireNonNull(systemName, "systemName").getBytes(StandardCharsets.US_ASCII);
        if (name.length == 0 || name.length > NodeDescriptor.MAX_SYSTEM_NAME) {
            throw new IllegalArgumentException("systemName=" + systemName + " must be 1 to "
                    + NodeDescriptor.MAX_SYSTEM_NAME + " characters");
        }
        if (lanes < 1 || lanes > MAX_LANES) {
            throw new IllegalArgumentException("lanes=" + lanes + " must be between 1 and " + MAX_LANES);
        }
        while (true) {
            long id = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
            if (id == 0) {
                continue;
            }
            RegionSpec.Builder spec = RegionSpec.named(NodeDescriptor.regionName(id))
                    .block(INFO, NodeDescriptor.INFO_LENGTH);
            for (int i = 0; i < lanes; i++) {
                spec.mpscRing(NodeDescriptor.laneName(i), laneCapacity);
            }
            SharedRegion region;
            try {
                region = directory.create(spec.build());
            } catch (RegionException e) {
                if (e.reason() == RegionException.Reason.ALREADY_EXISTS) {
                    continue; // another node drew the same id: draw again
                }
                throw e;
            }
            MemorySegment info = region.block(INFO);
            LONG.set(info, NodeDescriptor.PID_OFFSET, ProcessHandle.current().pid());
            LONG.set(info, NodeDescriptor.CREATED_OFFSET, System.currentTimeMillis());
            LONG.set(info, NodeDescriptor.PARENT_OFFSET, parentNode);
            info.set(ValueLayout.JAVA_BYTE, NodeDescriptor.SYSTEM_NAME_OFFSET, (byte) name.length);
            MemorySegment.copy(name, 0, info, ValueLayout.JAVA_BYTE, NodeDescriptor.SYSTEM_NAME_OFFSET + 1, name.length);
            INT.setRelease(info, NodeDescriptor.LANES_OFFSET, lanes);
            return new NodeRegion(id, region, true);
        }
    }

    /**
     * Attaches to the region of node {@code id}, waiting up to {@code timeout} for it to exist.
     *
     * @throws RegionException with reason {@code MISSING} if there is no such node (it never was, or it is gone)
     */
    public static NodeRegion attach(ShmDirectory directory, long id, Duration timeout) {
        SharedRegion region = directory.attach(NodeDescriptor.regionName(id), timeout);
        try {
            return new NodeRegion(id, region, false);
        } catch (RuntimeException e) {
            region.close();
            throw e;
        }
    }

    public long id() {
        return id;
    }

    /**
     * Removes the regions of nodes of {@code directory} whose process is dead (killed before it could remove its own),
     * those it was killed making included: a region not ready whose creator is dead
     * ({@link ShmDirectory#isAbandonedUnready}), or ready but not laid out and used by no live process; any other
     * region that cannot be attached counts as a live node (one that starts now).
     *
     * @return true when a region of another live node is left
     */
    public static boolean reclaimDeadNodes(ShmDirectory directory) {
        boolean live = false;
        // as clean judges the regions: read once, if one is half-made (empty until then: it lists this one too)
        Map<String, Boolean> removable = new HashMap<>();
        for (String name : directory.list()) {
            Long node = nodeId(name);
            if (node != null) {
                live |= reclaimIfDead(directory, name, node, removable);
            }
        }
        return live;
    }

    /** @return the id of the node whose region is {@code name}, or null if it is no node's region */
    private static Long nodeId(String name) {
        if (!name.startsWith(NodeDescriptor.REGION_PREFIX)) {
            return null;
        }
        try {
            return Long.parseUnsignedLong(name.substring(NodeDescriptor.REGION_PREFIX.length()), 16);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Removes region {@code name} of {@code node} if that node is dead. @return true if it is left, as live */
    private static boolean reclaimIfDead(ShmDirectory directory, String name, long node,
                                         Map<String, Boolean> removable) {
        try (NodeRegion peer = attach(directory, node, Duration.ZERO)) {
            // the node made its region: its creator, known by pid and start time (a reused pid is not the node)
            if (directory.inspect(name).creatorAlive()) {
                return true;
            }
            peer.region.unlink();
            return false;
        } catch (RegionException e) {
            // gone meanwhile; half-made by a node killed while starting (removed); or by one that starts now
            boolean dead = isHalfMadeByDeadNode(directory, name, e, removable);
            return !(dead && directory.unlink(name)) && directory.exists(name);
        }
    }

    /** @return whether region {@code name}, which could not be attached ({@code e}), is a dead node's half-made one */
    private static boolean isHalfMadeByDeadNode(ShmDirectory directory, String name, RegionException e,
                                                Map<String, Boolean> removable) {
        if (directory.isAbandonedUnready(name)) {
            return true;
        }
        if (e.reason() != RegionException.Reason.NO_SUCH_STRUCTURE) {
            return false;
        }
        // ready, lanes not laid out: dead when no participant is alive (its creator is dead)
        if (removable.isEmpty()) {
            for (CleanDecision decision : directory.cleanPlan()) {
                removable.put(decision.name(), decision.remove());
            }
        }
        return removable.getOrDefault(name, false);
    }

    public int lanes() {
        return lanes.length;
    }

    /** The mailbox ring of {@code lane}. */
    public Ring lane(int lane) {
        return lanes[lane];
    }

    /** The lane that carries messages for the actor {@code uid}. */
    public Ring laneOf(long uid) {
        return lanes[(int) Long.remainderUnsigned(uid, lanes.length)];
    }

    public long pid() {
        return (long) LONG.get(info, NodeDescriptor.PID_OFFSET);
    }

    public long parentNode() {
        return (long) LONG.get(info, NodeDescriptor.PARENT_OFFSET);
    }

    public String systemName() {
        int length = info.get(ValueLayout.JAVA_BYTE, NodeDescriptor.SYSTEM_NAME_OFFSET) & 0xFF;
        byte[] bytes = new byte[Math.min(length, NodeDescriptor.MAX_SYSTEM_NAME)];
        MemorySegment.copy(info, ValueLayout.JAVA_BYTE, NodeDescriptor.SYSTEM_NAME_OFFSET + 1, bytes, 0, bytes.length);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    public boolean isRunning() {
        return (int) INT.getAcquire(info, NodeDescriptor.STATE_OFFSET) == NodeDescriptor.RUNNING;
    }

    public boolean isTerminated() {
        return (int) INT.getAcquire(info, NodeDescriptor.STATE_OFFSET) == NodeDescriptor.TERMINATED;
    }

    /** Peers may send from now on. */
    public void markRunning() {
        INT.setRelease(info, NodeDescriptor.STATE_OFFSET, NodeDescriptor.RUNNING);
    }

    /** The node accepts no more messages: peers turn their sends into dead letters. */
    public void markTerminated() {
        INT.setRelease(info, NodeDescriptor.STATE_OFFSET, NodeDescriptor.TERMINATED);
    }

    public void addActors(long delta) {
        long ignored = (long) LONG.getAndAdd(info, NodeDescriptor.ACTORS_OFFSET, delta);
    }

    public void addDeadLetter() {
        long ignored = (long) LONG.getAndAdd(info, NodeDescriptor.DEAD_LETTERS_OFFSET, 1L);
    }

    public void addDecodeError() {
        long ignored = (long) LONG.getAndAdd(info, NodeDescriptor.DECODE_ERRORS_OFFSET, 1L);
    }

    public void addChildRestart() {
        long ignored = (long) LONG.getAndAdd(info, NodeDescriptor.CHILD_RESTARTS_OFFSET, 1L);
    }

    public long actors() {
        return (long) LONG.getVolatile(info, NodeDescriptor.ACTORS_OFFSET);
    }

    public long deadLetters() {
        return (long) LONG.getVolatile(info, NodeDescriptor.DEAD_LETTERS_OFFSET);
    }

    public long decodeErrors() {
        return (long) LONG.getVolatile(info, NodeDescriptor.DECODE_ERRORS_OFFSET);
    }

    public SharedRegion region() {
        return region;
    }

    /** Unmaps the region; the node's own region is also marked terminated and its file removed. */
    @Override
    public void close() {
        if (own && !region.isClosed()) {
            markTerminated();
            region.unlink();
        }
        region.close();
    }

    @Override
    public String toString() {
        return "NodeRegion[" + NodeDescriptor.regionName(id) + (own ? ", own" : "") + ", lanes=" + lanes.length + "]";
    }
}
