package io.millrace.actors.internal;

import io.millrace.actors.ActorContext;
import io.millrace.actors.ActorPath;
import io.millrace.actors.ActorRef;
import io.millrace.actors.Behavior;
import io.millrace.actors.ChildJoined;
import io.millrace.actors.DeadLetter;
import io.millrace.actors.DeathPactException;
import io.millrace.actors.Joinable;
import io.millrace.actors.MailboxFullException;
import io.millrace.actors.MailboxFullPolicy;
import io.millrace.actors.NodeGoneException;
import io.millrace.actors.PostStop;
import io.millrace.actors.PreRestart;
import io.millrace.actors.Signal;
import io.millrace.actors.Terminated;
import io.millrace.actors.TimerScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;

/**
 * One actor: its behavior, children and lifecycle, run only by its lane's thread. Small on purpose (a few fields,
 * children, timers, adapters and logger made on first use), so that a node holds many.
 *
 * <p>Lifecycle: {@code NEW} (spawned; setup runs at the {@code Start} system message or the first message,
 * whichever the lane handles first) → {@code RUNNING} → {@code STOPPING} (children asked to stop; messages are
 * dead letters) → {@code STOPPED} (once the last child reported {@code ChildTerminated}): unregistered, name freed
 * in the parent, {@code PostStop} delivered, watchers and then the parent told. Every failure goes through
 * {@link #fail}, which asks the {@link Supervisor} (if the behavior is supervised); death watch is kept by
 * {@link Watchers}, joins by {@link Joins}; what its behaviors call is {@link CellContext}.
 */
public final class ActorCell<T> {

    private static final int NEW = 0;
    private static final int RUNNING = 1;
    private static final int STOPPING = 2;
    private static final int STOPPED = 3;

    final ActorPath path;
    private final SystemRuntime runtime;
    private final ActorCell<?> parent;
    private final Lane lane;
    private final MailboxFullPolicy fullPolicy;
    private final LocalActorRef<T> self;
    /** What this actor's behaviors get as their context. */
    final CellContext<T> context;
    private Behavior<T> behavior;
    private volatile int state;
    /** Made at the first spawn (owner thread or {@code systemActorOf}); the child's thread removes itself. */
    private volatile Children children;
    private Runnable postStop;
    private TimerSchedulerImpl<T> timers;
    private Adapters adapters;
    private Logger logger;
    /** Set by the receptionist when it holds this actor (registered or subscribed); read when stopping. */
    private volatile boolean knownToReceptionist;
    private Supervisor<T> supervisor;
    /** Made on first use; other cells' threads make it too (a watcher of this cell). */
    private volatile Watchers watchers;
    /** Set by the parent before the start, if this child is joinable. */
    private Joins.ChildSide join;
    /** Why this actor stopped, if it failed; written before {@code STOPPED}. */
    private Throwable stopCause;
    /** The parent on another node that spawned this actor below this node's guardian, or null. */
    private ActorPath remoteParent;

    ActorCell(SystemRuntime runtime, ActorCell<?> parent, ActorPath path, Behavior<T> behavior, Lane lane,
              MailboxFullPolicy fullPolicy) {
        this.runtime = runtime;
        this.parent = parent;
        this.path = path;
        this.behavior = behavior;
        this.lane = lane;
        this.fullPolicy = fullPolicy;
        this.self = new LocalActorRef<>(this);
        this.context = new CellContext<>(this);
    }

    /** The cell behind a context given to a behavior. */
    @SuppressWarnings("unchecked")
    public static <T> ActorCell<T> of(ActorContext<T> context) {
        return ((CellContext<T>) context).cell;
    }

    LocalActorRef<T> self() {
        return self;
    }

    boolean isRunning() {
        return state <= RUNNING;
    }

    Lane lane() {
        return lane;
    }

    boolean isAlive() {
        return state != STOPPED;
    }

    // ---- telling (any thread) ----

