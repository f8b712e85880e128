package io.millrace.actors;

import io.millrace.actors.internal.ActorCell;
import io.millrace.actors.internal.BehaviorImpl;
import io.millrace.actors.internal.StashBufferImpl;

import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Factories of {@link Behavior}s (Pekko Typed's {@code Behaviors}). A behavior handles one message and returns the
 * behavior for the next: {@link #same()} to keep it, another to change, {@link #stopped()} to stop.
 *
 * <pre>{@code
 * static Behavior<Command> counter(int n) {
 *     return Behaviors.receive(Command.class)
 *             .onMessage(Increment.class, inc -> counter(n + 1))
 *             .onMessage(Get.class, get -> { get.replyTo().tell(n); return Behaviors.same(); })
 *             .build();
 * }
 * }</pre>
 */
public final class Behaviors {

    private Behaviors() {
    }

    /**
     * A behavior made when the actor starts (or when it becomes the actor's behavior), with the actor's context.
     *
     * @param factory makes the behavior; must not return {@link #same()} or {@link #unhandled()}
     * @param <T>     the actor's messages
     * @return the behavior
     */
    public static <T> Behavior<T> setup(Function<ActorContext<T>, Behavior<T>> factory) {
        return new BehaviorImpl.Deferred<>(Objects.requireNonNull(factory, "factory"));
    }

    /**
     * Handles each message with {@code onMessage}; signals are unhandled.
     *
     * @param onMessage gets the context and the message, returns the next behavior
     * @param <T>       the actor's messages
     * @return the behavior
     */
    public static <T> Behavior<T> receive(BiFunction<ActorContext<T>, T, Behavior<T>> onMessage) {
        return new BehaviorImpl.Receive<>(onMessage, null);
    }

    /**
     * Handles each message with {@code onMessage} and each signal with {@code onSignal}.
     *
     * @param onMessage gets the context and the message, returns the next behavior
     * @param onSignal  gets the context and the signal, returns the next behavior
     * @param <T>       the actor's messages
     * @return the behavior
     */
    public static <T> Behavior<T> receive(BiFunction<ActorContext<T>, T, Behavior<T>> onMessage,
                                          BiFunction<ActorContext<T>, Signal, Behavior<T>> onSignal) {
        return new BehaviorImpl.Receive<>(onMessage, Objects.requireNonNull(onSignal, "onSignal"));
    }

    /**
     * Handles each message with {@code onMessage}, without the context.
     *
     * @param onMessage gets the message, returns the next behavior
     * @param <T>       the actor's messages
     * @return the behavior
     */
    public static <T> Behavior<T> receiveMessage(Function<T, Behavior<T>> onMessage) {
        Objects.requireNonNull(onMessage, "onMessage");
        return new BehaviorImpl.Receive<>((context, message) -> onMessage.apply(message), null);
    }

    /**
     * A builder that dispatches by message class: {@code receive(Command.class).onMessage(Ping.class, ...)}.
     *
     * @param type the actor's message type
     * @param <T>  that type
     * @return an empty builder
     */
    public static <T> BehaviorBuilder<T> receive(Class<T> type) {
        Objects.requireNonNull(type, "type");
        return new BehaviorBuilder<>(List.of(), List.of());
    }

    /** Keep the current behavior (returned by a handler). */
    public static <T> Behavior<T> same() {
        return BehaviorImpl.same();
    }

    /** The message was not handled: keep the current behavior, and log the message at debug level. */
    public static <T> Behavior<T> unhandled() {
        return BehaviorImpl.unhandled();
    }

    /** Stop the actor: its children stop, then it gets {@link PostStop}. */
    public static <T> Behavior<T> stopped() {
        return new BehaviorImpl.Stopped<>(null);
    }

    /**
     * Stop the actor and run {@code postStop} after the current behavior got {@link PostStop}.
     *
     * @param postStop runs on the actor's thread; if it throws, that is logged
     * @param <T>      the actor's messages
     * @return the behavior
     */
    public static <T> Behavior<T> stopped(Runnable postStop) {
        return new BehaviorImpl.Stopped<>(Objects.requireNonNull(postStop, "postStop"));
    }

    /** Treats every message as unhandled. */
    @SuppressWarnings("unchecked")
    public static <T> Behavior<T> empty() {
        return (Behavior<T>) BehaviorImpl.Constant.EMPTY;
    }

    /** Drops every message, silently. */
    @SuppressWarnings("unchecked")
    public static <T> Behavior<T> ignore() {
        return (Behavior<T>) BehaviorImpl.Constant.IGNORE;
    }

    /**
     * Gives the behavior made by {@code factory} the actor's {@link TimerScheduler}.
     *
     * @param factory makes the behavior from the timers
     * @param <T>     the actor's messages
     * @return the behavior
     */
    public static <T> Behavior<T> withTimers(Function<TimerScheduler<T>, Behavior<T>> factory) {
        Objects.requireNonNull(factory, "factory");
        return setup(context -> factory.apply(ActorCell.of(context).timers()));
    }

    /**
     * Supervises {@code behavior}: {@code supervise(b).onFailure(IllegalStateException.class,
     * SupervisorStrategy.restart())}. A failure that matches no case stops the actor, as without supervision.
     *
     * @param behavior the behavior; a restart starts it again (its setup runs again)
     * @param <T>      the actor's messages
     * @return a builder of the supervised behavior
     */
    public static <T> Supervise<T> supervise(Behavior<T> behavior) {
        return new Supervise<>(Objects.requireNonNull(behavior, "behavior"));
    }

    /**
     * The first step of {@link #supervise}.
     *
     * @param <T> the actor's messages
     */
    public static final class Supervise<T> {
        private final Behavior<T> behavior;

        private Supervise(Behavior<T> behavior) {
            this.behavior = behavior;
        }

        /**
         * A failure that is an instance of {@code type} is handled by {@code strategy}.
         *
         * @param type     the throwable's class
         * @param strategy what to do
         * @return the supervised behavior, to which more cases can be added
         */
        public SupervisedBehavior<T> onFailure(Class<? extends Throwable> type, SupervisorStrategy strategy) {
            return new BehaviorImpl.Supervised<>(behavior, List.of()).onFailure(type, strategy);
        }
    }

    /**
     * A behavior that holds a state: {@code handler} gets it with each message. The state is what a joinable
     * child's {@link Joinable#extract} reads when it stops, and what a parent's {@link Joinable#merge} replaces.
     *
     * @param initial the first state, not null
     * @param handler handles a message given the state
     * @param <T>     the actor's messages
     * @param <S>     the state
     * @return the behavior
     */
    public static <T, S> Behavior<T> stateful(S initial, StatefulHandler<T, S> handler) {
        return new BehaviorImpl.Stateful<>(Objects.requireNonNull(initial, "initial"),
                Objects.requireNonNull(handler, "handler"), null);
    }

    /**
     * A behavior that holds a state and handles signals too.
     *
     * @param initial  the first state, not null
     * @param handler  handles a message given the state
     * @param onSignal handles a signal given the state
     * @param <T>      the actor's messages
     * @param <S>      the state
     * @return the behavior
     * @see #stateful(Object, StatefulHandler)
     */
    public static <T, S> Behavior<T> stateful(S initial, StatefulHandler<T, S> handler,
                                              StatefulHandler.OnSignal<T, S> onSignal) {
        return new BehaviorImpl.Stateful<>(Objects.requireNonNull(initial, "initial"),
                Objects.requireNonNull(handler, "handler"), Objects.requireNonNull(onSignal, "onSignal"));
    }

    /**
     * Returned by a {@link #stateful} handler: keep the handler, with {@code state} as the new state.
     *
     * @param state the new state, not null
     * @param <T>   the actor's messages
     * @return the marker
     */
    public static <T> Behavior<T> newState(Object state) {
        return new BehaviorImpl.NewState<>(Objects.requireNonNull(state, "state"));
    }

    /**
     * Gives the behavior made by {@code factory} a new {@link StashBuffer} of {@code capacity} messages.
     *
     * @param capacity how many messages the buffer takes, positive
     * @param factory  makes the behavior from the buffer
     * @param <T>      the actor's messages
     * @return the behavior
     * @throws IllegalArgumentException if {@code capacity} is not positive
     */
    public static <T> Behavior<T> withStash(int capacity, Function<StashBuffer<T>, Behavior<T>> factory) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity=" + capacity + " must be positive");
        }
        Objects.requireNonNull(factory, "factory");
        return setup(context -> factory.apply(new StashBufferImpl<>(ActorCell.of(context), capacity)));
    }
}
