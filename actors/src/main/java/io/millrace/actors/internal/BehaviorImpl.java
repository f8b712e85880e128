package io.millrace.actors.internal;

import io.millrace.actors.ActorContext;
import io.millrace.actors.Behavior;
import io.millrace.actors.Signal;
import io.millrace.actors.StatefulHandler;
import io.millrace.actors.SupervisedBehavior;
import io.millrace.actors.SupervisorStrategy;

import java.util.ArrayList;

import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The kinds of {@link Behavior} the runtime interprets ({@link BehaviorInterpreter}): markers that say what to do
 * next ({@code same}, {@code unhandled}, {@code stopped}), deferred behaviors started with the actor's context
 * ({@code setup}, {@code withTimers}, {@code withStash}), and receiving behaviors that handle messages and signals.
 */
public final class BehaviorImpl {

    private BehaviorImpl() {
    }

    static final Marker<Object> SAME = new Marker<>("same");
    static final Marker<Object> UNHANDLED = new Marker<>("unhandled");

    @SuppressWarnings("unchecked")
    public static <T> Behavior<T> same() {
        return (Behavior<T>) SAME;
    }

    @SuppressWarnings("unchecked")
    public static <T> Behavior<T> unhandled() {
        return (Behavior<T>) UNHANDLED;
    }

    /** {@code same} or {@code unhandled}: keep the current behavior. */
    static final class Marker<T> extends Behavior<T> {
        private final String name;

        Marker(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return "Behaviors." + name;
        }
    }

    /** Stop the actor; {@code postStop} (may be null) runs after the {@code PostStop} signal. */
    public static final class Stopped<T> extends Behavior<T> {
        final Runnable postStop;

        public Stopped(Runnable postStop) {
            this.postStop = postStop;
        }
    }

    /** A behavior made from the actor's context when it becomes the actor's behavior. */
    public static final class Deferred<T> extends Behavior<T> {
        final Function<ActorContext<T>, Behavior<T>> factory;

        public Deferred(Function<ActorContext<T>, Behavior<T>> factory) {
            this.factory = Objects.requireNonNull(factory, "factory");
        }
    }

    /** A behavior that handles messages and signals. */
    public abstract static class Receiving<T> extends Behavior<T> {
        abstract Behavior<T> receive(ActorContext<T> context, T message);

        abstract Behavior<T> receiveSignal(ActorContext<T> context, Signal signal);
    }

    /** Functions for messages and (optionally) signals. */
    public static final class Receive<T> extends Receiving<T> {
        private final BiFunction<ActorContext<T>, T, Behavior<T>> onMessage;
        private final BiFunction<ActorContext<T>, Signal, Behavior<T>> onSignal;

        public Receive(BiFunction<ActorContext<T>, T, Behavior<T>> onMessage,
                       BiFunction<ActorContext<T>, Signal, Behavior<T>> onSignal) {
            this.onMessage = Objects.requireNonNull(onMessage, "onMessage");
            this.onSignal = onSignal;
        }

        @Override
        Behavior<T> receive(ActorContext<T> context, T message) {
            return onMessage.apply(context, message);
        }

        @Override
        Behavior<T> receiveSignal(ActorContext<T> context, Signal signal) {
            return onSignal == null ? unhandled() : onSignal.apply(context, signal);
        }
    }

    /** {@code empty} (every message unhandled) or {@code ignore} (every message dropped). */
    public static final class Constant<T> extends Receiving<T> {
        public static final Constant<Object> EMPTY = new Constant<>(UNHANDLED);
        public static final Constant<Object> IGNORE = new Constant<>(SAME);
        private final Behavior<Object> result;

        private Constant(Behavior<Object> result) {
            this.result = result;
        }

        @Override
        @SuppressWarnings("unchecked")
        Behavior<T> receive(ActorContext<T> context, T message) {
            return (Behavior<T>) result;
        }

        @Override
        Behavior<T> receiveSignal(ActorContext<T> context, Signal signal) {
            return unhandled();
        }
    }

