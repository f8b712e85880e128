package io.millrace.actors.internal;

import io.millrace.actors.ActorRef;
import io.millrace.actors.ActorSystem;
import io.millrace.actors.ActorSystemConfig;
import io.millrace.actors.Behavior;
import io.millrace.actors.Behaviors;
import io.millrace.actors.DeadLetters;
import io.millrace.actors.InvalidActorNameException;
import io.millrace.actors.MailboxFullPolicy;
import io.millrace.actors.Props;
import io.millrace.actors.Receptionist;
import io.millrace.actors.Scheduler;
import io.millrace.actors.codec.MessageCodec;
import io.millrace.actors.codec.SharedTypeRegistry;
import io.millrace.actors.remote.NodeRegion;
import io.millrace.actors.remote.ServiceTable;
import io.millrace.shm.ShmDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The running parts of one {@link ActorSystem}: node (its region {@code node-<id>} in the base directory, whose
 * lane rings carry other nodes' messages), shared type registry, codec and transport, lanes, scheduler, dead letters, the two root actors
 * ({@code /user}, the guardian, and {@code /system}, parent of the receptionist and of {@code systemActorOf}
 * actors) and termination.
 *
 * <p>Termination: {@link #terminate()} (or the guardian stopping by itself) sets {@code terminating}, after which
 * every tell is a dead letter, and stops the guardian; once it has stopped (children first), {@code /system} is
 * stopped; once that has, the scheduler and the lanes are asked to stop, open temporary refs fail their waiters,
 * and the last lane thread to end completes {@link #whenTerminated()}.
 */
public final class SystemRuntime {

    private static final Duration SHARED_OPEN_TIMEOUT = Duration.ofSeconds(5);

    private final ActorSystem<?> system;
    private final String name;
    private final ActorSystemConfig config;
    private final Logger log;
    private final DeadLetterOffice deadLetters;
    private final ShmDirectory directory;
    private final NodeRegion region;
    private final SharedTypeRegistry types;
    private final ServiceTable services;
    private final MessageCodec codec;
    private final ShmTransport transport;
    private final LocalNode node;
    private final Dispatcher dispatcher;
    private final SystemScheduler scheduler;
    private final ActorCell<Void> systemGuardian;
    private final ActorCell<?> guardian;
    private final ActorRef<Receptionist.Command> receptionist;
    private final CompletableFuture<Void> whenTerminated = new CompletableFuture<>();
    private final java.util.List<Runnable> onTerminating = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean terminating;
    private volatile RemoteWatch remoteWatch = RemoteWatch.NONE;
    private final RemoteLifecycle lifecycle = new RemoteLifecycle(this);

    public <T> SystemRuntime(ActorSystem<?> system, String name, ActorSystemConfig config,
                             Behavior<T> guardianBehavior) {
        BehaviorInterpreter.validate(guardianBehavior);
        this.system = system;
        this.name = name;
        this.config = config;
        this.log = LoggerFactory.getLogger("io.millrace.actors.ActorSystem." + name);
        this.deadLetters = new DeadLetterOffice(LoggerFactory.getLogger("io.millrace.actors.DeadLetters." + name),
                config.deadLetterLogLimit());
        this.directory = ShmDirectory.at(config.baseDirectory());
        this.region = NodeRegion.create(directory, name, config.dispatcherThreads(), config.laneRingBytes(), 0);
        deadLetters.countIn(this::countDeadLetter);
        SharedTypeRegistry openedTypes = null;
        ServiceTable openedServices = null;
        try {
            openedTypes = SharedTypeRegistry.open(directory, SHARED_OPEN_TIMEOUT);
            openedServices = ServiceTable.open(directory, SHARED_OPEN_TIMEOUT);
        } catch (RuntimeException e) {
            if (openedTypes != null) {
                openedTypes.close();
            }
            region.close();
            throw e;
        }
        this.types = openedTypes;
        this.services = openedServices;
        this.codec = new MessageCodec(types);
        this.transport = new ShmTransport(directory, region.id(), codec, config.maxMessageBytes(),
                config.mailboxFullPolicy(), deadLetters, log);
        this.node = new LocalNode(name, region.id(), deadLetters, transport, lifecycle);
        this.remoteWatch = transport;
        codec.resolver(node::resolveActorRef);
        this.dispatcher = new Dispatcher(this, config, region);
        dispatcher.attachInboxes(region, codec, node, deadLetters, config.maxMessageBytes());
        this.scheduler = new SystemScheduler(this);
        this.systemGuardian = rootCell("/system", Behaviors.ignore());
        this.guardian = rootCell("/user", guardianBehavior);
        this.receptionist = spawn(systemGuardian, ReceptionistBehavior.create(
                new ShmReceptionistBacking(services, node, log)), "receptionist", Props.empty());
    }

    /** Starts the lane threads and the root actors (once the {@link ActorSystem} is fully constructed). */
    public void start() {
        systemGuardian.sendSystem(SystemMessage.Start.INSTANCE);
        guardian.sendSystem(SystemMessage.Start.INSTANCE);
        dispatcher.start();
        region.markRunning();
    }

    private <T> ActorCell<T> rootCell(String path, Behavior<T> behavior) {
        long uid = node.nextUid();
        ActorCell<T> cell = new ActorCell<>(this, null, node.pathFor(path, uid), behavior,
                dispatcher.laneFor(uid), config.mailboxFullPolicy());
        node.register(cell.self());
        region.addActors(1);
        return cell;
    }

    @SuppressWarnings("unchecked")
    public <T> ActorRef<T> guardianRef() {
        return (ActorRef<T>) guardian.self();
    }

    /** Spawns a child of {@code parent} (whose thread check, if any, the caller did); the name is validated. */
    <U> ActorRef<U> spawn(ActorCell<?> parent, Behavior<U> behavior, String childName, Props props) {
        return spawn(parent, behavior, childName, props, null);
    }

    /** As above; {@code beforeStart} (may be null) gets the child's cell before the child can run. */
    <U> ActorRef<U> spawn(ActorCell<?> parent, Behavior<U> behavior, String childName, Props props,
                          Consumer<ActorCell<U>> beforeStart) {
        return spawn(parent, behavior, childName, props, 0, beforeStart);
    }

    /** A child of the guardian at {@code uid}, chosen by its parent on another node ({@link RemoteLifecycle}). */
    <U> void spawnForRemoteParent(Behavior<U> behavior, String childName, long uid, Props props,
                                  Consumer<ActorCell<U>> beforeStart) {
        ActorNames.validate(childName);
        spawn(guardian, behavior, childName, props, uid, beforeStart);
    }

    /** The path of {@code /user/name} at {@code uid} on this node. */
    io.millrace.actors.ActorPath childPathOfGuardian(String childName, long uid) {
        return node.pathFor(guardian.path.path() + "/" + childName, uid);
    }

    private <U> ActorRef<U> spawn(ActorCell<?> parent, Behavior<U> behavior, String childName, Props props,
                                  long givenUid, Consumer<ActorCell<U>> beforeStart) {
        Objects.requireNonNull(props, "props");
        if (props.isRemote()) {
            throw new IllegalArgumentException("props with node=" + (props.node() != null ? props.node().name()
                    : Long.toHexString(props.nodeId())) + " need a spawn from a"
                    + " BehaviorFactory (ActorContext.spawn(BehaviorFactory, name, props)): a Behavior cannot be"
                    + " shipped");
        }
        BehaviorInterpreter.validate(behavior);
        if (terminating) {
            throw terminatedException("spawn name=" + childName);
        }
        if (!parent.isRunning()) {
            throw new IllegalStateException("actor=" + parent.path + " is stopping: cannot spawn name=" + childName);
        }
        // a uid given by a parent on another node carries the policy of its Props (MailboxPolicyTag)
        long uid = givenUid != 0 ? givenUid : MailboxPolicyTag.tag(node.nextUid(), props.mailboxFullPolicy());
        MailboxFullPolicy policy = props.mailboxFullPolicy() != null ? props.mailboxFullPolicy()
                : MailboxPolicyTag.of(uid, config.mailboxFullPolicy());
        String childPath = (parent.path.path().equals("/") ? "" : parent.path.path()) + "/" + childName;
        ActorCell<U> child = new ActorCell<>(this, parent, node.pathFor(childPath, uid), behavior,
                dispatcher.laneFor(uid), policy);
        if (!parent.children().add(childName, child)) {
            throw new InvalidActorNameException("name=" + childName + " is taken by a live child of actor="
                    + parent.path.path() + " (a stopped child's name is free once it has stopped)");
        }
        node.register(child.self());
        region.addActors(1);
        if (beforeStart != null) {
            beforeStart.accept(child);
        }
        child.sendSystem(SystemMessage.Start.INSTANCE);
        if (terminating || !parent.isRunning()) {
            // the parent began to stop after the check above and may not have seen this child: stop it here
            // (a second Stop is ignored), so that the parent's count of live children still comes to zero
            child.sendSystem(SystemMessage.Stop.INSTANCE);
            throw terminating ? terminatedException("spawn name=" + childName)
                    : new IllegalStateException("actor=" + parent.path + " is stopping: cannot spawn name=" + childName);
        }
        return child.self();
    }

    public <U> ActorRef<U> systemActorOf(Behavior<U> behavior, String childName, Props props) {
        ActorNames.validate(childName);
        return spawn(systemGuardian, behavior, childName, props);
    }

    <T> TempRef<T> tempRef(String prefix, Consumer<T> onMessage, Runnable onTerminated) {
        long uid = node.nextUid();
        TempRef<T> ref = new TempRef<>(node.pathFor("/temp/" + prefix + "-" + uid, uid), this, onMessage,
                onTerminated);
        node.register(ref);
        return ref;
    }

    /** Runs {@code action} once the guardian has stopped, while the transport still runs (child nodes stop then). */
    public void onTerminating(Runnable action) {
        onTerminating.add(java.util.Objects.requireNonNull(action, "action"));
    }

    /** Called by a root cell once it has stopped. */
    void rootStopped(ActorCell<?> cell) {
        if (cell == guardian) {
            terminating = true;
            for (Runnable action : onTerminating) {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    log.warn("a termination action failed", e);
                }
            }
            systemGuardian.sendSystem(SystemMessage.Stop.INSTANCE);
        } else if (cell == systemGuardian) {
            scheduler.shutdown();
            node.forEachLive(ref -> {
                if (ref instanceof TempRef<?> temp) {
                    temp.systemTerminated();
                }
            });
            region.markTerminated();
            transport.close();
            dispatcher.requestStop();
        }
    }

    void lanesExited() {
        closeShared();
        deadLetters.flush();
        log.debug("actor system name={} terminated", name);
        whenTerminated.complete(null);
    }

    /**
     * Removes this node from the base directory: its registrations, its region (file unlinked), the regions of nodes
     * whose process is dead, and the shared type registry and receptionist table when no other live node is left
     * (the last node out removes them; a node that starts at that moment makes them again).
     */
    private void closeShared() {
        deadLetters.countIn(() -> { }); // tells after termination are dead letters still, counted in-process only
        try {
            services.deregisterNode(region.id());
        } catch (RuntimeException e) {
            log.warn("could not remove the registrations of node={}", Long.toHexString(region.id()), e);
        }
        services.close();
        types.close();
        region.close();
        try {
            if (!NodeRegion.reclaimDeadNodes(directory)) {
                directory.unlink(ServiceTable.REGION);
                directory.unlink(SharedTypeRegistry.REGION);
            }
        } catch (RuntimeException e) {
            log.warn("could not remove the shared regions of {}", directory.path(), e);
        }
    }

    private void countDeadLetter() {
        try {
            region.addDeadLetter();
        } catch (IllegalStateException e) {
            // the region was closed under this dead letter (termination): it counts in-process only
        }
    }

    public void terminate() {
        if (!terminating) {
            terminating = true;
            guardian.sendSystem(SystemMessage.Stop.INSTANCE);
        }
    }

    public void terminateAndAwait(Duration timeout) {
        long nanos = SystemScheduler.nanos("timeout", timeout, false);
        if (dispatcher.isLaneThread(Thread.currentThread())) {
            throw new IllegalStateException("close() called by an actor of system name=" + name
                    + " would wait for its own thread; call terminate() instead");
        }
        terminate();
        long deadline = System.nanoTime() + nanos;
        try {
            whenTerminated.get(nanos, TimeUnit.NANOSECONDS);
            if (dispatcher.join(deadline) && scheduler.awaitTermination(deadline)) {
                return;
            }
        } catch (TimeoutException e) {
            // reported below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while terminating actor system name=" + name, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("termination of actor system name=" + name + " failed", e.getCause());
        }
        throw new IllegalStateException("actor system name=" + name + " did not terminate within timeout="
                + timeout + ": an actor is still in a handler, or its children have not stopped");
    }

    IllegalStateException terminatedException(String what) {
        return new IllegalStateException("actor system name=" + name + " is terminated: cannot " + what);
    }

    public boolean isTerminating() {
        return terminating;
    }

    public CompletionStage<Void> whenTerminated() {
        return whenTerminated.minimalCompletionStage();
    }

    boolean isLaneThread(Thread thread) {
        return dispatcher.isLaneThread(thread);
    }

    public String name() {
        return name;
    }

    public ActorSystemConfig config() {
        return config;
    }

    public Logger log() {
        return log;
    }

    public LocalNode node() {
        return node;
    }

    /** The system's message codec (shared type ids of the base directory; refs resolved by this node). */
    public MessageCodec codec() {
        return codec;
    }

    /** This node's region. */
    public NodeRegion region() {
        return region;
    }

    RemoteLifecycle lifecycle() {
        return lifecycle;
    }

    /** The base directory. */
    ShmDirectory directory() {
        return directory;
    }

    ShmTransport transport() {
        return transport;
    }

    /** Who watches actors of other nodes for this node's watchers ({@link RemoteWatch#NONE} until set). */
    public RemoteWatch remoteWatch() {
        return remoteWatch;
    }

    /** Sets who watches actors of other nodes: the transport, backed by node liveness. */
    public void remoteWatch(RemoteWatch watch) {
        this.remoteWatch = Objects.requireNonNull(watch, "watch");
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    SystemScheduler systemScheduler() {
        return scheduler;
    }

    public DeadLetters deadLetters() {
        return deadLetters;
    }

    DeadLetterOffice deadLetterOffice() {
        return deadLetters;
    }

    public ActorRef<Receptionist.Command> receptionist() {
        return receptionist;
    }

    @SuppressWarnings("unchecked")
    ActorSystem<Void> system() {
        return (ActorSystem<Void>) system;
    }
}
