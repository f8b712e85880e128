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
