package io.millrace.actors.launch;

/** A child JVM could not be started, or did not become ready; the message says why (exit status, its last stderr). */
public class LaunchException extends RuntimeException {
    public LaunchException(String message) {
        super(message);
    }

    public LaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
