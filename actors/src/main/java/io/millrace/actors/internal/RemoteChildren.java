package io.millrace.actors.internal;

import io.millrace.actors.ActorPath;
import io.millrace.actors.ActorRef;
import io.millrace.actors.BehaviorFactory;
import io.millrace.actors.InvalidActorNameException;
import io.millrace.actors.Joinable;
import io.millrace.actors.NodeGoneException;
import io.millrace.actors.Props;
import io.millrace.actors.RemoteNode;
import io.millrace.actors.remote.NodeInfo;
import io.millrace.actors.remote.Shipping;
import io.millrace.shm.RegionException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The children of one cell that run on other nodes ({@code Props.onNode}), only on the cell's thread. A spawn ships
 * the factory (refused here, before the node is asked, if it cannot be shipped), picks the child's uid (a random one
 * above 2^62, apart from the node's own counter), sends {@link RemoteLifecycle.Spawn} and returns the ref at once;
 * the child counts among the parent's live children until its {@link SystemMessage.RemoteChildStopped}: its own
 * {@link RemoteLifecycle.Stopped}, or the exit of its node's process (hooked once per node; then a
 * {@link NodeGoneException} with the exit status as its failure), whichever comes first; the other is dropped.
 */
final class RemoteChildren {

    private record Child(ActorRef<Void> ref, RemoteNode node) {
    }

    private final ActorCell<?> parent;
    private final Map<String, Child> byName = new LinkedHashMap<>();
    /** The nodes whose process exit is hooked: once per node, not per child. */
    private final Set<Long> exitWatched = new HashSet<>();
    /** The nodes given by id whose death this node's watch reports, with their system names. */
    private final Map<Long, String> idWatched = new HashMap<>();

    RemoteChildren(ActorCell<?> parent) {
        this.parent = parent;
    }

