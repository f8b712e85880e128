package io.millrace.actors;

import java.util.Objects;

/** Thrown in a watcher whose behavior did not handle the {@link Terminated} of an actor it watched. */
public final class DeathPactException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ActorRef<Void> ref;

    /**
     * @param ref the watched actor that stopped
     */
    public DeathPactException(ActorRef<Void> ref) {
        super("death pact with actor=" + Objects.requireNonNull(ref, "ref").path()
                + ": its Terminated signal was not handled");
        this.ref = ref;
    }

    /** The watched actor that stopped. */
    public ActorRef<Void> ref() {
        return ref;
    }
}
