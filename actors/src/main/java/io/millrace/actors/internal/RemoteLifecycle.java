package io.millrace.actors.internal;

import io.millrace.actors.ActorPath;
import io.millrace.actors.ActorRef;
import io.millrace.actors.Behavior;
import io.millrace.actors.BehaviorFactory;
import io.millrace.actors.Joinable;
import io.millrace.actors.Props;
import io.millrace.actors.RemoteActorFailedException;
import io.millrace.actors.remote.Shipping;

import java.util.Set;
import java.util.function.Function;

/**
 * The lifecycle protocol between nodes: remote children, death watch of actors of live nodes, joins. Its messages
 * are records the codec carries, addressed by uid like any tell, so that they ride the lane ring of the actor they
 * concern; the receiving node's {@link RemoteInbox} hands them to {@link #handle} (on that lane's thread) instead of
 * to the actor:
 * <ul>
 *   <li>{@link Spawn} (to the uid the parent chose for the child, not yet taken): the node unships the factory (and
 *       a join's extract), spawns the child below its {@code /user} guardian with that uid and the sender as its
 *       <em>remote parent</em>. Tells the parent sends after the spawn ride the same ring behind it, so none is lost.
 *       A spawn that fails is answered at once with a child's {@link Stopped} with the failure.</li>
 *   <li>{@link Watch}/{@link Unwatch} (to the watched actor): the watcher is added to or removed from the target's
 *       {@link Watchers} as a remote watcher; the add-then-check of {@link Watchers} holds: a target already gone
 *       is answered at once.</li>
 *   <li>{@link StopChild} (from the remote parent): the child stops.</li>
 *   <li>{@link Stopped} (to a watcher or the remote parent): the actor stopped; a failure travels as class name and
 *       message ({@link RemoteActorFailedException}); a joinable child's snapshot travels to its parent only.</li>
 * </ul>
 * The death of the node itself is noticed apart: the parent node through its child process' exit (with the exit
 * status), any other through the transport's {@code ProcessWatch}.
 */
public final class RemoteLifecycle {

    /** What travels between nodes; never given to an actor. */
    public sealed interface Control permits Spawn, Watch, Unwatch, StopChild, Stopped {
    }

    /**
     * Spawn a child of {@code parent} at the uid this is addressed to.
     *
     * @param name         the child's name below the node's guardian
     * @param factory      the shipped {@link BehaviorFactory}
     * @param extract      the shipped extract of its join, or null if it is not joinable
     * @param snapshotType the join's snapshot class name, or null
     * @param parent       its parent (on the sending node)
     */
    public record Spawn(String name, byte[] factory, byte[] extract, String snapshotType, ActorRef<Void> parent)
            implements Control {
    }

    /**
     * {@code watcher} watches {@code target} (the actor this is addressed to).
     *
     * @param target  the watched actor
     * @param watcher the watching actor
     */
    public record Watch(ActorRef<Void> target, ActorRef<Void> watcher) implements Control {
    }

    /**
     * {@code watcher} no longer watches the actor this is addressed to.
     *
     * @param watcher the watching actor
     */
    public record Unwatch(ActorRef<Void> watcher) implements Control {
    }

    /**
     * The remote parent {@code parent} stops the child this is addressed to.
     *
     * @param parent the parent asking
     */
    public record StopChild(ActorRef<Void> parent) implements Control {
    }

    /**
     * {@code actor} stopped; to the watcher or parent this is addressed to.
     *
     * @param actor        the actor that stopped
     * @param child        whether the recipient is its remote parent
     * @param causeClass   the failure's class name, or null if it stopped normally
     * @param causeMessage the failure's message, or null
     * @param snapshot     a joinable child's snapshot for its parent, or null
     */
    public record Stopped(ActorRef<Void> actor, boolean child, String causeClass, String causeMessage,
                          Object snapshot) implements Control {
    }

    private final SystemRuntime runtime;

    RemoteLifecycle(SystemRuntime runtime) {
        this.runtime = runtime;
    }