    /**
     * Spawns a child on {@code node} (name validated by the caller).
     *
     * @param joinable its join, or null
     * @throws IllegalArgumentException if the factory or the extract cannot be shipped
     */
    @SuppressWarnings("unchecked")
    <U> ActorRef<U> spawn(BehaviorFactory<U> factory, String name, Props props, Joinable<?, ?, ?> joinable) {
        SystemRuntime runtime = parent.runtime();
        RemoteNode node = props.node();
        long nodeId = node != null ? node.nodeId() : props.nodeId();
        NodeInfo info = node != null ? null : info(runtime, nodeId);
        String systemName = node != null ? node.name() : info.systemName();
        byte[] shipped = Shipping.ship(factory);
        byte[] extract = null;
        if (joinable != null) {
            Joins.check(joinable.snapshotType());
            try {
                extract = Shipping.ship(joinable.extract());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the extract of joinable child name=" + name + " cannot be"
                        + " shipped to node=" + systemName + ": " + e.getMessage(), e);
            }
        }
        if (runtime.isTerminating()) {
            throw runtime.terminatedException("spawn name=" + name);
        }
        if (!parent.isRunning()) {
            throw new IllegalStateException("actor=" + parent.path + " is stopping: cannot spawn name=" + name);
        }
        if (byName.containsKey(name) || parent.children().hasLocal(name)) {
            throw new InvalidActorNameException("name=" + name + " is taken by a live child of actor="
                    + parent.path.path());
        }
        long random = ThreadLocalRandom.current().nextLong(1L << MailboxPolicyTag.NUMBER_BITS);
        long uid = MailboxPolicyTag.tag(1L << 62 | random, props.mailboxFullPolicy()); // its policy rides in its uid
        ActorPath path = new ActorPath(systemName, nodeId, "/user/" + name, uid);
        ActorRef<Void> ref = runtime.node().resolveActorRef(path);
        byName.put(name, new Child(ref, node));
        parent.children().addRemote();
        if (joinable != null) {
            Joins.watchRemote(parent, ref, joinable);
        }
        runtime.lifecycle().send(path, new RemoteLifecycle.Spawn(name, shipped, extract,
                joinable == null ? null : joinable.snapshotType().getName(), parent.voidSelf()));
        if (node == null) {
            if (idWatched.putIfAbsent(nodeId, systemName) == null) { // its end through the node watch: no status
                runtime.remoteWatch().watch(nodeSentinel(systemName, nodeId), parent);
            }
        } else if (exitWatched.add(path.node())) {
            long pid = node.pid();
            node.whenExited().thenAccept(status -> parent.sendSystem(new SystemMessage.RemoteNodeExited(path.node(),
                    "node=" + node.name() + " (pid=" + pid + "), which exited with status=" + status
                            + (status < 0 ? " (killed by signal " + -status + ")" : ""))));
            if (node.nodeId() != path.node()) { // restarted meanwhile: the exit hooked may be the next process's
                parent.sendSystem(new SystemMessage.RemoteNodeExited(path.node(), "node=" + node.name() + " (pid="
                        + pid + "), which was restarted"));
            }
        }
        return (ActorRef<U>) (ActorRef<?>) ref;
    }

    /**
     * The path by which a node given by id is watched for its death ({@link Watchers#remoteTerminated} turns its
     * notice into a {@link SystemMessage.RemoteNodeExited}).
     */
    static ActorPath nodeSentinel(String systemName, long nodeId) {
        return new ActorPath(systemName, nodeId, "/", 0);
    }

    static boolean isNodeSentinel(ActorPath path) {
        return path.uid() == 0 && path.path().equals("/");
    }

    private static NodeInfo info(SystemRuntime runtime, long nodeId) {
        if (nodeId == runtime.node().id()) {
            throw new IllegalArgumentException("nodeId=" + Long.toHexString(nodeId) + " is this node: spawn the"
                    + " actor without a node in its props");
        }
        NodeInfo info;
        try {
            info = NodeInfo.read(runtime.directory(), String.format("node-%016x", nodeId));
        } catch (RegionException e) {
            throw new IllegalArgumentException("nodeId=" + Long.toHexString(nodeId) + " names no node of "
                    + runtime.directory().path() + ": " + e.getMessage(), e);
        }
        if (!info.state().equals("running")) {
            throw new IllegalArgumentException("node=" + info.systemName() + " (nodeId=" + Long.toHexString(nodeId)
                    + ") is " + info.state() + ", not running");
        }
        return info;
    }

    /** The parent stopped: its watch of nodes given by id ends. */
    void close() {
        idWatched.forEach((node, system) -> parent.runtime().remoteWatch().unwatch(nodeSentinel(system, node),
                parent));
        idWatched.clear();
    }

    /** @return whether {@code ref} was a live child (it is not any more) */
    boolean remove(ActorRef<?> ref) {
        Child child = byName.get(ref.path().name());
        if (child == null || !child.ref.path().equals(ref.path())) {
            return false;
        }
        byName.remove(ref.path().name());
        return true;
    }

    boolean contains(ActorPath path) {
        Child child = byName.get(path.name());
        return child != null && child.ref.path().equals(path);
    }

    /** Asks {@code ref} to stop. @return false if it is not a live child */
    boolean stop(ActorRef<?> ref) {
        if (!contains(ref.path())) {
            return false;
        }
        parent.runtime().lifecycle().send(ref.path(), new RemoteLifecycle.StopChild(parent.voidSelf()));
        return true;
    }

    void stopAll() {
        for (Child child : byName.values()) {
            parent.runtime().lifecycle().send(child.ref.path(), new RemoteLifecycle.StopChild(parent.voidSelf()));
        }
    }

    /** The refs of the live children. */
    List<ActorRef<Void>> refs() {
        List<ActorRef<Void>> refs = new ArrayList<>(byName.size());
        byName.values().forEach(c -> refs.add(c.ref));
        return refs;
    }

    /** The live children on node {@code node}. */
    List<ActorRef<Void>> onNode(long node) {
        List<ActorRef<Void>> refs = new ArrayList<>();
        byName.values().forEach(c -> {
            if (c.ref.path().node() == node) {
                refs.add(c.ref);
            }
        });
        return refs;
    }

    /** The live child named {@code name}, or null. */
    ActorRef<Void> get(String name) {
        Child child = byName.get(name);
        return child == null ? null : child.ref;
    }
}
