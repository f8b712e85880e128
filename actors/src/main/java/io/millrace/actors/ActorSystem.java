package io.millrace.actors;

import io.millrace.actors.internal.SystemRuntime;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * This JVM's node: the actors spawned below its guardian, the lane threads that run them, a timer thread, dead
 * letters and the receptionist. The system is also the guardian's ref ({@link #tell} sends to the guardian).
 * The system terminates when the guardian stops or {@link #terminate()} is called; then every thread it started
 * ends, tells become dead letters, and spawn and ask fail.
 *
 * <pre>{@code
 * try (ActorSystem<Command> system = ActorSystem.create(Counter.create(), "counters")) {
 *     int n = AskPattern.<Command, Integer>ask(system, Get::new, Duration.ofSeconds(1), system.scheduler())
 *             .toCompletableFuture().join();
 * }
 * }</pre>
 *
 * @param <T> the guardian's messages
 */
public final class ActorSystem<T> implements ActorRef<T>, AutoCloseable {

    private final SystemRuntime runtime;
    private final ActorRef<T> guardian;

    private ActorSystem(Behavior<T> guardianBehavior, String name, ActorSystemConfig config) {
        this.runtime = new SystemRuntime(this, name, config, guardianBehavior);
        this.guardian = runtime.guardianRef();
        runtime.start();
    }

    /**
     * Starts a system with the default configuration.
     *
     * @see #create(Behavior, String, ActorSystemConfig)
     */
    public static <T> ActorSystem<T> create(Behavior<T> guardian, String name) {
        return create(guardian, name, ActorSystemConfig.defaults());
    }

    /**
     * Starts a system: its lane and timer threads, the receptionist, then the guardian.
     *
     * @param guardian the guardian's behavior
     * @param name     letters, digits, {@code -} and {@code _}, starting with a letter or digit
     * @param config   the settings
     * @param <T>      the guardian's messages
     * @return the running system
     * @throws IllegalArgumentException if the name or the behavior is not valid
     */
    public static <T> ActorSystem<T> create(Behavior<T> guardian, String name, ActorSystemConfig config) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(config, "config");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_-]*")) {
            throw new IllegalArgumentException("name=" + name
                    + " must be letters, digits, '-' and '_', starting with a letter or digit");
        }
        return new ActorSystem<>(guardian, name, config);
    }

    /** The system's name. */
    public String name() {
        return runtime.name();
    }

    /** The settings it was started with. */
    public ActorSystemConfig config() {
        return runtime.config();
    }

    /** Counts a restart of a child node in this node's info block ({@link RemoteNode}, for {@code millrace stat}). */
    void countChildRestart() {
        runtime.region().addChildRestart();
    }

    /** This node's id (the {@link ActorPath#node()} of its actors). */
    public long nodeId() {
        return runtime.node().id();
    }

    /** Sends {@code message} to the guardian. */
    @Override
    public void tell(T message) {
        guardian.tell(message);
    }

    /** The guardian's path ({@code /user}). */
    @Override
    public ActorPath path() {
        return guardian.path();
    }

    @Override
    public <U extends T> ActorRef<U> narrow() {
        return guardian.narrow();
    }

    /**
     * Spawns a top-level actor beside the guardian's children (below {@code /system}), from any thread; for tools
     * and tests that need actors without asking the guardian.
     *
     * @param behavior the actor's behavior
     * @param name     a name as for {@link ActorContext#spawn}
     * @param props    its options
     * @param <U>      its messages
     * @return its ref
     * @throws InvalidActorNameException if the name is not valid or taken
     * @throws IllegalStateException     if the system is terminated
     */
    public <U> ActorRef<U> systemActorOf(Behavior<U> behavior, String name, Props props) {
        return runtime.systemActorOf(behavior, name, props);
    }

    /** {@link #systemActorOf(Behavior, String, Props)} with {@link Props#empty()}. */
    public <U> ActorRef<U> systemActorOf(Behavior<U> behavior, String name) {
        return systemActorOf(behavior, name, Props.empty());
    }

    /**
     * Starts a node in a child JVM (same JDK, class path and base directory) whose actors this system can spawn
     * ({@link RemoteNode#spawn}) and talk to. The child ends when this JVM ends; close the node to stop it earlier.
     *
     * @param spec the child's name and settings
     * @return completes once the child's node runs, or fails if it exits first or does not run within the spec's
     *         start timeout
     * @throws io.millrace.actors.launch.LaunchException if the process cannot be started
     */
    public CompletionStage<RemoteNode> spawnNode(NodeSpec spec) {
        if (runtime.isTerminating()) {
            throw new IllegalStateException("actor system name=" + name() + " is terminated: cannot spawn a node");
        }
        return RemoteNode.start(this, spec).thenApply(node -> {
            runtime.onTerminating(node::terminate);
            return node;
        });
    }

    /** The receptionist, to which {@link Receptionist}'s commands are sent. */
    public ActorRef<Receptionist.Command> receptionist() {
        return runtime.receptionist();
    }

    /** The system's dead letters: count, listeners. */
    public DeadLetters deadLetters() {
        return runtime.deadLetters();
    }

    /** The timer thread, for {@link AskPattern#ask} and short delayed tasks. */
    public Scheduler scheduler() {
        return runtime.scheduler();
    }

    /** Resolves refs from their paths (for message codecs). */
    public ActorRefResolver refResolver() {
        return runtime.node();
    }

    /** The system's logger. */
    public Logger log() {
        return runtime.log();
    }

    /**
     * Starts termination: the guardian and then the system actors stop (children before parents, each getting
     * {@link PostStop}), then the threads end. Returns at once; idempotent.
     */
    public void terminate() {
        runtime.terminate();
    }

    /** Completes once the system has terminated and its lane threads have finished their last work. */
    public CompletionStage<Void> getWhenTerminated() {
        return runtime.whenTerminated();
    }

    /** Whether termination has started. */
    public boolean isTerminated() {
        return runtime.isTerminating();
    }

    /**
     * Terminates and waits up to {@link ActorSystemConfig#terminateTimeout()} for every thread to end.
     *
     * @throws IllegalStateException if termination did not finish in time (an actor stuck in a handler)
     */
    @Override
    public void close() {
        runtime.terminateAndAwait(runtime.config().terminateTimeout());
    }

    /**
     * Terminates and waits up to {@code timeout} for every thread to end.
     *
     * @param timeout positive
     * @throws IllegalStateException if termination did not finish in time
     */
    public void close(Duration timeout) {
        runtime.terminateAndAwait(timeout);
    }

    @Override
    public String toString() {
        return "ActorSystem[" + name() + "@" + Long.toHexString(nodeId()) + "]";
    }
}
