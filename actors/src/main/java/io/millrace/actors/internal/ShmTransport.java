package io.millrace.actors.internal;

import io.millrace.actors.ActorPath;
import io.millrace.actors.DeadLetter;
import io.millrace.actors.MailboxFullException;
import io.millrace.actors.MailboxFullPolicy;
import io.millrace.actors.NodeGoneException;
import io.millrace.actors.codec.MessageCodec;
import io.millrace.actors.remote.MessageEncoder;
import io.millrace.actors.remote.NodeRegion;
import io.millrace.actors.remote.Outbound;
import io.millrace.actors.remote.ProcessWatch;
import io.millrace.shm.PeerGoneException;
import io.millrace.shm.RegionException;
import io.millrace.shm.ShmDirectory;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shared-memory transport: a tell to an actor of another node of the base directory is encoded by the system's
 * {@link MessageCodec} straight into that node's lane ring ({@link Outbound}, lane {@code uid % lanes}, the lane the
 * recipient's dispatcher runs it on).
 *
 * <p>Peers. The first tell to a node attaches its region (cached per node) and watches its process with
 * {@link ProcessWatch}. A node is gone once its region is missing, it says it terminated, or its process exits; from
 * then on tells to it are dead letters ({@link DeadLetter.Reason#NODE_GONE}) and the asks in flight to it fail with
 * {@link NodeGoneException} at once (an ask registers with {@link #trackAsk}). The region of a node whose process
 * died is unlinked here, so a killed node leaves no file behind. As the node's {@link RemoteWatch}, it tells watchers
 * of a remote actor {@code Terminated} once that actor's node is gone (an actor that stops while its node lives is
 * reported by that node: {@link RemoteLifecycle}).
 *
 * <p>Outcomes at tell: a message the codec cannot carry throws its {@code UnsupportedMessageException}; a message
 * longer than {@code maxMessageBytes} throws {@code MessageTooLargeException} naming both sizes; a full ring waits up
 * to the recipient's {@link MailboxFullPolicy} (its {@code Props}', read from its uid: {@link MailboxPolicyTag}; else
 * the sender's default), then is a dead letter, or throws {@link MailboxFullException} for {@code failFast}.
 */
final class ShmTransport implements RemoteTransport, RemoteWatch {

    private final ShmDirectory directory;
    private final long self;
    private final MessageEncoder<Object> encoder;
    private final Outbound outbound;
    private final MailboxFullPolicy policy;
    private final DeadLetterOffice deadLetters;
    private final Logger log;
    private final ConcurrentHashMap<Long, Peer> peers = new ConcurrentHashMap<>();
    /** The peer of the latest tell: a stream of tells to one node skips the map (and the boxing of its key). */
    private volatile Peer recent;
    private volatile boolean closed;

    ShmTransport(ShmDirectory directory, long self, MessageCodec codec, int maxMessageBytes,
                 MailboxFullPolicy policy, DeadLetterOffice deadLetters, Logger log) {
        this.directory = directory;
        this.self = self;
        this.encoder = MessageEncoder.of(codec);
        this.outbound = new Outbound(maxMessageBytes);
        this.policy = policy;
        this.deadLetters = deadLetters;
        this.log = log;
    }

    @Override
    public void send(ActorPath recipient, Object message) {
        if (closed) {
            deadLetters.publish(message, recipient, DeadLetter.Reason.SYSTEM_TERMINATED);
            return;
        }
        Peer peer = peer(recipient.node());
        NodeRegion region = peer.region;
        if (peer.gone != null || region == null || !region.isRunning() && peer.checkTerminated()) {
            deadLetters.publish(message, recipient, DeadLetter.Reason.NODE_GONE);
            return;
        }
        MailboxFullPolicy policy = MailboxPolicyTag.of(recipient.uid(), this.policy); // the recipient's Props
        Duration wait = policy instanceof MailboxFullPolicy.WaitThenDeadLetter w ? w.timeout() : Duration.ZERO;
        boolean sent;
        try {
            sent = outbound.send(region.laneOf(recipient.uid()), recipient.uid(), encoder, message, wait);
        } catch (PeerGoneException e) {
            peer.markGone("its lane ring's consumer is gone (" + e.getMessage() + ")");
            deadLetters.publish(message, recipient, DeadLetter.Reason.NODE_GONE);
            return;
        } catch (IllegalStateException e) {
            if (peer.gone != null || closed) { // the region was unmapped under this tell
                deadLetters.publish(message, recipient, DeadLetter.Reason.NODE_GONE);
                return;
            }
            throw e;
        }
        if (!sent) {
            if (peer.checkTerminated()) {
                deadLetters.publish(message, recipient, DeadLetter.Reason.NODE_GONE);
            } else if (policy instanceof MailboxFullPolicy.FailFast) {
                throw new MailboxFullException(recipient, region.laneOf(recipient.uid()).capacity());
            } else {
                deadLetters.publish(message, recipient, DeadLetter.Reason.MAILBOX_FULL);
            }
        }
    }

    /**
     * Fails {@code ask} with a {@link NodeGoneException} if {@code node} is gone or goes before the ask completes.
     */
    void trackAsk(long node, CompletableFuture<?> ask) {
        if (node == self) {
            return;
        }
        Peer peer = peer(node);
        peer.asks.add(ask);
        ask.whenComplete((value, failure) -> peer.asks.remove(ask));
        String gone = peer.gone;
        if (gone != null) {
            ask.completeExceptionally(new NodeGoneException(node, gone));
        }
    }

    /** Death watch of an actor of another node: {@code Terminated} once its node is gone (not yet its own stop). */
    @Override
    public void watch(ActorPath target, ActorCell<?> watcher) {
        Peer peer = peer(target.node());
        Watch w = new Watch(target, watcher);
        peer.watchers.add(w);
        if (peer.gone != null && peer.watchers.remove(w)) {
            Watchers.remoteTerminated(watcher, target);
        }
    }

    @Override
    public void unwatch(ActorPath target, ActorCell<?> watcher) {
        Peer peer = peers.get(target.node());
        if (peer != null) {
            peer.watchers.remove(new Watch(target, watcher));
        }
    }

    private record Watch(ActorPath target, ActorCell<?> watcher) {
    }

    private Peer peer(long node) {
        Peer peer = recent;
        if (peer != null && peer.node == node) {
            return peer;
        }
        peer = peers.get(node);
        if (peer == null) {
            peer = peers.computeIfAbsent(node, Peer::new);
        }
        recent = peer;
        return peer;
    }

    @Override
    public void close() {
        closed = true;
        for (Peer peer : peers.values()) {
            peer.close();
        }
    }

    /** What this node knows of another: its region once attached, whether it is gone, the asks waiting on it. */
    private final class Peer {
        final long node;
        final Set<CompletableFuture<?>> asks = ConcurrentHashMap.newKeySet();
        final Set<Watch> watchers = ConcurrentHashMap.newKeySet();
        volatile NodeRegion region;
        volatile String gone;
        private AutoCloseable watch;

        Peer(long node) {
            this.node = node;
            if (closed) {
                gone = "this system is terminated";
                return;
            }
            try {
                region = NodeRegion.attach(directory, node, Duration.ZERO);
            } catch (RegionException e) {
                gone = "node=" + Long.toHexString(node) + " has no region in " + directory.path()
                        + " (it terminated or never was): " + e.getMessage();
                return;
            }
            long pid = region.pid();
            watch = ProcessWatch.shared().watch(pid, Optional.empty(), () -> died(pid));
        }

        private void died(long pid) {
            NodeRegion r = region;
            if (r != null && !r.isTerminated()) {
                try {
                    r.region().unlink(); // its process is dead: nobody else will remove its file
                } catch (RuntimeException e) {
                    log.debug("could not unlink the region of dead node={}", Long.toHexString(node), e);
                }
            }
            ChildExits.describe(pid).thenAccept(status -> markGone("node=" + Long.toHexString(node) + " (pid=" + pid
                    + ") died: its process exited with " + status));
        }

        /** @return true when the node says it terminated (and is then marked gone) */
        boolean checkTerminated() {
            NodeRegion r = region;
            if (r != null && r.isTerminated()) {
                markGone("node=" + Long.toHexString(node) + " (pid=" + r.pid() + ") terminated");
                return true;
            }
            return gone != null;
        }

        void markGone(String why) {
            if (gone == null) {
                gone = why;
                log.debug("{}", why);
            }
            for (CompletableFuture<?> ask : asks) {
                ask.completeExceptionally(new NodeGoneException(node, gone));
            }
            for (Watch w : watchers) {
                if (watchers.remove(w) && !closed) {
                    Watchers.remoteTerminated(w.watcher(), w.target());
                }
            }
        }

        void close() {
            try {
                if (watch != null) {
                    watch.close();
                }
            } catch (Exception e) {
                log.debug("closing the watch of node={}", Long.toHexString(node), e);
            }
            markGone("this system is terminated");
            NodeRegion r = region;
            if (r != null) {
                r.close();
            }
        }
    }
}