    /** A user message; the full-mailbox policy applies, and may throw {@link MailboxFullException}. */
    void tell(Object message) {
        if (refuse(message)) {
            return;
        }
        long waitNanos = fullPolicy instanceof MailboxFullPolicy.WaitThenDeadLetter w ? w.timeout().toNanos() : 0;
        if (!lane.offer(this, message, waitNanos)) {
            if (fullPolicy instanceof MailboxFullPolicy.FailFast) {
                throw new MailboxFullException(path, lane.capacity());
            }
            runtime.deadLetterOffice().publish(message, path, DeadLetter.Reason.MAILBOX_FULL);
        }
    }

    /** A message made by the runtime (timer, adapter, pipe): never throws; waits only if {@code mayWait}. */
    void tellInternal(Object message, boolean mayWait) {
        if (refuse(message)) {
            return;
        }
        long waitNanos = mayWait && fullPolicy instanceof MailboxFullPolicy.WaitThenDeadLetter w
                ? w.timeout().toNanos() : 0;
        if (!lane.offer(this, message, waitNanos)) {
            runtime.deadLetterOffice().publish(message, path, DeadLetter.Reason.MAILBOX_FULL);
        }
    }

    private boolean refuse(Object message) {
        if (runtime.isTerminating()) {
            runtime.deadLetterOffice().publish(message, path, DeadLetter.Reason.SYSTEM_TERMINATED);
            return true;
        }
        if (state == STOPPED) {
            runtime.deadLetterOffice().publish(message, path, DeadLetter.Reason.RECIPIENT_STOPPED);
            return true;
        }
        return false;
    }

    void sendSystem(SystemMessage message) {
        lane.offerSystem(this, message);
    }

    // ---- handling (lane thread) ----

    @SuppressWarnings("unchecked")
    void deliver(Object envelope) {
        if (state >= STOPPING) {
            if (envelope instanceof TimerSchedulerImpl.Fired) {
                return; // a timer's message after its actor stopped was never sent by anyone
            }
            runtime.deadLetterOffice().publish(envelope, path, runtime.isTerminating()
                    ? DeadLetter.Reason.SYSTEM_TERMINATED : DeadLetter.Reason.RECIPIENT_STOPPED);
            return;
        }
        try {
            if (state == NEW) {
                try {
                    if (!start()) {
                        return;
                    }
                } catch (Throwable t) {
                    fail(t);
                    deliver(envelope); // stashed if a restart is pending, else a dead letter
                    return;
                }
            }
            if (supervisor != null && supervisor.stashIfSuspended(envelope)) {
                return;
            }
            Object message = envelope;
            if (envelope instanceof TimerSchedulerImpl.Fired fired) {
                message = timers == null ? null : timers.accept(fired);
                if (message == null) {
                    return;
                }
            } else if (envelope instanceof Adapters.Adapted adapted) {
                message = adapted.make();
            }
            handle((T) message);
        } catch (Throwable t) {
            fail(t);
        }
    }

    private void handle(T message) {
        Behavior<T> next = BehaviorInterpreter.receive(behavior, context, message);
        if (BehaviorInterpreter.isUnhandled(next)) {
            log().debug("unhandled message of class={} by actor={}", message.getClass().getName(), path);
        }
        become(next);
    }

    void handleSystem(SystemMessage message) {
        switch (message) {
            case SystemMessage.Start s -> {
                if (state == NEW) {
                    try {
                        start();
                    } catch (Throwable t) {
                        fail(t);
                    }
                }
            }
            case SystemMessage.Stop s -> beginStop();
            case SystemMessage.ChildTerminated t -> childTerminated();
            case SystemMessage.Restart r -> {
                if (supervisor != null && state == RUNNING) {
                    supervisor.restartDue(r.generation());
                }
            }
            case SystemMessage.RemoteChildStopped r -> {
                if (children != null && children.removeRemote(r.ref())) {
                    watchEvent(new SystemMessage.DeathNotice(r.ref(), r.cause(), r.snapshot()));
                    childTerminated();
                }
            }
            case SystemMessage.RemoteNodeExited x -> {
                for (ActorRef<Void> child : children.remote().onNode(x.node())) {
                    handleSystem(new SystemMessage.RemoteChildStopped(child, new NodeGoneException(x.node(), "child="
                            + child.path().path() + " is gone with its " + x.why()), null));
                }
            }
            case SystemMessage.DeathNotice n -> watchEvent(n);
            case SystemMessage.JoinTimedOut j -> watchEvent(j);
        }
    }

