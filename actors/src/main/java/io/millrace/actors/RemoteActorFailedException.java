package io.millrace.actors;

import java.util.Objects;

/**
 * An actor of another node failed (the cause of a {@link ChildFailed} of a remote child): its exception does not
 * cross the process boundary, its class name and message do.
 */
public final class RemoteActorFailedException extends RuntimeException {

    private final transient ActorPath actor;
    private final String exceptionClassName;

    /**
     * @param actor              the actor that failed
     * @param exceptionClassName the class of its exception
     * @param message            the exception's message (may be null)
     */
    public RemoteActorFailedException(ActorPath actor, String exceptionClassName, String message) {
        super("actor=" + actor + " failed with " + exceptionClassName + (message == null ? "" : ": " + message));
        this.actor = Objects.requireNonNull(actor, "actor");
        this.exceptionClassName = Objects.requireNonNull(exceptionClassName, "exceptionClassName");
    }

    /** @return the actor that failed */
    public ActorPath actor() {
        return actor;
    }

    /** @return the class name of the exception it failed with */
    public String exceptionClassName() {
        return exceptionClassName;
    }
}
