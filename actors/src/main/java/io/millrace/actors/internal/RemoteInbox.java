package io.millrace.actors.internal;

import io.millrace.actors.ActorPath;
import io.millrace.actors.ActorRef;
import io.millrace.actors.DeadLetter;
import io.millrace.actors.codec.CodecException;
import io.millrace.actors.codec.MessageCodec;
import io.millrace.actors.remote.Delivery;
import io.millrace.actors.remote.Inbound;
import io.millrace.actors.remote.NodeRegion;
import io.millrace.shm.Ring;
import org.slf4j.Logger;

import java.lang.foreign.MemorySegment;

/**
 * A lane's fourth source: its ring in the node region, which other nodes write to. Records are decoded on the lane
 * thread and handed to the recipient by uid: an actor of this lane is run at once, any other live ref (adapter,
 * temporary ref of an ask) is told; an unknown uid is a dead letter. A record that does not decode is counted in the
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

    /** Drains up to a batch of records. @return records read */
    int poll() {
        return inbound.poll(ring, this, BATCH);
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
