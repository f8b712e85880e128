package io.millrace.shm;

/**
 * A message is longer than the ring's {@link Ring#maxMessageLength()} (see {@link Ring#maxMessageLength(int)}); it
 * was refused at once and nothing was written. Waiting would not help: the ring can never hold it.
 */
public final class MessageTooLargeException extends ShmException {
    private final long length;
    private final int maxMessageLength;

    /**
     * @param message          names the ring, the length and the limit
     * @param length           the refused message's length in bytes
     * @param maxMessageLength the ring's largest payload
     */
    public MessageTooLargeException(String message, long length, int maxMessageLength) {
        super(message);
        this.length = length;
        this.maxMessageLength = maxMessageLength;
    }

    /** @return the refused message's length in bytes */
    public long length() {
        return length;
    }

    /** @return the largest payload the ring accepts */
    public int maxMessageLength() {
        return maxMessageLength;
    }
}
