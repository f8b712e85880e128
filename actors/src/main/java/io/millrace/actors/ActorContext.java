package io.millrace.actors;

import org.slf4j.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What an actor can do besides handling its message: spawn and stop children, adapt and pipe messages to itself,
 * ask other actors. The context is for the actor's own thread, while it handles a message or signal: any method
 * but {@link #getSelf()}, {@link #getSystem()} and {@link #getLog()} called from another thread throws
 * {@link IllegalStateException} naming the actor and the thread. Do not hand it to futures or other threads.
 *
 * @param <T> the actor's messages
 */
public interface ActorContext<T> {

    /** The actor's own ref; safe to share and to call from any thread. */
    ActorRef<T> getSelf();

    /** The system the actor belongs to. */
    ActorSystem<Void> getSystem();

    /** A logger named after the actor's path. */
    Logger getLog();

    /**
     * Spawns a child.
     *
     * @param behavior the child's initial behavior
     * @param name     not empty, without {@code /}, {@code #} or whitespace, not starting with {@code $}, and not
     *                 the name of a live sibling
     * @param <U>      the child's messages
     * @return the child's ref
     * @throws InvalidActorNameException if the name is not valid or taken
     * @throws IllegalStateException     if this actor is stopping or the system terminated
     */
    <U> ActorRef<U> spawn(Behavior<U> behavior, String name);

    /**
     * Spawns a child with {@code props}.
     *
     * @see #spawn(Behavior, String)
     */
    <U> ActorRef<U> spawn(Behavior<U> behavior, String name, Props props);

    /**
     * Spawns a child with a generated name ({@code $a}, {@code $b}, ...).
     *
     * @param behavior the child's initial behavior
     * @param <U>      the child's messages
     * @return the child's ref
     */
    <U> ActorRef<U> spawnAnonymous(Behavior<U> behavior);

    /**
     * Spawns a child made by {@code factory}: on this node ({@code factory.create()} runs here), or on the child
     * node {@link Props#onNode} names, where the shipped factory runs. A child on another node is a child as any:
     * it is among {@link #getChildren}, {@link #stop} stops it, it stops before this actor's {@code PostStop},
     * and a watch of it ends in {@link Terminated}, or {@link ChildFailed} if it failed or its node's process
     * died (a {@link NodeGoneException} naming the exit status). Tells to the returned ref right away are
     * delivered: they follow the spawn request in the node's ring. A spawn the node refuses (name taken there, a
     * class it lacks) ends as {@link ChildFailed} of a watch.
     *
     * @param factory makes the behavior; for another node, a serializable lambda ({@link BehaviorFactory})
     * @param name    as for {@link #spawn(Behavior, String)}
     * @param props   the child's props
     * @param <U>     the child's messages
     * @return the child's ref
     * @throws IllegalArgumentException  if the factory cannot be shipped, naming the culprit (the node is not
     *                                   asked)
     * @throws InvalidActorNameException if the name is not valid or taken by a live child
     */
    <U> ActorRef<U> spawn(BehaviorFactory<U> factory, String name, Props props);

    /**
     * Spawns a child with a generated name and {@code props}.
     *
     * @see #spawnAnonymous(Behavior)
     */
    <U> ActorRef<U> spawnAnonymous(Behavior<U> behavior, Props props);

    /**
     * Spawns a joinable child: when it stops normally, its {@link Behaviors#stateful} state is turned into a
     * snapshot by {@code joinable}'s extract (on the child's thread), merged into this actor's state (on this
     * actor's thread, once) and this actor gets {@link ChildJoined}; when it fails, this actor gets
     * {@link ChildFailed} and nothing is merged. This actor watches the child from its spawn.
     *
     * @param behavior the child's behavior; its final behavior must be {@link Behaviors#stateful}
     * @param name     as for {@link #spawn(Behavior, String)}
     * @param joinable how the snapshot is made and merged
     * @param <U>      the child's messages
     * @return the child's ref
     * @throws io.millrace.actors.codec.UnsupportedMessageException if the snapshot type cannot be encoded
     * @throws InvalidActorNameException                            if the name is not valid or taken
     */
    <U> ActorRef<U> spawnJoinable(Behavior<U> behavior, String name, Joinable<?, ?, ?> joinable);

    /**
     * Spawns a joinable child with {@code props}.
     *
     * @see #spawnJoinable(Behavior, String, Joinable)
     */
    <U> ActorRef<U> spawnJoinable(Behavior<U> behavior, String name, Joinable<?, ?, ?> joinable, Props props);

    /**
     * Spawns a joinable child made by {@code factory}, on the node {@code props} names: there the extract runs
     * when the child stops normally, and its snapshot travels back through the codec to be merged here once. If it
     * fails, or its node's process dies, this actor gets {@link ChildFailed} and nothing is merged.
     *
     * @param factory  makes the behavior, as for {@link #spawn(BehaviorFactory, String, Props)}
     * @param name     the child's name
     * @param joinable how the snapshot is made and merged; for another node its extract must be serializable
     *                 (a lambda given to {@link Joinable#of} is)
     * @param props    the child's props
     * @param <U>      the child's messages
     * @return the child's ref
     * @throws IllegalArgumentException                             if the factory or extract cannot be shipped
     * @throws io.millrace.actors.codec.UnsupportedMessageException if the snapshot type cannot be encoded
     * @throws InvalidActorNameException                            if the name is not valid or taken
     */
    <U> ActorRef<U> spawnJoinable(BehaviorFactory<U> factory, String name, Joinable<?, ?, ?> joinable, Props props);

    /**
     * Watches {@code target}: when it stops, this actor gets {@link Terminated} ({@link ChildFailed} for a child
     * that failed), once, or at once if it has already stopped. A {@code Terminated} the behavior does not handle
     * makes this actor fail with a {@link DeathPactException}. Watching again is harmless; watching itself does
     * nothing. A ref of another node is watched across processes: its stop or failure is reported by its node, its
     * node's death by this node's watch of that process (a child's as {@link ChildFailed} with the exit status).
     *
     * @param target an actor's ref (not a message adapter or temporary ref)
     * @throws IllegalArgumentException if {@code target} is an adapter or temporary ref
     * @throws IllegalStateException    if {@code target} is a joinable child (its join reports its end)
     */
    void watch(ActorRef<?> target);

    /**
     * Watches {@code target} as {@link #watch}, but when it stops this actor gets {@code message} instead.
     *
     * @param target  an actor's ref
     * @param message the message to get
     */
    void watchWith(ActorRef<?> target, T message);

    /**
     * Stops watching {@code target}: no notice of its stop comes after this call, even one already on its way.
     * Unwatching a joinable child cancels its join (nothing is merged).
     *
     * @param target a ref
     */
    void unwatch(ActorRef<?> target);

    /**
     * Stops a child (and its children) asynchronously; its name is free again once it has stopped.
     *
     * @param child a child of this actor
     * @throws IllegalArgumentException if {@code child} is not a child of this actor
     */
    void stop(ActorRef<?> child);

    /** This actor's live children. */
    List<ActorRef<Void>> getChildren();

    /** The live child named {@code name}, if any. */
    Optional<ActorRef<Void>> getChild(String name);

    /**
     * A ref that accepts {@code U} messages and delivers them to this actor converted by {@code adapter} (run on
     * this actor's thread; if it throws, the actor fails). One adapter per message class: registering another for
     * the same class replaces the function and returns the same ref.
     *
     * @param messageClass the messages the adapter accepts
     * @param adapter      converts them
     * @param <U>          those messages
     * @return the adapter's ref
     */
    <U> ActorRef<U> messageAdapter(Class<U> messageClass, Function<U, T> adapter);

    /**
     * When {@code stage} completes, {@code applyToResult} turns its value or failure into a message to this actor,
     * on this actor's thread.
     *
     * @param stage         the stage
     * @param applyToResult gets (value, null) or (null, failure)
     * @param <V>           the stage's value
     */
    <V> void pipeToSelf(CompletionStage<V> stage, BiFunction<V, Throwable, T> applyToResult);

    /**
     * Asks {@code target} and turns the reply, or the failure ({@link AskTimeoutException} after
     * {@code timeout}), into a message to this actor.
     *
     * @param responseClass   the reply's class
     * @param target          who is asked
     * @param timeout         how long to wait for the reply, positive
     * @param createRequest   makes the request from the ref the reply must go to
     * @param applyToResponse gets (reply, null) or (null, failure)
     * @param <Req>           the request's type
     * @param <Res>           the reply's type
     */
    <Req, Res> void ask(Class<Res> responseClass, ActorRef<Req> target, Duration timeout,
                        Function<ActorRef<Res>, Req> createRequest, BiFunction<Res, Throwable, T> applyToResponse);
}
