package io.millrace.actors.internal;

import io.millrace.actors.ActorPath;
import io.millrace.actors.ActorRef;
import io.millrace.actors.DeadLetter;
import io.millrace.actors.codec.CodecException;
import io.millrace.actors.codec.MessageCodec;
import io.millrace.actors.remote.Delivery;
import io.millrace.actors.remote.Inbound;
import io.millrace.actors.remote.NodeRegion;
import io.millrace.shm.CorruptRecordException;
import io.millrace.shm.Ring;
import org.slf4j.Logger;

import java.lang.foreign.MemorySegment;

/**
 * A lane's fourth source: its ring in the node region, which other nodes write to. Records are decoded on the lane
 * thread and handed to the recipient by uid: an actor of this lane is run at once, any other live ref (adapter,
 * temporary ref of an ask) is told; an unknown uid is a dead letter; the lifecycle protocol's messages go to
 * {@link RemoteLifecycle}. A record that does not decode is counted in the
 * node's info block ({@code decodeErrors}), logged at most once a second, and dropped: it never ends the lane.
 */
final class RemoteInbox implements Delivery {

    private static final int BATCH = 256;
    private static final long LOG_INTERVAL_NANOS = 1_000_000_000L;

    private final Lane lane;
    private final Ring ring;
    private final Inbound inbound;
    private final NodeRegion region;
    private final MessageCodec codec;
    private final LocalNode node;
    private final DeadLetterOffice deadLetters;
    private final Logger log;
    private long lastLog = System.nanoTime() - LOG_INTERVAL_NANOS;
    /** The ring's own headers are corrupt: it is read no more (see {@link #poll}). */
    private boolean broken;
    private long unlogged;

    RemoteInbox(Lane lane, Ring ring, int maxMessageBytes, NodeRegion region, MessageCodec codec, LocalNode node,
                DeadLetterOffice deadLetters, Logger log) {
        this.lane = lane;
        this.ring = ring;
        this.inbound = new Inbound(maxMessageBytes);
        this.region = region;
        this.codec = codec;
        this.node = node;
        this.deadLetters = deadLetters;
        this.log = log;
    }

    /**
     * Drains up to a batch of records. A ring whose record headers break the protocol (written by something that does
     * not follow it) stops there for good: it is counted once as a decode error, logged as an error, and not read
     * again; this lane then takes messages of its own node only, and other nodes' tells to it end as dead letters
     * once the ring is full. @return records read
     */
    int poll() {
        if (broken) {
            return 0;
        }
        try {
            return inbound.poll(ring, this, BATCH);
        } catch (CorruptRecordException e) {
            broken(e);
            return 0;
        }
    }

    /** The ring's headers break the protocol (found by a poll or while the lane waited on the ring). */
    void broken(CorruptRecordException e) {
        if (broken) {
            return;
        }
        broken = true;
        region.addDecodeError();
        log.error("lane ring={} of node={} is corrupt, this lane reads it no more: {}", ring.name(),
                Long.toHexString(node.id()), e.getMessage());
    }

    /** True once the ring could not be read (its data signal then says "data" for ever: do not sleep on it). */
    boolean isBroken() {
        return broken;
    }

    Ring ring() {
        return ring;
    }

    /** Drops half-received messages of senders that died (call when idle). */
    void dropDeadSenders() {
        if (inbound.unfinished() > 0) {
            inbound.dropDeadSenders();
        }
    }

    @Override
    public void deliver(long targetUid, MemorySegment segment, long offset, int length) {
        Object message;
        try {
            message = codec.read(segment, offset, length);
        } catch (CodecException | IndexOutOfBoundsException e) {
            corrupt("a message for uid=" + targetUid + " that does not decode: " + e.getMessage());
            return;
        }
        if (message instanceof RemoteLifecycle.Control control) {
            node.lifecycle().handle(targetUid, control);
            return;
        }
        ActorRef<?> ref = node.live(targetUid);
        if (ref == null) {
            deadLetters.publish(message, new ActorPath(region.systemName(), node.id(), "/unknown", targetUid),
                    DeadLetter.Reason.RECIPIENT_STOPPED);
            return;
        }
        if (ref instanceof LocalActorRef<?> local && local.cell.lane() == lane) {
            lane.deliver(local.cell, message);
            return;
        }
        try {
            @SuppressWarnings("unchecked")
            ActorRef<Object> target = (ActorRef<Object>) ref;
            target.tell(message);
        } catch (RuntimeException e) {
            deadLetters.publish(message, ref.path(), DeadLetter.Reason.MAILBOX_FULL);
        }
    }

    @Override
    public void corrupt(String what) {
        region.addDecodeError();
        long now = System.nanoTime();
        if (now - lastLog >= LOG_INTERVAL_NANOS) {
            log.warn("dropped a corrupt record from lane ring={}: {}{}", ring.name(), what,
                    unlogged > 0 ? " (and " + unlogged + " more since the last report)" : "");
            lastLog = now;
            unlogged = 0;
        } else {
            unlogged++;
        }
    }
}
