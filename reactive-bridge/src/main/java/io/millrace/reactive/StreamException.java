package io.millrace.reactive;

/**
 * A stream across processes could not be set up or ended without its publisher's word: the {@link #reason()}
 * says which, the message names the stream, the types and the pids involved.
 */
public final class StreamException extends RuntimeException {

    /** Why a stream failed. */
    public enum Reason {
        /** No stream of that name is published in the base directory (within the timeout, if one was given). */
        NOT_PUBLISHED,
        /** A live process already publishes a stream of that name. */
        ALREADY_PUBLISHED,
        /** The stream's element type is not the one it was imported as; both are named. */
        TYPE_MISMATCH,
        /** No {@link ElementCodec} is known for the element type (see {@link ElementCodecs}). */
        NO_CODEC,
        /** The publishing process died before the stream ended, or while making its region; its pid is named. */
        PUBLISHER_DIED,
        /** The publishing process went away (detached) before the stream ended. */
        PUBLISHER_GONE,
        /** The publisher did not take the subscription within the timeout. */
        SUBSCRIBE_TIMEOUT
    }

    private final Reason reason;

    StreamException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    StreamException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** @return why the stream failed */
    public Reason reason() {
        return reason;
    }
}
