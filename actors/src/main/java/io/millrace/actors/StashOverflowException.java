package io.millrace.actors;

/** Thrown by {@link StashBuffer#stash} when the buffer already holds its capacity. */
public final class StashOverflowException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StashOverflowException(String message) {
        super(message);
    }
}