    private void childTerminated() {
        int left = children.terminated();
        if (left == 0 && state == STOPPING) {
            finishStop();
        } else if (supervisor != null && state == RUNNING) {
            supervisor.childTerminated(left);
        }
    }

    /** A death notice or join timeout: for the behavior, unless the actor is stopping (or suspended: later). */
    private void watchEvent(SystemMessage event) {
        if (state != RUNNING || supervisor != null && supervisor.stashIfSuspended(event)) {
            return;
        }
        try {
            if (event instanceof SystemMessage.DeathNotice n) {
                watchers().onNotice(n);
            } else if (event instanceof SystemMessage.JoinTimedOut j) {
                watchers().onJoinTimedOut(j.child());
            }
        } catch (Throwable t) {
            fail(t);
        }
    }

    /** A message or system message stashed during a restart, handled by the restarted behavior. */
    @SuppressWarnings("unchecked")
    void replay(Object envelope) {
        if (envelope instanceof SystemMessage m) {
            handleSystem(m);
        } else {
            deliver(envelope);
        }
    }

    /** Runs the setup. @return false if the actor stopped in it */
    private boolean start() {
        state = RUNNING;
        behavior = BehaviorInterpreter.canonicalize(behavior, null, context);
        if (behavior instanceof BehaviorImpl.Stopped<T> stopped) {
            behavior = null;
            postStop = stopped.postStop;
            beginStop();
            return false;
        }
        return true;
    }

    private void become(Behavior<T> next) {
        Behavior<T> canonical = BehaviorInterpreter.canonicalize(next, behavior, context);
        if (canonical instanceof BehaviorImpl.Stopped<T> stopped) {
            postStop = stopped.postStop;
            beginStop();
        } else {
            behavior = canonical;
        }
    }

    /**
     * The one place where an actor's failure is handled: any {@code Throwable} from its setup, handlers, adapters
     * or signal handlers (an unhandled {@code Terminated} too). A supervised actor's {@link Supervisor} logs it and
     * decides (resume, or suspend until a restart); otherwise, or if it says stop, the actor stops (Pekko Typed's
     * default) with the failure as its cause, which its parent gets in {@code ChildFailed} if it watches.
     */
    private void fail(Throwable failure) {
        if (state >= STOPPING) {
            log().error("actor={} failed while stopping", path, failure);
            return;
        }
        if (supervisor == null) {
            log().error("actor={} failed and stops: {}", path, failure.toString(), failure);
        } else if (supervisor.handle(failure, !(behavior instanceof BehaviorImpl.Receiving<T>))) {
            return;
        }
        stopCause = failure;
        beginStop();
    }

    /** This actor's supervisor, made when its behavior first meets {@code Behaviors.supervise}. */
    Supervisor<T> supervisor() {
        if (supervisor == null) {
            supervisor = new Supervisor<>(this);
        }
        return supervisor;
    }

    /** For the supervisor: the failed behavior gets {@code PreRestart}; timers are cancelled. */
    void preRestart() {
        if (behavior instanceof BehaviorImpl.Receiving<T>) {
            try {
                BehaviorInterpreter.receiveSignal(behavior, context, PreRestart.instance());
            } catch (Throwable t) {
                log().warn("actor={} failed in its PreRestart handler: {}", path, t.toString(), t);
            }
        }
        if (timers != null) {
            timers.cancelAll();
        }
    }

