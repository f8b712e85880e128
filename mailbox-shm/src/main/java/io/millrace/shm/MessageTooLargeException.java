package io.millrace.shm;

/** A message is longer than the ring's {@link Ring#maxMessageLength()}; it was refused, nothing was written. */
public final class MessageTooLargeException extends IllegalArgumentException {
    public MessageTooLargeException(String message) {
        super(message);
    }
}
