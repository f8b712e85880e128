package io.millrace.actors;

import io.millrace.actors.internal.NodeSpawner;
import io.millrace.actors.launch.ChildJvm;
import io.millrace.actors.remote.Shipping;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A node in a child JVM, started by {@link ActorSystem#spawnNode}: spawn actors on it, and stop it. The child ends
 * when this JVM does (any way it ends) and when the system that started it terminates.
 */
public final class RemoteNode implements AutoCloseable {

    private static final Duration SPAWN_TIMEOUT = Duration.ofSeconds(30);

    private final ActorSystem<?> system;
    private final ChildJvm child;
    private final ActorRef<NodeSpawner.Command> spawner;
    private final String name;

    RemoteNode(ActorSystem<?> system, ChildJvm child, ActorRef<NodeSpawner.Command> spawner, String name) {
        this.system = system;
        this.child = child;
        this.spawner = spawner;
        this.name = name;
    }

    /** @return the node's id */
    public long nodeId() {
        return spawner.path().node();
    }

    /** @return the child's system name */
    public String name() {
        return name;
    }

    /** @return the child's process id */
    public long pid() {
        return child.pid();
    }

    /** @return completes with the child's exit status (the code, or {@code -N} when signal N killed it) */
    public CompletionStage<Integer> whenExited() {
        return child.onExit();
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
        return AskPattern.<NodeSpawner.Command, NodeSpawner.Spawned>ask(spawner,
                replyTo -> new NodeSpawner.Spawn(shipped, name, replyTo), SPAWN_TIMEOUT, system)
                .thenApply(spawned -> {
                    if (spawned.error() != null) {
                        throw new IllegalStateException("node=" + this.name + ": " + spawned.error());
                    }
                    @SuppressWarnings("unchecked")
                    ActorRef<T> ref = (ActorRef<T>) (ActorRef<?>) spawned.ref();
                    return ref;
                });
    }

    /** Asks the node's system to terminate (unless its process has ended already); the child then exits. */
    public void terminate() {
        if (child.isAlive()) {
            spawner.tell(new NodeSpawner.Shutdown());
        }
    }

    /** Terminates the node and waits up to 10 s for its process to exit, then kills it. */
    @Override
    public void close() {
        if (child.isAlive()) {
            terminate();
            try {
                child.onExit().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
                // killed below
            }
        }
        child.close();
    }

    /** Starts the child and completes once its spawner is registered. */
    static CompletionStage<RemoteNode> start(ActorSystem<?> system, NodeSpec spec) {
        Objects.requireNonNull(spec, "spec");
        io.millrace.actors.launch.ChildJvmSpec jvm = io.millrace.actors.launch.ChildJvmSpec
                .of(spec.name(), io.millrace.actors.launch.NodeMain.class.getName())
                .args(system.config().baseDirectory().toString(), spec.name(), "" + spec.dispatcherThreads(),
                        Long.toHexString(system.nodeId()));
        if (spec.heap() != null) {
            jvm.heap(spec.heap());
        }
        ChildJvm child = ChildJvm.start(jvm);
        CompletableFuture<RemoteNode> result = new CompletableFuture<>();
        child.onExit().thenAccept(status -> result.completeExceptionally(new IllegalStateException("node name="
                + spec.name() + " (pid=" + child.pid() + ") exited with status=" + status + " before it ran: "
                + child.lastErrorLines())));
        Thread.ofPlatform().daemon().name("millrace-" + system.name() + "-spawn-" + spec.name()).start(() -> {
            try {
                ActorRef<NodeSpawner.Command> spawner = Receptionist.lookup(system,
                        NodeSpawner.key(system.nodeId(), spec.name()), spec.startTimeout()).iterator().next();
                RemoteNode node = new RemoteNode(system, child, spawner, spec.name());
                if (!result.complete(node)) {
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
}