    /** For the supervisor: asks the children to stop. @return whether there are any to wait for */
    boolean stopChildren() {
        if (children == null || children.live() == 0) {
            return false;
        }
        children.stopAll();
        return true;
    }

    /** For the supervisor: starts {@code initial} as the behavior (a failure of its setup is a failure). */
    void restartWith(Behavior<T> initial) {
        behavior = null;
        try {
            become(initial);
        } catch (Throwable t) {
            fail(t);
        }
    }

    private void beginStop() {
        if (state >= STOPPING) {
            return;
        }
        state = STOPPING;
        if (timers != null) {
            timers.cancelAll();
        }
        if (supervisor != null) {
            Throwable restartPending = supervisor.stopping();
            if (stopCause == null) {
                stopCause = restartPending;
            }
        }
        if (children == null || children.live() == 0) {
            finishStop();
            return;
        }
        children.stopAll();
    }

    private void finishStop() {
        Object snapshot = null;
        if (join != null && stopCause == null && !join.abandoned) {
            try {
                snapshot = join.extract(behavior instanceof BehaviorImpl.Stateful<T, ?> s ? s.state : null, path);
            } catch (Throwable t) {
                log().error("actor={} failed in the extract of its join: {}", path, t.toString(), t);
                stopCause = t;
            }
        }
        state = STOPPED;
        runtime.node().unregister(self);
        runtime.region().addActors(-1);
        if (children != null) {
            children.close();
        }
        if (adapters != null) {
            adapters.unregisterAll();
        }
        if (parent != null) {
            parent.children.remove(path.name(), this);
        }
        if (behavior instanceof BehaviorImpl.Receiving<T>) {
            signal(PostStop.instance());
        }
        if (postStop != null) {
            try {
                postStop.run();
            } catch (Throwable t) {
                fail(t);
            }
        }
        behavior = null;
        if (knownToReceptionist && !runtime.isTerminating()) {
            runtime.receptionist().tell(new ReceptionistBehavior.ActorStopped(self));
        }
        Watchers w = watchers;
        if (w != null) {
            w.stopped(voidSelf(), stopCause, snapshot, parent);
        }
        if (remoteParent != null) {
            runtime.lifecycle().stopped(voidSelf(), remoteParent, true, stopCause, snapshot);
        }
        if (parent != null) {
            parent.sendSystem(new SystemMessage.ChildTerminated(this));
        } else {
            runtime.rootStopped(this);
        }
    }

    private void signal(Signal signal) {
        try {
            BehaviorInterpreter.receiveSignal(behavior, context, signal);
        } catch (Throwable t) {
            fail(t);
        }
    }

    // ---- death watch and joins (for Watchers, on this cell's thread unless said otherwise) ----

    /** This cell's watch bookkeeping, made on first use (any thread). */
    Watchers watchers() {
        Watchers w = watchers;
        if (w == null) {
            synchronized (this) {
                w = watchers;
                if (w == null) {
                    w = new Watchers(this);
                    watchers = w;
                }
            }
        }
        return w;
    }

    /** Why it failed, once stopped (any thread, after reading that it is not alive). */
    Throwable stopCause() {
        return stopCause;
    }

    boolean isChildOf(ActorCell<?> cell) {
        return parent == cell;
    }

    SystemRuntime runtime() {
        return runtime;
    }

    SystemScheduler scheduler() {
        return runtime.systemScheduler();
    }

    void deadLetter(Object envelope, DeadLetter.Reason reason) {
        if (!(envelope instanceof TimerSchedulerImpl.Fired)) {
            runtime.deadLetterOffice().publish(envelope instanceof Adapters.Adapted ? "adapted message" : envelope, path,
                    reason);
        }
    }

    @SuppressWarnings("unchecked")
    ActorRef<Void> voidSelf() {
        return (ActorRef<Void>) (ActorRef<?>) self;
    }