    /** A control message for {@code uid} of this node, on the thread of the lane that read it. */
    void handle(long uid, Control control) {
        ActorRef<?> live = runtime.node().live(uid);
        ActorCell<?> cell = live instanceof LocalActorRef<?> local ? local.cell : null;
        switch (control) {
            case Spawn s -> spawn(uid, s, live);
            case Watch w -> {
                if (cell == null) {
                    send(w.watcher().path(), new Stopped(w.target(), false, null, null, null));
                } else {
                    cell.watchers().addRemote(w.watcher().path());
                }
            }
            case Unwatch u -> {
                if (cell != null) {
                    cell.watchers().removeRemote(u.watcher().path());
                }
            }
            case StopChild s -> {
                if (cell != null && s.parent().path().equals(cell.remoteParent())) {
                    cell.sendSystem(SystemMessage.Stop.INSTANCE);
                }
            }
            case Stopped s -> {
                if (cell != null) {
                    Throwable cause = s.causeClass() == null ? null
                            : new RemoteActorFailedException(s.actor().path(), s.causeClass(), s.causeMessage());
                    cell.sendSystem(s.child() ? new SystemMessage.RemoteChildStopped(s.actor(), cause, s.snapshot())
                            : new SystemMessage.DeathNotice(s.actor(), cause, null));
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void spawn(long uid, Spawn s, ActorRef<?> taken) {
        ActorPath path = runtime.childPathOfGuardian(s.name(), uid);
        try {
            if (taken != null) {
                throw new IllegalStateException("uid=" + uid + " is taken on node=" + Long.toHexString(path.node()));
            }
            ClassLoader loader = RemoteLifecycle.class.getClassLoader();
            Behavior<Object> behavior = ((BehaviorFactory<Object>) Shipping.unship(s.factory(), loader, Set.of()))
                    .create();
            Joins.ChildSide join = null;
            if (s.extract() != null) {
                Function<Object, Object> extract = (Function<Object, Object>) Shipping.unship(s.extract(), loader,
                        Set.of());
                Class<Object> type = (Class<Object>) Class.forName(s.snapshotType(), false, loader);
                join = new Joins.ChildSide(new Joinable<>(type, extract, null, null));
            }
            Joins.ChildSide childSide = join;
            ActorPath parent = s.parent().path();
            runtime.spawnForRemoteParent(behavior, s.name(), uid, Props.empty(), child -> {
                child.remoteParent(parent);
                if (childSide != null) {
                    child.joinable(childSide);
                }
            });
        } catch (RuntimeException | ClassNotFoundException | LinkageError e) {
            runtime.log().warn("spawn of child={} for remote parent={} failed: {}", path, s.parent().path(),
                    e.toString());
            send(s.parent().path(), new Stopped(voidRef(path), true, e.getClass().getName(), "spawn of name="
                    + s.name() + " on node=" + Long.toHexString(path.node()) + " failed: " + e.getMessage(), null));
        }
    }

    private ActorRef<Void> voidRef(ActorPath path) {
        return runtime.node().resolveActorRef(path);
    }

    /**
     * Sends a control message to an actor of another node; what cannot go is logged (the other side learns of a
     * node's death apart).
     */
    void send(ActorPath to, Control message) {
        try {
            runtime.node().transport().send(to, message);
        } catch (RuntimeException e) {
            runtime.log().warn("could not send {} to actor={}: {}", message.getClass().getSimpleName(), to,
                    e.toString());
        }
    }

    /** A stopped cell's notice to its remote parent or a remote watcher; a snapshot that cannot go is a failure. */
    void stopped(ActorRef<Void> self, ActorPath to, boolean child, Throwable cause, Object snapshot) {
        Stopped notice = new Stopped(self, child, cause == null ? null : cause.getClass().getName(),
                cause == null ? null : cause.getMessage(), snapshot);
        try {
            runtime.node().transport().send(to, notice);
        } catch (RuntimeException e) {
            if (snapshot == null) {
                runtime.log().warn("could not tell actor={} that actor={} stopped: {}", to, self.path(), e.toString());
                return;
            }
            runtime.log().error("the snapshot of joinable actor={} could not be sent: {}", self.path(), e.toString());
            send(to, new Stopped(self, child, e.getClass().getName(), "the snapshot could not be sent: "
                    + e.getMessage(), null));
        }
    }
}
