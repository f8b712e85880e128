package io.millrace.actors;

import java.util.Objects;

/**
 * An actor this one watches ({@link ActorContext#watch}) has stopped. A watcher whose behavior leaves this signal
 * unhandled fails with a {@link DeathPactException}. For a child that failed, the parent gets the subtype
 * {@link ChildFailed}.
 */
public sealed class Terminated implements Signal permits ChildFailed {

    private final ActorRef<Void> ref;

    /**
     * @param ref the actor that stopped
     */
    @SuppressWarnings("unchecked")
    public Terminated(ActorRef<?> ref) {
        this.ref = (ActorRef<Void>) Objects.requireNonNull(ref, "ref");
    }

    /** The actor that stopped. */
    public ActorRef<Void> ref() {
        return ref;
    }

    @Override
    public boolean equals(Object other) {
        return other != null && other.getClass() == getClass() && ref.equals(((Terminated) other).ref);
    }

    @Override
    public int hashCode() {
        return ref.hashCode();
    }

    @Override
    public String toString() {
        return "Terminated[" + ref + "]";
    }
}