    /** A watched actor stopped: an unhandled {@code Terminated} is a {@link DeathPactException}. */
    void terminated(Terminated signal) {
        Behavior<T> next = BehaviorInterpreter.receiveSignal(behavior, context, signal);
        if (BehaviorInterpreter.isUnhandled(next)) {
            throw new DeathPactException(signal.ref());
        }
        become(next);
    }

    /** A watched actor stopped and {@code watchWith} named this message. */
    @SuppressWarnings("unchecked")
    void watchMessage(Object message) {
        handle((T) message);
    }

    /** A joinable child stopped normally: merge its snapshot into the state, then {@code ChildJoined}. */
    @SuppressWarnings("unchecked")
    void joined(ActorRef<Void> child, Joinable<?, ?, ?> joinable, Object snapshot) {
        if (joinable.merge() != null) {
            if (!(behavior instanceof BehaviorImpl.Stateful<T, ?> stateful)) {
                throw new IllegalStateException("actor=" + path + " joined child=" + child.path() + " with a merge,"
                        + " but its behavior holds no state: a merging parent's behavior must be Behaviors.stateful");
            }
            behavior = stateful.withState(((java.util.function.BiFunction<Object, Object, Object>) joinable.merge())
                    .apply(stateful.state, snapshot));
        }
        become(BehaviorInterpreter.receiveSignal(behavior, context, new ChildJoined(child, snapshot)));
    }

    void markKnownToReceptionist() {
        knownToReceptionist = true;
    }

    // ---- children (spawn: owner thread or systemActorOf; removal: the child's thread) ----

    /** This cell's children, or null before its first spawn (any thread). */
    Children childrenIfAny() {
        return children;
    }

    /** This cell's children, made at the first spawn (any thread). */
    Children children() {
        Children c = children;
        if (c == null) {
            synchronized (this) {
                c = children;
                if (c == null) {
                    c = new Children(this);
                    children = c;
                }
            }
        }
        return c;
    }

    // ---- owner checks (the context calls them first) ----

    /** @throws IllegalStateException unless the caller is this actor, handling a message on its lane thread */
    void checkOwner() {
        Thread current = Thread.currentThread();
        if (current != lane.thread() || lane.current != this) {
            throw new IllegalStateException("the ActorContext of actor=" + path + " was used by thread="
                    + current.getName() + ": context methods are for the actor itself, while it handles a message"
                    + " on its lane thread=" + lane.thread().getName());
        }
    }

    Logger log() {
        Logger l = logger;
        if (l == null) {
            l = LoggerFactory.getLogger("io.millrace.actors" + path.path().replace('/', '.'));
            logger = l;
        }
        return l;
    }

    /** Set before this child of a parent on another node starts. */
    void remoteParent(ActorPath parentPath) {
        remoteParent = parentPath;
    }

    /** Its parent on another node, or null. */
    ActorPath remoteParent() {
        return remoteParent;
    }

    /** Set by the parent before this joinable child starts. */
    void joinable(Joins.ChildSide side) {
        join = side;
    }

    /** The adapter of {@code messageClass}: the existing one with a new function, or a new one (owner thread). */
    @SuppressWarnings("unchecked")
    <U> ActorRef<U> messageAdapter(Class<U> messageClass, Function<U, T> adapter) {
        if (adapters == null) {
            adapters = new Adapters(this);
        }
        return adapters.forClass(messageClass, (Function<U, Object>) adapter);
    }

    // ---- timers and stash (owner thread) ----

    /** This actor's timers, made on first use (for {@code Behaviors.withTimers}). */
    public TimerScheduler<T> timers() {
        checkOwner();
        if (timers == null) {
            timers = new TimerSchedulerImpl<>(this, runtime.systemScheduler());
        }
        return timers;
    }

    /** The current behavior (owner thread: the stash's unstash starts from it). */
    Behavior<T> behavior() {
        return behavior;
    }

    @Override
    public String toString() {
        return "ActorCell[" + path + "]";
    }
}
