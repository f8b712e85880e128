package io.millrace.shm;

/**
 * Base of Millrace's shared-memory exceptions: something about a region, a ring or a peer is not as the
 * caller needs it. The message names the region or structure and the values involved.
 */
public class ShmException extends RuntimeException {
    public ShmException(String message) {
        super(message);
    }

    public ShmException(String message, Throwable cause) {
        super(message, cause);
    }
}
