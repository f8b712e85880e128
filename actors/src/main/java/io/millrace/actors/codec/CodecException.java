package io.millrace.actors.codec;

/**
 * A message could not be encoded or decoded: a record that is corrupt or foreign (bad type id, a length past its
 * end, an unknown class name, a field count that does not match), a type table that could not be read in time, or
 * a message that changed between {@link MessageCodec#sizeOf} and {@link MessageCodec#write}. The message says what
 * was wrong and where ({@code offset=N}).
 */
public class CodecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what was wrong, with {@code name=value} details */
    public CodecException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong, with {@code name=value} details
     * @param cause   the exception that revealed it
     */
    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
