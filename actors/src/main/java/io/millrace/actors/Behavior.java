package io.millrace.actors;

/**
 * How an actor handles its next message: it handles one message (or signal) and returns the behavior for the next
 * one. Behaviors are immutable values made by {@link Behaviors}; an actor's state lives in the behavior it returns.
 *
 * <p>The subclasses are the runtime's ({@code io.millrace.actors.internal}); a behavior of any other class is
 * refused when it is spawned or returned.
 *
 * @param <T> the messages the behavior handles
 */
public abstract class Behavior<T> {

    /** For the runtime's behavior classes only; create behaviors with {@link Behaviors}. */
    protected Behavior() {
    }

    /** This behavior, for a narrower message type (a behavior handling more types also handles fewer). */
    @SuppressWarnings("unchecked")
    public final <U extends T> Behavior<U> narrow() {
        return (Behavior<U>) this;
    }
}
