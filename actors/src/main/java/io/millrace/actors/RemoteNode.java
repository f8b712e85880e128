package io.millrace.actors;

import io.millrace.actors.internal.ChildExits;
import io.millrace.actors.internal.NodeSpawner;
import io.millrace.actors.launch.ChildJvm;
import io.millrace.actors.launch.ChildJvmSpec;
import io.millrace.actors.launch.NodeMain;
import io.millrace.actors.remote.NodeInfo;
import io.millrace.actors.remote.Shipping;
import io.millrace.shm.RegionException;
import io.millrace.shm.ShmDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A node in a child JVM, started by {@link ActorSystem#spawnNode}: spawn actors on it, and stop it. The child ends
 * when this JVM does (any way it ends) and when the system that started it terminates.
 *
 * <p>With a {@link NodeRestart} in its spec, a node whose process dies is started again after the back-off, as a
 * new process and a new node id ({@link #nodeId()} and {@link #pid()} then name the new one), and the actors
 * spawned with {@link #spawn} are spawned again from their factories. Each exit and restart is logged with the exit
 * status.
 */
public final class RemoteNode implements AutoCloseable {

    private static final Duration SPAWN_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(RemoteNode.class);

    /** One process of the node. */
    private record Incarnation(ChildJvm child, ActorRef<NodeSpawner.Command> spawner) {
    }

    private final ActorSystem<?> system;
    private final NodeSpec spec;
    /** What {@link #spawn} shipped, by name, to spawn again after a restart (only with a restart policy). */
    private final Map<String, byte[]> spawned = new ConcurrentHashMap<>();
    private volatile Incarnation current;
    private volatile boolean closing;
    private volatile int restarts;
    private volatile CompletableFuture<RemoteNode> nextRestart = new CompletableFuture<>();

    private RemoteNode(ActorSystem<?> system, NodeSpec spec, Incarnation first) {
        this.system = system;
        this.spec = spec;
        this.current = first;
    }

    /** @return the node's id (of its current process) */
    public long nodeId() {
        return current.spawner.path().node();
    }

    /** @return the child's system name */
    public String name() {
        return spec.name();
    }

    /** @return the child's process id (its current process) */
    public long pid() {
        return current.child.pid();
    }

    /** @return completes with the exit status of its current process (the code, or {@code -N} for signal N) */
    public CompletionStage<Integer> whenExited() {
        return current.child.onExit();
    }

    /** @return how many times the node was restarted */
    public int restarts() {
        return restarts;
    }

    /**
     * @return completes once the node's current process has died and the node runs again, its actors spawned
     *         again; fails with {@link IllegalStateException} if it will not be (no restart policy, the limit
     *         reached, closed, or the restart failed)
     */
    public CompletionStage<RemoteNode> whenRestarted() {
        return nextRestart.minimalCompletionStage();
    }

    /**
     * Spawns an actor on this node, below its guardian: {@code factory} is shipped to the child and run there.
     *
     * @param factory a serializable lambda that makes the behavior
     * @param name    the actor's name
     * @param <T>     its messages
     * @return completes with its ref, or fails with {@link IllegalStateException} naming why the child refused it,
     *         {@link NodeGoneException} if the node died, {@link AskTimeoutException} after 30 s
     * @throws IllegalArgumentException if the factory cannot be shipped (not serializable, or it captures a value
     *                                  that is not), naming the culprit
     */
    public <T> CompletionStage<ActorRef<T>> spawn(BehaviorFactory<T> factory, String name) {
        Objects.requireNonNull(name, "name");
        byte[] shipped = Shipping.ship(Objects.requireNonNull(factory, "factory"));
        return spawnShipped(current, shipped, name).thenApply(ref -> {
            if (spec.restart() != null) {
                spawned.put(name, shipped);
            }
            @SuppressWarnings("unchecked")
            ActorRef<T> typed = (ActorRef<T>) (ActorRef<?>) ref;
            return typed;
        });
    }

    private CompletionStage<ActorRef<Object>> spawnShipped(Incarnation on, byte[] shipped, String name) {
        return AskPattern.<NodeSpawner.Command, NodeSpawner.Spawned>ask(on.spawner,
                replyTo -> new NodeSpawner.Spawn(shipped, name, replyTo), SPAWN_TIMEOUT, system)
                .thenApply(spawned -> {
                    if (spawned.error() != null) {
                        throw new IllegalStateException("node=" + spec.name() + ": " + spawned.error());
                    }
                    return spawned.ref();
                });
    }

    /** Asks the node's system to terminate (unless its process has ended already); the child then exits. */
    public void terminate() {
        closing = true;
        Incarnation on = current;
        if (on.child.isAlive()) {
            on.spawner.tell(new NodeSpawner.Shutdown());
        }
    }

    /** Terminates the node and waits up to 10 s for its process to exit, then kills it. */
    @Override
    public void close() {
        closing = true;
        Incarnation on = current;
        if (on.child.isAlive()) {
            terminate();
            try {
                on.child.onExit().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
                // killed below
            }
        }
        on.child.close();
        nextRestart.completeExceptionally(new IllegalStateException("node name=" + spec.name() + " is closed"));
    }

    @Override
    public String toString() {
        Incarnation on = current;
        return "RemoteNode[name=" + spec.name() + ", node=" + Long.toHexString(on.spawner.path().node()) + ", pid="
                + on.child.pid() + ", restarts=" + restarts + "]";
    }

    /** Starts the child and completes once its spawner is registered. */
    static CompletionStage<RemoteNode> start(ActorSystem<?> system, NodeSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return launch(system, spec).thenApply(first -> {
            RemoteNode node = new RemoteNode(system, spec, first);
            node.supervise(first);
            return node;
        });
    }

    private void supervise(Incarnation on) {
        on.child.onExit().thenAccept(status -> exited(on, status));
    }

    /** The current process exited: restart it (after the back-off) unless told to stop or out of restarts. */
    private void exited(Incarnation on, int status) {
        String which = "node name=" + spec.name() + " (pid=" + on.child.pid() + ", node="
                + Long.toHexString(on.spawner.path().node()) + ") exited with status=" + status;
        NodeRestart policy = spec.restart();
        if (closing || policy == null) {
            if (!closing) {
                LOG.warn("{}; it has no restart policy", which);
            }
            nextRestart.completeExceptionally(new IllegalStateException(which + "; it is not restarted"
                    + (closing ? " (closed)" : " (no restart policy)")));
            return;
        }
        int done = restarts;
        if (done >= policy.maxRestarts()) {
            LOG.error("{}; restart limit maxRestarts={} reached, it stays down", which, policy.maxRestarts());
            nextRestart.completeExceptionally(new IllegalStateException(which + "; restart limit maxRestarts="
                    + policy.maxRestarts() + " reached"));
            return;
        }
        Duration delay = policy.backoff(done);
        LOG.warn("{}; restart {} of {} in {}", which, done + 1, policy.maxRestarts(), delay);
        system.scheduler().scheduleOnce(delay, () -> restart(on));
    }

    private void restart(Incarnation dead) {
        if (closing) {
            return;
        }
        launch(system, spec).whenComplete((next, failure) -> {
            restarts++;
            if (failure != null) {
                LOG.error("restart {} of node name={} failed: {}", restarts, spec.name(), failure.toString());
                exited(dead, Integer.MIN_VALUE);
                return;
            }
            current = next;
            system.countChildRestart();
            if (closing) {
                next.child.close();
                return;
            }
            supervise(next);
            CompletableFuture<?>[] respawns = spawned.entrySet().stream().map(e -> spawnShipped(next, e.getValue(),
                    e.getKey()).toCompletableFuture()).toArray(CompletableFuture<?>[]::new);
            CompletableFuture.allOf(respawns).whenComplete((ignored, respawnFailure) -> {
                LOG.warn("node name={} restarted (restart {}) as pid={} node={}; actors spawned again={}{}",
                        spec.name(), restarts, next.child.pid(), Long.toHexString(next.spawner.path().node()),
                        spawned.keySet(), respawnFailure == null ? "" : ", one failed: " + respawnFailure);
                CompletableFuture<RemoteNode> waiting = nextRestart;
                nextRestart = new CompletableFuture<>();
                waiting.complete(this);
            });
        });
    }

    /**
     * Starts a process of the node; completes once the spawner of the node that process hosts is registered (the
     * registrations of earlier, dead incarnations may linger).
     */
    private static CompletableFuture<Incarnation> launch(ActorSystem<?> system, NodeSpec spec) {
        ChildJvmSpec jvm = ChildJvmSpec.of(spec.name(), NodeMain.class.getName())
                .args(system.config().baseDirectory().toString(), spec.name(), "" + spec.dispatcherThreads(),
                        Long.toHexString(system.nodeId()));
        if (spec.heap() != null) {
            jvm.heap(spec.heap());
        }
        ChildJvm child = ChildJvm.start(jvm);
        ChildExits.register(child.pid(), child.onExit());
        CompletableFuture<Incarnation> result = new CompletableFuture<>();
        child.onExit().thenAccept(status -> result.completeExceptionally(new IllegalStateException("node name="
                + spec.name() + " (pid=" + child.pid() + ") exited with status=" + status + " before it ran: "
                + child.lastErrorLines())));
        Thread.ofPlatform().daemon().name("millrace-" + system.name() + "-spawn-" + spec.name()).start(() -> {
            try {
                ActorRef<NodeSpawner.Command> spawner = lookupSpawner(system, spec, child.pid());
                if (!result.complete(new Incarnation(child, spawner))) {
                    child.close();
                }
            } catch (RuntimeException e) {
                child.close();
                result.completeExceptionally(e instanceof LookupTimeoutException ? new IllegalStateException(
                        "node name=" + spec.name() + " did not run within startTimeout=" + spec.startTimeout(), e) : e);
            }
        });
        return result;
    }

    /** Waits for the spawner registered by process {@code pid}: earlier incarnations' entries may linger. */
    private static ActorRef<NodeSpawner.Command> lookupSpawner(ActorSystem<?> system, NodeSpec spec, long pid) {
        ShmDirectory directory = ShmDirectory.at(system.config().baseDirectory());
        long deadline = System.nanoTime() + spec.startTimeout().toNanos();
        while (true) {
            Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
            Set<ActorRef<NodeSpawner.Command>> found = Receptionist.lookup(system,
                    NodeSpawner.key(system.nodeId(), spec.name()), left);
            for (ActorRef<NodeSpawner.Command> spawner : found) {
                if (hostedBy(directory, spawner.path().node(), pid)) {
                    return spawner;
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new LookupTimeoutException("only spawners of earlier, dead processes of the node are registered");
            }
            try {
                Thread.sleep(10); // a dead incarnation's entry goes once a lookup finds its owner dead
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for node name=" + spec.name(), e);
            }
        }
    }

    private static boolean hostedBy(ShmDirectory directory, long node, long pid) {
        try {
            return NodeInfo.read(directory, node).pid() == pid;
        } catch (RegionException e) {
            return false; // a dead incarnation's region, already removed
        }
    }
}
