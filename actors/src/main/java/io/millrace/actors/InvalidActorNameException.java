package io.millrace.actors;

/** Thrown by spawn for a name that is empty, contains a reserved character, or is taken by a live sibling. */
public final class InvalidActorNameException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidActorNameException(String message) {
        super(message);
    }
}
