package io.millrace.actors;

/** Thrown by {@link Receptionist#lookup} when no service registered under the key within the timeout. */
public final class LookupTimeoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LookupTimeoutException(String message) {
        super(message);
    }
}
