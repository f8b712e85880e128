package io.millrace.actors.internal;

import io.millrace.actors.ActorContext;
import io.millrace.actors.Behavior;
import io.millrace.actors.Signal;

/**
 * Turns what a handler returned into the actor's next behavior: {@code same} and {@code unhandled} keep the current
 * one, deferred behaviors are started with the context (until a receiving or stopped behavior comes out),
 * supervised ones are entered into the cell's {@link Supervisor}, and anything not made by {@code Behaviors} is
 * refused.
 */
final class BehaviorInterpreter {

    private BehaviorInterpreter() {
    }

    /** Refuses behaviors the runtime cannot interpret (at spawn, before any thread runs them). */
    static void validate(Behavior<?> behavior) {
        if (behavior == null) {
            throw new IllegalArgumentException("behavior=null");
        }
        if (behavior instanceof BehaviorImpl.NewState<?>) {
            throw new IllegalArgumentException("behavior=Behaviors.newState(...) is only for the handler of a"
                    + " Behaviors.stateful behavior");
        }
        if (!(behavior instanceof BehaviorImpl.Receiving<?> || behavior instanceof BehaviorImpl.Deferred<?>
                || behavior instanceof BehaviorImpl.Stopped<?> || behavior instanceof BehaviorImpl.Marker<?>
                || behavior instanceof BehaviorImpl.Supervised<?>)) {
            throw new IllegalArgumentException("behavior=" + behavior.getClass().getName()
                    + " was not made by Behaviors; create behaviors with the Behaviors factories");
        }
    }

    /**
     * The behavior that follows {@code current} when a handler returned {@code next}.
     *
     * @return a {@link BehaviorImpl.Receiving} or {@link BehaviorImpl.Stopped} behavior
     * @throws IllegalStateException if a deferred behavior yields {@code same}/{@code unhandled} with nothing
     *                               current, or a handler returned null
     */
    static <T> Behavior<T> canonicalize(Behavior<T> next, Behavior<T> current, ActorContext<T> context) {
        Behavior<T> b = next;
        while (true) {
            if (b == null) {
                throw new IllegalStateException("a behavior returned null; return Behaviors.same() to keep it");
            }
            validate(b);
            if (b instanceof BehaviorImpl.Marker<T>) {
                if (current == null) {
                    throw new IllegalStateException(b + " is not a valid initial behavior (returned by setup?)");
                }
                return current;
            }
            if (b instanceof BehaviorImpl.Supervised<T> supervised) {
                ActorCell.of(context).supervisor().enter(supervised);
                b = supervised.behavior;
                continue;
            }
            if (b instanceof BehaviorImpl.Deferred<T> deferred) {
                b = deferred.factory.apply(context);
                continue;
            }
            return b;
        }
    }

    static <T> Behavior<T> receive(Behavior<T> current, ActorContext<T> context, T message) {
        return ((BehaviorImpl.Receiving<T>) current).receive(context, message);
    }

    static <T> Behavior<T> receiveSignal(Behavior<T> current, ActorContext<T> context, Signal signal) {
        return ((BehaviorImpl.Receiving<T>) current).receiveSignal(context, signal);
    }

    static boolean isUnhandled(Behavior<?> result) {
        return result == BehaviorImpl.UNHANDLED;
    }
}
