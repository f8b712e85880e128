package io.millrace.actors.internal;

import io.millrace.actors.ActorPath;
import io.millrace.actors.ActorRef;
import io.millrace.actors.ChildFailed;
import io.millrace.actors.JoinTimeoutException;
import io.millrace.actors.Terminated;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The death-watch bookkeeping of one cell, made on first use: whom it watches ({@code watching}, by path, only
 * its own thread touches it) and who watches it ({@code watchedBy}, added to by the watchers' threads).
 *
 * <p><b>Protocol.</b> A watcher puts its entry into {@code watching}, adds itself to the target's
 * {@code watchedBy}, then reads whether the target is alive; a stopping target sets {@code STOPPED} (volatile),
 * then reads {@code watchedBy} and sends each watcher a {@code DeathNotice}. Of two threads that each write, then
 * read what the other writes, at least one sees the other's write, so the watcher hears of the stop either from
 * the target or from its own check, perhaps from both: a notice is acted on only if the watcher's entry for that
 * path is still there, and the entry is removed then. So each watch ends in at most one {@code Terminated} (or
 * message, or join), none after {@code unwatch}. A ref that is already dead gives its notice at once; a ref of
 * another node goes to the system's {@link RemoteWatch}.
 *
 * <p>A watch of a joinable child carries the {@link Joins.ParentSide}: its notice brings the snapshot, merged
 * once, or a failure (a {@code ChildFailed}).
 */
public final class Watchers {

    /** {@code remoteChild}: a child of this cell on another node, which tells its parent of its stop anyway. */
    private record Entry(ActorRef<Void> ref, ActorCell<?> local, Object message, Joins.ParentSide join,
                         boolean remoteChild) {
        Entry(ActorRef<Void> ref, ActorCell<?> local, Object message, Joins.ParentSide join) {
            this(ref, local, message, join, false);
        }
    }

    private final ActorCell<?> cell;
    private final Set<ActorCell<?>> watchedBy = ConcurrentHashMap.newKeySet(2);
    /** Watchers on other nodes ({@link RemoteLifecycle.Watch}), added by this node's lane threads. */
    private final Set<ActorPath> remoteWatchedBy = ConcurrentHashMap.newKeySet(1);
    private Map<ActorPath, Entry> watching;

    Watchers(ActorCell<?> cell) {
        this.cell = cell;
    }

    /**
     * Called by a {@link RemoteWatch} when {@code target}, watched by {@code watcher}, is gone (any thread).
     *
     * @param watcher the watching actor of this node
     * @param target  the watched actor of another node
     */
    public static void remoteTerminated(ActorCell<?> watcher, ActorPath target) {
        Objects.requireNonNull(target, "target");
        if (RemoteChildren.isNodeSentinel(target)) {
            watcher.sendSystem(new SystemMessage.RemoteNodeExited(target.node(), "node=" + target.system()
                    + " (nodeId=" + Long.toHexString(target.node()) + "), whose process died"));
            return;
        }
        watcher.sendSystem(new SystemMessage.DeathNotice(watcher.runtime().node().resolveActorRef(target), null,
                null));
    }

    /** Owner thread: watch {@code ref}; {@code message} (or null for {@code Terminated}) comes when it stops. */
    @SuppressWarnings("unchecked")
    void watch(ActorRef<?> target, Object message) {
        ActorPath path = target.path();
        if (path.equals(cell.path)) {
            return;
        }
        Entry existing = watching == null ? null : watching.get(path);
        if (existing != null && existing.join != null) {
            throw new IllegalStateException("child=" + path + " of actor=" + cell.path
                    + " is joinable: its join (ChildJoined or ChildFailed) reports its end");
        }
        ActorRef<Void> ref = (ActorRef<Void>) target;
        LocalNode node = cell.runtime().node();
        if (path.node() != node.id()) {
            boolean child = cell.childrenIfAny() != null && cell.childrenIfAny().isRemote(path);
            put(new Entry(ref, null, message, null, child));
            if (existing == null && !child) {
                cell.runtime().remoteWatch().watch(path, cell);
                cell.runtime().lifecycle().send(path, new RemoteLifecycle.Watch(ref, cell.voidSelf()));
            }
            return;
        }
        ActorRef<?> resolved = target instanceof LocalActorRef<?> ? target : node.resolveActorRef(path);
        if (resolved instanceof LocalActorRef<?> local) {
            put(new Entry(ref, local.cell, message, null));
            if (existing == null) {
                local.cell.watchers().watchedBy.add(cell);
                if (!local.cell.isAlive()) {
                    cell.sendSystem(new SystemMessage.DeathNotice(ref, local.cell.stopCause(), null));
                }
            }
        } else if (resolved instanceof DeadActorRef<?>) {
            put(new Entry(ref, null, message, null));
            if (existing == null) {
                cell.sendSystem(new SystemMessage.DeathNotice(ref, null, null));
            }
        } else {
            throw new IllegalArgumentException("ref=" + path + " is a message adapter or temporary ref: only actors"
                    + " can be watched");
        }
    }

    /** Owner thread, before the child starts: the parent's watch of a joinable child. */
    @SuppressWarnings("unchecked")
    void watchJoinable(ActorCell<?> child, Joins.ParentSide join) {
        put(new Entry((ActorRef<Void>) (ActorRef<?>) child.self(), child, null, join));
        child.watchers().watchedBy.add(cell);
    }

    /** Owner thread, at the spawn of a joinable child on another node. */
    void watchRemoteJoinable(ActorRef<Void> child, Joins.ParentSide join) {
        put(new Entry(child, null, null, join, true));
    }

    /** A lane thread of this node: {@code watcher}, an actor of another node, watches this cell. */
    void addRemote(ActorPath watcher) {
        remoteWatchedBy.add(watcher);
        if (!cell.isAlive() && remoteWatchedBy.remove(watcher)) {
            cell.runtime().lifecycle().stopped(cell.voidSelf(), watcher, false, cell.stopCause(), null);
        }
    }

    /** A lane thread of this node: {@code watcher} of another node no longer watches this cell. */
    void removeRemote(ActorPath watcher) {
        remoteWatchedBy.remove(watcher);
    }

    private void put(Entry entry) {
        if (watching == null) {
            watching = new HashMap<>(4);
        }
        watching.put(entry.ref.path(), entry);
    }

    /** Owner thread: no more notice for {@code target}. */
    void unwatch(ActorRef<?> target) {
        Entry entry = watching == null ? null : watching.remove(target.path());
        if (entry != null) {
            release(entry);
        }
    }

    private void release(Entry entry) {
        if (entry.join != null) {
            entry.join.cancelTimer();
        }
        if (entry.local != null) {
            entry.local.watchers().watchedBy.remove(cell);
        } else if (entry.ref.path().node() != cell.runtime().node().id() && !entry.remoteChild) {
            cell.runtime().remoteWatch().unwatch(entry.ref.path(), cell);
            cell.runtime().lifecycle().send(entry.ref.path(), new RemoteLifecycle.Unwatch(cell.voidSelf()));
        }
    }

    /** Owner thread, running: a watched actor stopped; tells the cell what to deliver. */
    void onNotice(SystemMessage.DeathNotice notice) {
        Entry entry = watching == null ? null : watching.remove(notice.ref().path());
        if (entry == null) {
            return;
        }
        if (entry.join != null) {
            entry.join.cancelTimer();
            if (notice.snapshot() != null) {
                cell.joined(entry.ref, entry.join.joinable, notice.snapshot());
            } else {
                cell.terminated(new ChildFailed(entry.ref, notice.cause() != null ? notice.cause()
                        : new IllegalStateException("joinable child=" + entry.ref.path() + " stopped without"
                        + " a snapshot")));
            }
        } else if (entry.message != null) {
            cell.watchMessage(entry.message);
        } else if (notice.cause() != null && (entry.remoteChild
                || entry.local != null && entry.local.isChildOf(cell))) {
            cell.terminated(new ChildFailed(entry.ref, notice.cause()));
        } else {
            cell.terminated(new Terminated(entry.ref));
        }
    }

    /** Owner thread, running: a joinable child's time is up: it is stopped and reported failed. */
    void onJoinTimedOut(ActorRef<Void> child) {
        Entry entry = watching == null ? null : watching.get(child.path());
        if (entry == null || entry.join == null) {
            return;
        }
        watching.remove(child.path());
        if (entry.join.child != null) {
            entry.join.child.abandoned = true;
        }
        release(entry);
        if (entry.local != null) {
            entry.local.sendSystem(SystemMessage.Stop.INSTANCE);
        } else {
            cell.children().stopRemote(child);
        }
        cell.terminated(new ChildFailed(entry.ref, new JoinTimeoutException("joinable child=" + child.path()
                + " did not stop within timeout=" + entry.join.joinable.timeout())));
    }

    /**
     * The cell's thread, once it is STOPPED: notify its watchers (those of other nodes through
     * {@link RemoteLifecycle}; one of them may also have been answered by {@link #addRemote}, a duplicate the
     * watcher drops), and stop watching others.
     */
    void stopped(ActorRef<Void> self, Throwable cause, Object snapshot, ActorCell<?> parent) {
        for (ActorCell<?> watcher : watchedBy) {
            watcher.sendSystem(new SystemMessage.DeathNotice(self, cause, watcher == parent ? snapshot : null));
        }
        for (ActorPath watcher : remoteWatchedBy) {
            if (remoteWatchedBy.remove(watcher)) {
                cell.runtime().lifecycle().stopped(self, watcher, false, cause, null);
            }
        }
        if (watching != null) {
            watching.values().forEach(this::release);
            watching = null;
        }
    }
}
