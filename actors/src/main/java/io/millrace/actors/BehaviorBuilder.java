package io.millrace.actors;

import io.millrace.actors.internal.BehaviorImpl;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Builds a behavior that dispatches by message class ({@link Behaviors#receive(Class)}): the first case that
 * matches a message (or signal) handles it; a message no case matches is unhandled. Each method returns a new
 * builder, so a builder can be shared.
 *
 * @param <T> the actor's messages
 */
public final class BehaviorBuilder<T> {

    private final List<BehaviorImpl.Case<T>> messageCases;
    private final List<BehaviorImpl.Case<T>> signalCases;

    BehaviorBuilder(List<BehaviorImpl.Case<T>> messageCases, List<BehaviorImpl.Case<T>> signalCases) {
        this.messageCases = messageCases;
        this.signalCases = signalCases;
    }

    /**
     * Handles messages of class {@code type}.
     *
     * @param type    the class (a message that is an instance of it matches)
     * @param handler returns the next behavior
     * @param <M>     the class
     * @return a new builder
     */
    public <M extends T> BehaviorBuilder<T> onMessage(Class<M> type, Function<M, Behavior<T>> handler) {
        return onMessage(type, null, handler);
    }

    /**
     * Handles messages of class {@code type} that pass {@code test}.
     *
     * @param type    the class
     * @param test    a further test, or null
     * @param handler returns the next behavior
     * @param <M>     the class
     * @return a new builder
     */
    @SuppressWarnings("unchecked")
    public <M extends T> BehaviorBuilder<T> onMessage(Class<M> type, Predicate<M> test,
                                                      Function<M, Behavior<T>> handler) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(handler, "handler");
        return withMessageCase(new BehaviorImpl.Case<>(type, (Predicate<Object>) test,
                (Function<Object, Behavior<T>>) handler));
    }

    /**
     * Handles messages equal to {@code message}.
     *
     * @param message the message
     * @param handler returns the next behavior
     * @return a new builder
     */
    public BehaviorBuilder<T> onMessageEquals(T message, Supplier<Behavior<T>> handler) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(handler, "handler");
        return withMessageCase(new BehaviorImpl.Case<>(Object.class, message::equals, m -> handler.get()));
    }

    /**
     * Handles every message (so later message cases never match).
     *
     * @param handler returns the next behavior
     * @return a new builder
     */
    @SuppressWarnings("unchecked")
    public BehaviorBuilder<T> onAnyMessage(Function<T, Behavior<T>> handler) {
        Objects.requireNonNull(handler, "handler");
        return withMessageCase(new BehaviorImpl.Case<>(Object.class, null, (Function<Object, Behavior<T>>) handler));
    }

    /**
     * Handles signals of class {@code type}, for example {@code PostStop.class}.
     *
     * @param type    the signal's class
     * @param handler returns the next behavior
     * @param <S>     the class
     * @return a new builder
     */
    public <S extends Signal> BehaviorBuilder<T> onSignal(Class<S> type, Function<S, Behavior<T>> handler) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(handler, "handler");
        Function<Object, Behavior<T>> h = s -> handler.apply(type.cast(s));
        return withSignalCase(new BehaviorImpl.Case<>(type, null, h));
    }

    /**
     * Handles signals equal to {@code signal}.
     *
     * @param signal  the signal
     * @param handler returns the next behavior
     * @return a new builder
     */
    public BehaviorBuilder<T> onSignalEquals(Signal signal, Supplier<Behavior<T>> handler) {
        Objects.requireNonNull(signal, "signal");
        Objects.requireNonNull(handler, "handler");
        return withSignalCase(new BehaviorImpl.Case<>(Signal.class, signal::equals, s -> handler.get()));
    }

    /** The behavior. */
    public Behavior<T> build() {
        return new BehaviorImpl.Built<>(messageCases, signalCases);
    }

    private BehaviorBuilder<T> withMessageCase(BehaviorImpl.Case<T> c) {
        List<BehaviorImpl.Case<T>> cases = new ArrayList<>(messageCases);
        cases.add(c);
        return new BehaviorBuilder<>(cases, signalCases);
    }

    private BehaviorBuilder<T> withSignalCase(BehaviorImpl.Case<T> c) {
        List<BehaviorImpl.Case<T>> cases = new ArrayList<>(signalCases);
        cases.add(c);
        return new BehaviorBuilder<>(messageCases, cases);
    }
}