    /**
     * One case of a built behavior: {@code matches} tests the message or signal, {@code handler} handles it.
     *
     * @param type    the class the message must be an instance of
     * @param test    a further test, or null
     * @param handler the handler
     */
    public record Case<T>(Class<?> type, java.util.function.Predicate<Object> test,
                          Function<Object, Behavior<T>> handler) {
        boolean matches(Object value) {
            return type.isInstance(value) && (test == null || test.test(value));
        }
    }

    /** Made by {@code BehaviorBuilder}: the first matching case handles the message or signal. */
    public static final class Built<T> extends Receiving<T> {
        private final List<Case<T>> messageCases;
        private final List<Case<T>> signalCases;

        public Built(List<Case<T>> messageCases, List<Case<T>> signalCases) {
            this.messageCases = List.copyOf(messageCases);
            this.signalCases = List.copyOf(signalCases);
        }

        @Override
        Behavior<T> receive(ActorContext<T> context, T message) {
            return dispatch(messageCases, message);
        }

        @Override
        Behavior<T> receiveSignal(ActorContext<T> context, Signal signal) {
            return dispatch(signalCases, signal);
        }

        private static <T> Behavior<T> dispatch(List<Case<T>> cases, Object value) {
            for (Case<T> c : cases) {
                if (c.matches(value)) {
                    return c.handler().apply(value);
                }
            }
            return unhandled();
        }
    }

    /** One {@code onFailure} case: a throwable that is an instance of {@code type} is handled by {@code strategy}. */
    record FailureCase(Class<? extends Throwable> type, SupervisorStrategy strategy) {
    }

    /** {@code Behaviors.supervise(behavior).onFailure(...)}: interpreted by the cell's {@link Supervisor}. */
    public static final class Supervised<T> extends SupervisedBehavior<T> {
        final Behavior<T> behavior;
        final List<FailureCase> cases;

        public Supervised(Behavior<T> behavior, List<FailureCase> cases) {
            this.behavior = Objects.requireNonNull(behavior, "behavior");
            this.cases = List.copyOf(cases);
        }

        @Override
        public SupervisedBehavior<T> onFailure(Class<? extends Throwable> type, SupervisorStrategy strategy) {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(strategy, "strategy");
            List<FailureCase> more = new ArrayList<>(cases);
            more.add(new FailureCase(type, strategy));
            return new Supervised<>(behavior, more);
        }
    }

    /** {@code Behaviors.stateful}: a handler and the state it gets; the state is what joins extract and merge. */
    public static final class Stateful<T, S> extends Receiving<T> {
        final S state;
        private final StatefulHandler<T, S> handler;
        private final StatefulHandler.OnSignal<T, S> onSignal;

        public Stateful(S state, StatefulHandler<T, S> handler, StatefulHandler.OnSignal<T, S> onSignal) {
            this.state = Objects.requireNonNull(state, "state");
            this.handler = handler;
            this.onSignal = onSignal;
        }

        /** The same handlers with {@code next} as the state. */
        @SuppressWarnings("unchecked")
        Stateful<T, S> withState(Object next) {
            return new Stateful<>((S) Objects.requireNonNull(next, "a merge returned null: state"), handler, onSignal);
        }

        @Override
        Behavior<T> receive(ActorContext<T> context, T message) {
            return next(handler.onMessage(context, state, message));
        }

        @Override
        Behavior<T> receiveSignal(ActorContext<T> context, Signal signal) {
            return onSignal == null ? unhandled() : next(onSignal.onSignal(context, state, signal));
        }

        private Behavior<T> next(Behavior<T> result) {
            return result instanceof NewState<T> n ? withState(n.state) : result;
        }
    }

    /** {@code Behaviors.newState}: only a {@link Stateful} handler may return it. */
    public static final class NewState<T> extends Behavior<T> {
        final Object state;

        public NewState(Object state) {
            this.state = state;
        }
    }
}
