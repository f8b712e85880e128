package io.millrace.actors;

/**
 * The cause of the {@link ChildFailed} a parent gets when a joinable child did not stop within its
 * {@link Joinable#withTimeout timeout}: the child is stopped and its snapshot discarded.
 */
public final class JoinTimeoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message names the child and the timeout
     */
    public JoinTimeoutException(String message) {
        super(message);
    }
}
